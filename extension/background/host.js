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

// Chromium says why a port closed in runtime.lastError ("Specified native messaging host not found.",
// "Access to the specified native messaging host is forbidden."); Firefox says it on port.error instead, and
// says "No such native application com.optout.host" for a missing manifest and a wrong add-on id alike (its
// NativeMessaging.sys.mjs). A host that simply ends leaves port.error null. Whichever carries a message decides.
const MISSING = /not found|no such native application/i;
const FORBIDDEN = /forbidden/i;

export function disconnectError(portError = null, lastError = null) {
  const message = String(portError?.message ?? lastError?.message ?? "");
  if (MISSING.test(message)) return new HostError("host_missing", message);
  if (FORBIDDEN.test(message)) return new HostError("host_forbidden", message);
  return new HostError("host_failed", message || "The Optout helper stopped unexpectedly.");
}

export function askHost(type, fields = {}, { onProgress = () => {}, id = newRequestId() } = {}) {
  return new Promise((resolve, reject) => {
    let port;
    try {
      port = chrome.runtime.connectNative(HOST_NAME);
    } catch (error) {
      reject(disconnectError(error instanceof Error ? error : { message: String(error) }));
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
    port.onDisconnect.addListener((closed) => {
      if (settled) return;
      settled = true;
      openPorts.delete(id);
      reject(disconnectError(closed?.error ?? port.error, chrome.runtime.lastError));
    });
    try {
      port.postMessage({ id, type, protocol: PROTOCOL_VERSION, ...fields });
    } catch (error) {
      // Firefox may close a port to a missing host before the first message: its reason is on port.error.
      if (settled) return;
      settled = true;
      openPorts.delete(id);
      reject(disconnectError(port.error, error));
    }
  });
}

// A cancel must reach the host process that runs the request, so it travels on that request's port.
export function cancelOnHost(runRequestId) {
  const port = openPorts.get(runRequestId);
  if (!port) return false;
  port.postMessage({ id: newRequestId(), type: MessageType.CANCEL, protocol: PROTOCOL_VERSION, run: runRequestId });
  return true;
}
