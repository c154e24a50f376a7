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

async function readAreas() {
  const [local, session] = await Promise.all([chrome.storage.local.get(null), chrome.storage.session.get(StoreKey.RUN)]);
  return { local, session };
}

export async function readSnapshot() {
  const { local, session } = await readAreas();
  return snapshotFrom(local, session);
}

// What readSnapshot gives, from the two storage areas' items (as read, or as StoredItems keeps them).
export function snapshotFrom(local, session) {
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

function applyChanges(areas, changes, area) {
  const items = area === "local" ? areas.local : area === "session" ? areas.session : null;
  if (!items) return;
  for (const [key, change] of Object.entries(changes)) {
    if (area === "session" && key !== StoreKey.RUN) continue;
    if (change.newValue === undefined) delete items[key];
    else items[key] = change.newValue;
  }
}

// A page's own copy of both storage areas: read, then kept current from the changes storage.onChanged
// reports (each carries the item's whole new value), so redrawing during a run needs no storage read.
// Changes reported while a read is on its way are applied again after it, in order, so the copy always
// ends as the last change left it, whether or not the read had already seen that change.
export class StoredItems {
  constructor() {
    this.areas = null;
    this.replays = new Set();
  }

  async load() {
    const replay = [];
    this.replays.add(replay);
    try {
      this.areas = await readAreas();
      for (const [changes, area] of replay) applyChanges(this.areas, changes, area);
    } finally {
      this.replays.delete(replay);
    }
    return this.snapshot();
  }

  // storage.onChanged's (changes, areaName).
  apply(changes, area) {
    for (const replay of this.replays) replay.push([changes, area]);
    if (this.areas) applyChanges(this.areas, changes, area);
  }

  // Null until the first read has answered.
  snapshot() {
    return this.areas ? snapshotFrom(this.areas.local, this.areas.session) : null;
  }
}
