// What the helper's `status` answer (docs/protocol.md) changes in what the extension keeps: each setting's
// state when the helper read it later than the extension did (runs made from the command line), and a helper
// problem cleared, since the helper answered. The worker stores it (background/status.js); the popup draws it
// at once when it asked the helper itself (popup/refresh-request.js), before the worker has stored it.

import { CONFIRMING_STATUSES } from "./assess.js";
import { HOST_PROBLEMS } from "./problems.js";
import { StoreKey } from "./store.js";

function mergeStates(ours, theirs) {
  const merged = { ...ours };
  for (const [id, entry] of Object.entries(theirs ?? {})) {
    const known = merged[id];
    if (typeof entry?.state !== "boolean") continue;
    // Compared as times, not text: the host writes whole seconds ("…:20Z"), the extension milliseconds
    // ("…:20.123Z"), and as text the host's older reading of the same second would win.
    if (!known?.checkedAt || (entry.checked_at && Date.parse(entry.checked_at) > Date.parse(known.checkedAt))) {
      merged[id] = {
        state: entry.state,
        status: entry.status,
        // Runs made from the command line confirm a setting as the extension's own runs do.
        confirmed: Boolean(known?.confirmed) || CONFIRMING_STATUSES.includes(entry.status),
        checkedAt: entry.checked_at,
        message: "",
        page: null,
      };
    }
  }
  return merged;
}

// `local`: the stored items (at least settingStates and problem); the items to write into `local`.
export function statusUpdate(local, answer) {
  const update = { [StoreKey.SETTING_STATES]: mergeStates(local[StoreKey.SETTING_STATES] ?? {}, answer?.settings) };
  if (HOST_PROBLEMS.includes(local[StoreKey.PROBLEM]?.kind)) update[StoreKey.PROBLEM] = null;
  return update;
}

// An answer as the popup hands it over: an object, the shape the helper's `status` reply has.
export function isStatusAnswer(answer) {
  return Boolean(answer) && typeof answer === "object" && !Array.isArray(answer);
}
