// Where the extension keeps what it knows. `local` survives restarts; the live run lives in
// `session` so a popup opened mid-run can pick it up.

import { DEFAULT_PREFERENCES } from "./config.js";

export const StoreKey = Object.freeze({
  PREFERENCES: "preferences",
  RULES: "rules",
  KNOWN_SETTINGS: "knownSettings",
  SETTING_STATES: "settingStates",
  LAST_RUN: "lastRun",
  PROBLEM: "problem",
  NOTIFIED: "notified",
  LOGGED_OUT_NOTICE_AT: "loggedOutNoticeAt",
  RUN: "run",
  TAUGHT: "taught", // wordings the person taught: {"setting id": ["wording", ...]} (shared/teach.js)
});

export async function readPreferences() {
  const stored = await chrome.storage.local.get(StoreKey.PREFERENCES);
  return { ...DEFAULT_PREFERENCES, ...(stored[StoreKey.PREFERENCES] ?? {}) };
}

export async function writePreferences(changes) {
  const preferences = await readPreferences();
  await chrome.storage.local.set({ [StoreKey.PREFERENCES]: { ...preferences, ...changes } });
}

// Only rules the helper answered with count. Earlier versions stored rules they decoded from a fetched
// bundle themselves; those are ignored until the helper has been asked again.
function storedRules(rules) {
  return rules?.checkedByHelper === true ? rules : null;
}

export async function readSnapshot() {
  const local = await chrome.storage.local.get(null);
  const session = await chrome.storage.session.get(StoreKey.RUN);
  return {
    preferences: { ...DEFAULT_PREFERENCES, ...(local[StoreKey.PREFERENCES] ?? {}) },
    rules: storedRules(local[StoreKey.RULES]),
    knownSettings: local[StoreKey.KNOWN_SETTINGS] ?? [],
    settingStates: local[StoreKey.SETTING_STATES] ?? {},
    lastRun: local[StoreKey.LAST_RUN] ?? null,
    problem: local[StoreKey.PROBLEM] ?? null,
    taught: local[StoreKey.TAUGHT] ?? {},
    run: session[StoreKey.RUN] ?? null,
  };
}
