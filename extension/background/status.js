// Refreshing what the popup shows: the host's last known state (it also records runs made from
// the command line) and, when they are stale, the rules.

import { CONFIRMING_STATUSES } from "../shared/assess.js";
import { PLATFORM } from "../shared/config.js";
import { HOST_PROBLEMS } from "../shared/problems.js";
import { readSnapshot, StoreKey } from "../shared/store.js";
import { mark } from "../shared/timing.js";
import { MessageType } from "../shared/vocabulary.js";
import { askHost } from "./host.js";
import { loadRules } from "./rules.js";
import { problemFromError, recordProblem, rememberRules, rulesAreFresh } from "./runs.js";
import { serialized } from "./serial.js";

function mergeStates(ours, theirs) {
  const merged = { ...ours };
  for (const [id, entry] of Object.entries(theirs ?? {})) {
    const known = merged[id];
    if (typeof entry.state !== "boolean") continue;
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

export async function refreshStatus() {
  let answer;
  try {
    answer = await askHost(MessageType.STATUS, { platform: PLATFORM });
  } catch (error) {
    await recordProblem(problemFromError(error));
    return;
  }
  await serialized(async () => {
    const stored = await chrome.storage.local.get([StoreKey.SETTING_STATES, StoreKey.PROBLEM]);
    const update = { [StoreKey.SETTING_STATES]: mergeStates(stored[StoreKey.SETTING_STATES] ?? {}, answer.settings) };
    if (HOST_PROBLEMS.includes(stored[StoreKey.PROBLEM]?.kind)) update[StoreKey.PROBLEM] = null;
    await chrome.storage.local.set(update);
  });
  mark("status:stored");
  const { rules, preferences } = await readSnapshot();
  mark("status:rules-looked-at");
  if (!rulesAreFresh(rules, preferences)) {
    try {
      await rememberRules(await loadRules(preferences), preferences);
    } catch (error) {
      await recordProblem(problemFromError(error));
    }
  }
}

export async function historyPage(page, pageSize) {
  return askHost(MessageType.HISTORY, { platform: PLATFORM, page, page_size: pageSize });
}

export async function fullHistory() {
  const runs = [];
  for (let page = 1; ; page += 1) {
    const answer = await historyPage(page, 100);
    runs.push(...answer.runs);
    if (answer.runs.length === 0 || runs.length >= answer.total) return runs;
  }
}
