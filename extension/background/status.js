// Refreshing what the popup shows: the host's last known state (it also records runs made from
// the command line) and, when they are stale, the rules. The helper's answer comes through the worker's own
// port, or from the popup, which asks a helper itself when the worker has none running.

import { PLATFORM } from "../shared/config.js";
import { isStatusAnswer, statusUpdate } from "../shared/helper-status.js";
import { readSnapshot, StoreKey } from "../shared/store.js";
import { mark } from "../shared/timing.js";
import { MessageType } from "../shared/vocabulary.js";
import { askHost, warmHelper } from "./host.js";
import { loadRules } from "./rules.js";
import { problemFromError, recordProblem, rememberRules, rulesAreFresh } from "./runs.js";
import { serialized } from "./serial.js";

export async function refreshStatus() {
  let answer;
  try {
    answer = await askHost(MessageType.STATUS, { platform: PLATFORM });
  } catch (error) {
    await recordProblem(problemFromError(error));
    return;
  }
  await storeStatus(answer);
}

// The popup asked a helper itself (popup/refresh-request.js), has drawn the answer, and hands it over: stored
// as the worker's own would be. A helper is then started for the opt-out that may follow.
export async function storePopupStatus(answer) {
  if (!isStatusAnswer(answer)) return;
  await storeStatus(answer);
  warmHelper();
}

async function storeStatus(answer) {
  await serialized(async () => {
    const stored = await chrome.storage.local.get([StoreKey.SETTING_STATES, StoreKey.PROBLEM]);
    await chrome.storage.local.set(statusUpdate(stored, answer));
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
