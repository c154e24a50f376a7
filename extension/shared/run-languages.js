// The person's browser languages as a run sends them (`languages` in check/apply, docs/protocol.md): the
// helper's browser asks Pinterest for them in this order. Only well-formed tags, each once, at most as many as the
// helper takes: a browser may list odd entries, and one bad tag would get the whole run refused.
import { LanguageLimits } from "./vocabulary.js";

const TAG = new RegExp(LanguageLimits.TAG);

export function runLanguages(browserLanguages) {
  const tags = [];
  for (const tag of Array.isArray(browserLanguages) ? browserLanguages : []) {
    if (typeof tag !== "string" || tag.length > LanguageLimits.MAX_TAG || !TAG.test(tag) || tags.includes(tag)) continue;
    tags.push(tag);
    if (tags.length === LanguageLimits.MAX_LANGUAGES) break;
  }
  return tags;
}
