// Asks the native host for `hello` twice: once with sendNativeMessage, once over a connectNative port.
const HOST = "com.optout.host";
window.results = {};

chrome.runtime.sendNativeMessage(HOST, { id: "one-shot", type: "hello", protocol: 1 }, (reply) => {
  window.results.sendNativeMessage = reply ?? { failed: chrome.runtime.lastError?.message ?? "no reply" };
});

const port = chrome.runtime.connectNative(HOST);
const portReplies = [];
port.onMessage.addListener((message) => {
  portReplies.push(message);
  if (portReplies.length === 2) {
    window.results.connectNative = portReplies;
    port.disconnect();
  }
});
port.onDisconnect.addListener(() => {
  if (!window.results.connectNative) {
    window.results.connectNative = { failed: chrome.runtime.lastError?.message ?? "disconnected", portReplies };
  }
});
port.postMessage({ id: "port-1", type: "hello" });
port.postMessage({ id: "port-2", type: "status", platform: "pinterest" });
