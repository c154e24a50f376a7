// What the person taught Optout, and the field reports they choose to send. Teaching keeps a wording in
// local storage for the next runs (shared/teach.js); a report goes to the configured rules service only,
// only when the person presses Send, and only the document the popup showed (shared/field-report.js).

import { SERVICE_TIMEOUT_MS } from "../shared/config.js";
import { reportsAddress } from "../shared/field-report.js";
import { t } from "../shared/i18n.js";
import { serviceAddress } from "../shared/rules-source.js";
import { readSnapshot, StoreKey } from "../shared/store.js";
import { checkTaught, withoutTaught, withTaught } from "../shared/teach.js";
import { serialized } from "./serial.js";

class TeachError extends Error {
  constructor(sentence) {
    super(sentence);
    this.kind = "teach";
  }
}

// Learn `label` as a wording for `settingId`: it must be one of the candidates the last run listed for it.
export function teachWording(settingId, label) {
  return serialized(async () => {
    const snapshot = await readSnapshot();
    const candidates = snapshot.settingStates[settingId]?.candidates ?? [];
    const answer = checkTaught(snapshot.rules?.document, settingId, label, candidates, snapshot.taught);
    if (!answer.ok) throw new TeachError(answer.sentence);
    const taught = withTaught(snapshot.taught, settingId, answer.wording);
    await chrome.storage.local.set({ [StoreKey.TAUGHT]: taught });
    return { taught };
  });
}

export function forgetWording(settingId, wording) {
  return serialized(async () => {
    const { taught } = await readSnapshot();
    const rest = withoutTaught(taught, settingId, wording);
    await chrome.storage.local.set({ [StoreKey.TAUGHT]: rest });
    return { taught: rest };
  });
}

// Sends `document` as it is (the popup built it with buildFieldReport and showed it). Resolves to
// {sent: true, id} or {sent: false, sentence}.
export async function sendFieldReport(document) {
  const { preferences } = await readSnapshot();
  const address = reportsAddress(serviceAddress(preferences));
  if (!address) return { sent: false, sentence: t("report_no_service") };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 2 * SERVICE_TIMEOUT_MS);
  try {
    const response = await fetch(address, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(document),
      credentials: "omit",
      cache: "no-store",
      signal: controller.signal,
    });
    if (response.status === 202) {
      const answer = await response.json().catch(() => ({}));
      return { sent: true, id: answer?.id ?? null };
    }
    if (response.status === 429) return { sent: false, sentence: t("report_busy") };
    return { sent: false, sentence: t("report_refused") };
  } catch {
    return { sent: false, sentence: t("report_unreachable") };
  } finally {
    clearTimeout(timer);
  }
}
