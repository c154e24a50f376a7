// Wordings the person taught Optout: for a setting it could not find, the person picks the switch from
// the candidates the helper listed, and that label becomes a local wording for that setting. Kept in
// chrome.storage.local as {"setting id": ["wording", ...]}, sent with every run, applied by the helper only on
// that setting's own pages. A wording can only add a label to a setting the rules define: never a page, an
// origin, a new setting or a desired state. Pure: no browser APIs here apart from the words (shared/i18n.js).

import { t } from "./i18n.js";
import { WordingLimits } from "./vocabulary.js";

// The same folding the helper's labels.normalize does, enough to tell an empty or repeated wording.
function folded(text) {
  return String(text).normalize("NFKC").toLowerCase().replace(/['\u2019`]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

function ruleIds(rulesDocument) {
  return new Set((rulesDocument?.settings ?? []).map((setting) => setting.id));
}

// {ok: true, wording} or {ok: false, sentence}: may `label` be taught for `settingId`? It must be one of the
// candidates the helper listed for that setting (the person chose it; nothing else is taught), a setting the
// rules define, within the helper's limits.
export function checkTaught(rulesDocument, settingId, label, candidates, taught = {}) {
  if (!ruleIds(rulesDocument).has(settingId)) {
    return { ok: false, sentence: t("teach_unknown_setting") };
  }
  if (typeof label !== "string" || !folded(label)) {
    return { ok: false, sentence: t("teach_no_name") };
  }
  if (label.length > WordingLimits.MAX_WORDING) {
    return { ok: false, sentence: t("teach_too_long") };
  }
  if (!(candidates ?? []).some((candidate) => candidate?.label === label)) {
    return { ok: false, sentence: t("teach_not_a_candidate") };
  }
  const known = taught[settingId] ?? [];
  if (!known.includes(label) && known.length >= WordingLimits.MAX_PER_SETTING) {
    return { ok: false, sentence: t("teach_too_many_names") };
  }
  const others = Object.keys(taught).filter((id) => id !== settingId && (taught[id] ?? []).length);
  if (!known.length && others.length >= WordingLimits.MAX_SETTINGS) {
    return { ok: false, sentence: t("teach_too_many_settings") };
  }
  return { ok: true, wording: label };
}

// The taught wordings with `wording` added for `settingId` (newest first, each once). Call checkTaught first.
export function withTaught(taught, settingId, wording) {
  const kept = (taught?.[settingId] ?? []).filter((known) => known !== wording);
  return { ...(taught ?? {}), [settingId]: [wording, ...kept] };
}

// The taught wordings without `wording` for `settingId` (all of that setting's when `wording` is omitted).
export function withoutTaught(taught, settingId, wording = undefined) {
  const rest = { ...(taught ?? {}) };
  const kept = wording === undefined ? [] : (rest[settingId] ?? []).filter((known) => known !== wording);
  if (kept.length) rest[settingId] = kept;
  else delete rest[settingId];
  return rest;
}

// What a run sends as `wordings`: only settings the current rules define (a later list may drop one; the
// helper refuses unknown ids), each within the helper's limits. null when there is nothing to send.
export function wordingsForRun(taught, rulesDocument) {
  const ids = ruleIds(rulesDocument);
  const wordings = {};
  for (const [settingId, texts] of Object.entries(taught ?? {})) {
    if (!ids.has(settingId) || !Array.isArray(texts)) continue;
    const usable = texts.filter((text) => typeof text === "string" && folded(text) && text.length <= WordingLimits.MAX_WORDING);
    if (usable.length) wordings[settingId] = [...new Set(usable)].slice(0, WordingLimits.MAX_PER_SETTING);
    if (Object.keys(wordings).length >= WordingLimits.MAX_SETTINGS) break;
  }
  return Object.keys(wordings).length ? wordings : null;
}

// Was this result matched by a wording the person taught? The helper says so in `wording_source`.
export function isTaught(result) {
  return result?.wording_source === "taught";
}
