import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";

import { askHost, cancelOnHost, closeHelper, IDLE_CLOSE_MS } from "../../../extension/background/host.js";

// A native port as the browsers give it: each connectNative is a new helper process. `answer` replies to
// a posted request as the helper would, or not at all (null) so the test replies itself.
function fakeBrowser({ answer = (request) => ({ id: request.id, type: request.type, event: "result", data: { type: request.type } }), refuse = null } = {}) {
  const ports = [];
  const runtime = { lastError: undefined };
  runtime.connectNative = () => {
    const messageListeners = [];
    const disconnectListeners = [];
    const port = {
      posted: [],
      disconnected: false,
      error: null,
      onMessage: { addListener: (listener) => messageListeners.push(listener) },
      onDisconnect: { addListener: (listener) => disconnectListeners.push(listener) },
      postMessage(message) {
        if (refuse) {
          port.error = new Error(refuse);
          throw new Error("Attempt to postMessage on disconnected port");
        }
        port.posted.push(message);
        const reply = answer(message);
        if (reply) queueMicrotask(() => port.reply(reply));
      },
      disconnect() {
        port.disconnected = true;
      },
      reply(message) {
        for (const listener of messageListeners) listener(message);
      },
      // The helper ending (or never starting), with what the browser says about it.
      end(lastErrorMessage = null) {
        runtime.lastError = lastErrorMessage ? { message: lastErrorMessage } : undefined;
        port.disconnected = true;
        for (const listener of disconnectListeners) listener(port);
        runtime.lastError = undefined;
      },
    };
    ports.push(port);
    return port;
  };
  globalThis.chrome = { runtime };
  return ports;
}

let ports = [];

beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout"] });
});

afterEach(() => {
  for (const port of ports) if (!port.disconnected) port.end();
  ports = [];
  mock.timers.reset();
  delete globalThis.chrome;
});

describe("one helper process for the requests that follow each other", () => {
  it("the popup's status and the opt-out after it reach the same helper process", async () => {
    ports = fakeBrowser();
    assert.deepEqual(await askHost("status", { platform: "pinterest" }), { type: "status" });
    assert.deepEqual(await askHost("apply", { platform: "pinterest" }), { type: "apply" });
    assert.equal(ports.length, 1);
    assert.deepEqual(ports[0].posted.map((message) => message.type), ["status", "apply"]);
  });

  it("routes each reply and each progress to the request with its id", async () => {
    ports = fakeBrowser({ answer: () => null });
    const progress = [];
    const run = askHost("apply", {}, { id: "run", onProgress: (event) => progress.push(event) });
    const status = askHost("status", {}, { id: "status" });
    const [port] = ports;
    port.reply({ id: "run", event: "progress", data: { step: "loading" } });
    port.reply({ id: "status", event: "result", data: { settings: {} } });
    port.reply({ id: "someone-else", event: "result", data: { wrong: true } });
    assert.deepEqual(await status, { settings: {} });
    port.reply({ id: "run", event: "result", data: { status: "done" } });
    assert.deepEqual(await run, { status: "done" });
    assert.deepEqual(progress, [{ step: "loading" }]);
  });

  it("an error reply rejects only its own request, as a protocol error with the helper's code", async () => {
    ports = fakeBrowser({
      answer: (request) =>
        request.type === "apply"
          ? { id: request.id, event: "error", error: { code: 9, name: "busy", message: "A run is going on." } }
          : { id: request.id, event: "result", data: {} },
    });
    await assert.rejects(askHost("apply"), { kind: "protocol", name: "busy", code: 9 });
    assert.deepEqual(await askHost("status"), {});
    assert.equal(ports.length, 1);
  });
});

describe("closing the helper", () => {
  it("ends the helper once nothing has waited for a while, and starts a new one for the next request", async () => {
    ports = fakeBrowser();
    await askHost("status");
    mock.timers.tick(IDLE_CLOSE_MS - 1);
    assert.equal(ports[0].disconnected, false);
    mock.timers.tick(1);
    assert.equal(ports[0].disconnected, true);
    await askHost("status");
    assert.equal(ports.length, 2);
  });

  it("never while a request waits, however long the run takes", async () => {
    ports = fakeBrowser({ answer: () => null });
    const run = askHost("apply", {}, { id: "run" });
    mock.timers.tick(10 * IDLE_CLOSE_MS);
    assert.equal(closeHelper(), false);
    assert.equal(ports[0].disconnected, false);
    ports[0].reply({ id: "run", event: "result", data: { status: "done" } });
    await run;
    assert.equal(closeHelper(), true);
    assert.equal(ports[0].disconnected, true);
    assert.equal(closeHelper(), true); // nothing left running
  });

  it("a request made while the idle time runs keeps the same helper", async () => {
    ports = fakeBrowser();
    await askHost("status");
    mock.timers.tick(IDLE_CLOSE_MS - 1);
    await askHost("apply");
    mock.timers.tick(IDLE_CLOSE_MS - 1);
    assert.equal(ports.length, 1);
    assert.equal(ports[0].disconnected, false);
  });
});

describe("a helper that ends or is missing", () => {
  it("rejects every waiting request with what the browser said, and the next request starts a new helper", async () => {
    ports = fakeBrowser({ answer: () => null });
    const run = askHost("apply", {}, { id: "run" });
    const status = askHost("status", {}, { id: "status" });
    ports[0].end("Native host has exited.");
    await assert.rejects(run, { kind: "host_failed" });
    await assert.rejects(status, { kind: "host_failed" });
    const again = askHost("status", {}, { id: "again" });
    assert.equal(ports.length, 2);
    ports[1].reply({ id: "again", event: "result", data: { fresh: true } });
    assert.deepEqual(await again, { fresh: true });
  });

  it("Chromium: a missing helper is host_missing", async () => {
    ports = fakeBrowser({ answer: () => null });
    const status = askHost("status");
    ports[0].end("Specified native messaging host not found.");
    await assert.rejects(status, { kind: "host_missing" });
  });

  it("Firefox: a port refused at the first message is host_missing, and is not used again", async () => {
    ports = fakeBrowser({ refuse: "No such native application com.optout.host" });
    await assert.rejects(askHost("status"), { kind: "host_missing" });
    await assert.rejects(askHost("status"), { kind: "host_missing" });
    assert.equal(ports.length, 2);
  });
});

describe("cancel", () => {
  it("travels on the port of the run it cancels, and only while that run waits", async () => {
    ports = fakeBrowser({ answer: () => null });
    assert.equal(cancelOnHost("run"), false);
    const run = askHost("apply", {}, { id: "run" });
    assert.equal(cancelOnHost("run"), true);
    const cancel = ports[0].posted.at(-1);
    assert.equal(cancel.type, "cancel");
    assert.equal(cancel.run, "run");
    assert.notEqual(cancel.id, "run");
    ports[0].reply({ id: "run", event: "result", data: { status: "cancelled" } });
    assert.deepEqual(await run, { status: "cancelled" });
    assert.equal(cancelOnHost("run"), false);
  });
});
