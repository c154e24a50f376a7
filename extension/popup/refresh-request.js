// The popup's first request, sent while the page is still being parsed: the helper's latest status is what
// takes longest to arrive (a helper process may have to start first), so it is asked for before the popup's
// modules load and while it draws what it already knows. popup.js waits on `globalThis.statusAsked`.
//
// When the worker has a helper running (a run, or a request in the last 30 s), the worker answers through it.
// Otherwise this page starts a helper for the status itself: the worker may be asleep, and its start-up would
// come first and compete with the helper's for the processor. The answer (`{ helperAnswer, stored }`) is drawn by
// the popup at once and handed to the worker, which stores it as it stores its own (`stored`: its reply); when the
// helper cannot be asked from here, the worker asks it and says what is wrong.
//
// A classic script, not a module: it runs as soon as it is fetched, where a module waits for its imports (about
// 35 ms here). So the names below are written out; tests/extension/unit/refresh-request.test.mjs runs this
// script and checks what it sends against the modules that define them.

globalThis.statusAsked = (async () => {
  const Helper = { NAME: "com.optout.host", PROTOCOL: 1, STATUS: "status", RESULT: "result" }; // shared/vocabulary.js
  const PLATFORM = "pinterest"; // shared/config.js
  const HELPER_RUNNING = "helperRunning"; // StoreKey, shared/store.js
  const Ask = { REFRESH: "refresh", STORE_STATUS: "store_status" }; // WorkerRequest, shared/requests.js

  async function askHelper() {
    performance.mark("optout:popup:helper-asked");
    try {
      const request = { id: "popup-status", type: Helper.STATUS, protocol: Helper.PROTOCOL, platform: PLATFORM };
      const reply = await chrome.runtime.sendNativeMessage(Helper.NAME, request);
      return reply?.event === Helper.RESULT ? reply.data : null;
    } catch {
      return null;
    } finally {
      performance.mark("optout:popup:helper-answered");
    }
  }

  performance.mark("optout:popup:status-asked");
  const session = await chrome.storage.session.get(HELPER_RUNNING);
  if (session[HELPER_RUNNING]) return chrome.runtime.sendMessage({ kind: Ask.REFRESH });
  const answer = await askHelper();
  if (!answer) return chrome.runtime.sendMessage({ kind: Ask.REFRESH });
  // Not waited for unless the popup has no rules yet (the worker fetches them after storing the answer).
  const stored = chrome.runtime.sendMessage({ kind: Ask.STORE_STATUS, answer });
  stored.catch(() => {}); // the popup may close first
  return { helperAnswer: answer, stored };
})();
