import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import vm from "node:vm";

import { PLATFORM } from "../../../extension/shared/config.js";
import { WorkerRequest } from "../../../extension/shared/requests.js";
import { StoreKey } from "../../../extension/shared/store.js";
import { HOST_NAME, MessageType, PROTOCOL_VERSION } from "../../../extension/shared/vocabulary.js";

// popup/refresh-request.js is a classic script (it runs while popup.html is parsed), so it cannot import the
// names it uses: it is run here as the page runs it, in a fake browser that records what reached the worker and
// what reached a helper, and what it sent is checked against the modules that define those names.
const SCRIPT = readFileSync(new URL("../../../extension/popup/refresh-request.js", import.meta.url), "utf8");

function fakeBrowser({ helperRunning = false, helper = (request) => ({ id: request.id, event: "result", data: { platform: PLATFORM, settings: {} } }) } = {}) {
  const toWorker = [];
  const toHelper = [];
  const chrome = {
    storage: { session: { get: async (key) => (key === StoreKey.HELPER_RUNNING && helperRunning ? { [key]: true } : {}) } },
    runtime: {
      sendMessage: async (message) => (toWorker.push(structuredClone(message)), { ok: true, value: null }),
      sendNativeMessage: async (name, request) => {
        toHelper.push({ name, request: structuredClone(request) });
        return helper(request);
      },
    },
  };
  return { chrome, toWorker, toHelper };
}

// The script run as the popup runs it; resolves to what popup.js would wait on.
function askedStatus(browser) {
  const page = { performance, chrome: browser.chrome };
  page.globalThis = page;
  vm.runInNewContext(SCRIPT, page);
  return page.statusAsked;
}

describe("popup/refresh-request.js", () => {
  it("with no helper running, asks one itself, and hands the answer to the popup and to the worker", async () => {
    const seen = fakeBrowser();
    const asked = await askedStatus(seen);
    assert.deepEqual(asked.helperAnswer, { platform: PLATFORM, settings: {} });
    assert.deepEqual(await asked.stored, { ok: true, value: null }); // the worker's reply, for a popup with no rules yet
    assert.equal(seen.toHelper.length, 1);
    const { name, request } = seen.toHelper[0];
    assert.equal(name, HOST_NAME);
    assert.equal(request.type, MessageType.STATUS);
    assert.equal(request.protocol, PROTOCOL_VERSION);
    assert.equal(request.platform, PLATFORM);
    assert.deepEqual(
      seen.toWorker.map((message) => message.kind),
      [WorkerRequest.STORE_STATUS],
    );
    assert.deepEqual(seen.toWorker[0].answer, { platform: PLATFORM, settings: {} });
  });

  it("while the worker has a helper running, asks the worker, and starts no helper", async () => {
    const seen = fakeBrowser({ helperRunning: true });
    await askedStatus(seen);
    assert.deepEqual(seen.toHelper, []);
    assert.deepEqual(seen.toWorker, [{ kind: WorkerRequest.REFRESH }]);
  });

  it("when the helper cannot be asked from here, the worker asks it (and records what is wrong)", async () => {
    const missing = fakeBrowser({
      helper: () => {
        throw new Error("Specified native messaging host not found.");
      },
    });
    await askedStatus(missing);
    assert.deepEqual(
      missing.toWorker.map((message) => message.kind),
      [WorkerRequest.REFRESH],
    );
    const refused = fakeBrowser({
      helper: (request) => ({ id: request.id, event: "error", error: { code: 7, name: "forbidden_caller", message: "No." } }),
    });
    await askedStatus(refused);
    assert.deepEqual(
      refused.toWorker.map((message) => message.kind),
      [WorkerRequest.REFRESH],
    );
  });
});
