// Talking to the native host (docs/protocol.md) over one port, opened with connectNative when a request
// needs it and shared by every request while the helper is in use: each port is a new helper process,
// and starting one costs more than most requests (Python, then its imports). The popup's status and the
// opt-out that follows therefore reach the same process. The port closes once no request has been
// waiting for IDLE_CLOSE_MS, so the helper ends and the browser may put this worker to sleep again.

import { mark } from "../shared/timing.js";
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

// Long enough to cover reading the popup before pressing its button; an open port keeps this worker awake.
export const IDLE_CLOSE_MS = 30_000;

let counter = 0;
let connection = null; // {port, pending: Map(request id -> {onProgress, resolve, reject}), idleTimer}

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

function openConnection() {
  const port = chrome.runtime.connectNative(HOST_NAME);
  mark("host:started");
  const opened = { port, pending: new Map(), idleTimer: null };
  port.onMessage.addListener((reply) => {
    const request = opened.pending.get(reply?.id);
    if (!request) return;
    if (reply.event === ReplyEvent.PROGRESS) {
      request.onProgress(reply.data);
    } else if (reply.event === ReplyEvent.RESULT) {
      settle(opened, reply.id, () => request.resolve(reply.data));
    } else if (reply.event === ReplyEvent.ERROR) {
      const error = reply.error ?? {};
      settle(opened, reply.id, () => request.reject(new HostError("protocol", error.message ?? "", { code: error.code, name: error.name })));
    }
  });
  port.onDisconnect.addListener((closed) => {
    // Read even when nothing waits: Chromium logs a lastError that nobody looked at.
    const error = disconnectError(closed?.error ?? port.error, chrome.runtime.lastError);
    forget(opened);
    for (const request of opened.pending.values()) request.reject(error);
    opened.pending.clear();
  });
  return opened;
}

function forget(opened) {
  clearTimeout(opened.idleTimer);
  if (connection === opened) connection = null;
}

function settle(opened, id, answer) {
  opened.pending.delete(id);
  mark("host:answered");
  if (opened.pending.size === 0) opened.idleTimer = setTimeout(() => closeHelper(opened), IDLE_CLOSE_MS);
  answer();
}

// Ends the helper process once nothing waits for it (the idle timer), or at once when asked (the bench
// measures a popup opened with no helper running). False while a request still waits for it.
export function closeHelper(opened = connection) {
  if (!opened) return true;
  if (opened.pending.size > 0) return false;
  forget(opened);
  opened.port.disconnect();
  return true;
}

export function askHost(type, fields = {}, { onProgress = () => {}, id = newRequestId() } = {}) {
  return new Promise((resolve, reject) => {
    try {
      connection ??= openConnection();
    } catch (error) {
      reject(disconnectError(error instanceof Error ? error : { message: String(error) }));
      return;
    }
    const opened = connection;
    clearTimeout(opened.idleTimer);
    opened.pending.set(id, { onProgress, resolve, reject });
    mark(`host:${type}:asked`);
    try {
      opened.port.postMessage({ id, type, protocol: PROTOCOL_VERSION, ...fields });
    } catch (error) {
      // Firefox may close a port to a missing host before the first message: its reason is on port.error.
      forget(opened);
      if (opened.pending.delete(id)) reject(disconnectError(opened.port.error, error));
    }
  });
}

// A cancel must reach the host process that runs the request: the one port, while the run waits on it.
export function cancelOnHost(runRequestId) {
  if (!connection?.pending.has(runRequestId)) return false;
  connection.port.postMessage({ id: newRequestId(), type: MessageType.CANCEL, protocol: PROTOCOL_VERSION, run: runRequestId });
  return true;
}
