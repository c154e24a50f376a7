// The rules: the helper's verified copy, always. When a rules service is set, its signed bundle is
// fetched and handed to the helper, which checks it and answers with whatever it verified (the new
// bundle when it passed, its last good copy when not). Nothing fetched reaches the screen unchecked.

import { PLATFORM, RULES_PATH, SERVICE_TIMEOUT_MS } from "../shared/config.js";
import { judgeServiceAddress, serviceAddress } from "../shared/rules-source.js";
import { MessageType } from "../shared/vocabulary.js";
import { askHost } from "./host.js";

// The envelope as the service sent it; only its outer shape is looked at, and only to avoid
// handing the helper something that is plainly not a bundle.
async function fetchEnvelope(origin) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SERVICE_TIMEOUT_MS);
  try {
    const response = await fetch(new URL(RULES_PATH, origin), {
      signal: controller.signal,
      cache: "no-cache",
      credentials: "omit",
    });
    // A CDN may redirect; the place it lands must pass the same https (or loopback) rule.
    if (!response.ok || !judgeServiceAddress(response.url).ok) return null;
    const envelope = await response.json();
    const looksLikeBundle = envelope && typeof envelope === "object" && !Array.isArray(envelope);
    return looksLikeBundle && envelope.platform === PLATFORM && typeof envelope.bundle === "string" ? envelope : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

// Resolves to {version, source, document, expires, refused}: the helper's `rules` answer
// (docs/protocol.md). `refused` is the helper's sentence when it turned the fetched bundle down.
export async function loadRules(preferences) {
  const service = serviceAddress(preferences);
  const envelope = service ? await fetchEnvelope(service.origin) : null;
  const request = envelope ? { platform: PLATFORM, bundle: envelope } : { platform: PLATFORM };
  const answer = await askHost(MessageType.RULES, request);
  return {
    version: answer.version,
    source: answer.source,
    document: answer.rules,
    expires: answer.expires ?? null,
    refused: typeof answer.refused === "string" ? answer.refused : null,
  };
}
