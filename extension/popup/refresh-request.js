// The popup's first request, sent while the page is still being parsed: the helper's latest status is what
// takes longest to arrive (a helper process may have to start first), so it is asked for before the popup's
// modules load and while it draws what it already knows. A classic script, not a module: it runs as soon as
// it is fetched, where a module would wait for its own imports. popup.js waits on `globalThis.statusAsked`.
// "refresh" is WorkerRequest.REFRESH (shared/requests.js; tests/extension/unit/refresh-request.test.mjs checks).

performance.mark("optout:popup:status-asked");
globalThis.statusAsked = chrome.runtime.sendMessage({ kind: "refresh" });
