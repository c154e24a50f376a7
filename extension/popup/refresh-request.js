// The popup's first request, sent the moment this module runs: the helper's latest status is what takes
// longest to arrive (a helper process may have to start first), so it is asked for while the rest of the
// popup loads and draws what it already knows. popup.html runs this module on its own, before popup.js
// and its imports have loaded; popup.js imports it (a module runs once) to wait for the same answer.

import { WorkerRequest } from "../shared/requests.js";

export const refreshed = chrome.runtime.sendMessage({ kind: WorkerRequest.REFRESH });
