// Talking to the native host: one port per request, opened with connectNative and closed
// as soon as the request ends (docs/protocol.md).

import { HOST_NAME, MessageType, PROTOCOL_VERSION, ReplyEvent } from "../shared/vocabulary.js";

export class HostError extends Error {
  // kind: "host_missing", "host_forbidden", "host_failed" (the host could not be reached or died),
  // or "protocol" (the host answered with an error envelope; code and name say which).
  constructor(kind, message, { code = null, name = null } = {}) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.name = name;
  }
}

let counter = 0;
const openPorts = new Map();

export function newRequestId() {
  counter += 1;
  return `r${Date.now().toString(36)}${counter}`;
}

function disconnectError(message = "") {
  if (/not found/i.test(message)) return new HostError("host_missing", message);
  if (/forbidden/i.test(message)) return new HostError("host_forbidden", message);
  return new HostError("host_failed", message || "The Optout helper stopped unexpectedly.");
}

export function askHost(type, fields = {}, { onProgress = () => {}, id = newRequestId() } = {}) {
  return new Promise((resolve, reject) => {
    let port;
    try {
      port = chrome.runtime.connectNative(HOST_NAME);
    } catch (error) {
      reject(disconnectError(String(error?.message ?? error)));
      return;
    }
    let settled = false;
    openPorts.set(id, port);
    const finish = (outcome, value) => {
      if (settled) return;
      settled = true;
      openPorts.delete(id);
      port.disconnect();
      outcome(value);
    };
    port.onMessage.addListener((reply) => {
      if (reply?.id !== id) return;
      if (reply.event === ReplyEvent.PROGRESS) {
        onProgress(reply.data);
      } else if (reply.event === ReplyEvent.RESULT) {
        finish(resolve, reply.data);
      } else if (reply.event === ReplyEvent.ERROR) {
        const error = reply.error ?? {};
        finish(reject, new HostError("protocol", error.message ?? "", { code: error.code, name: error.name }));
      }
    });
    port.onDisconnect.addListener(() => {
      if (settled) return;
      settled = true;
      openPorts.delete(id);
      reject(disconnectError(chrome.runtime.lastError?.message));
    });
    port.postMessage({ id, type, protocol: PROTOCOL_VERSION, ...fields });
  });
}

// A cancel must reach the host process that runs the request, so it travels on that request's port.
export function cancelOnHost(runRequestId) {
  const port = openPorts.get(runRequestId);
  if (!port) return false;
  port.postMessage({ id: newRequestId(), type: MessageType.CANCEL, protocol: PROTOCOL_VERSION, run: runRequestId });
  return true;
}
