import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import vm from "node:vm";

import { WorkerRequest } from "../../../extension/shared/requests.js";

// popup/refresh-request.js is a classic script (it runs while popup.html is parsed), so it cannot import
// WorkerRequest: it is run here as the page runs it, and what it sends is checked against the one name.
const SCRIPT = readFileSync(new URL("../../../extension/popup/refresh-request.js", import.meta.url), "utf8");

describe("popup/refresh-request.js", () => {
  it("asks the worker for a refresh at once, and leaves the answer for popup.js", async () => {
    const sent = [];
    const page = {
      performance,
      chrome: { runtime: { sendMessage: async (message) => (sent.push(message), { ok: true, value: null }) } },
    };
    page.globalThis = page;
    vm.runInNewContext(SCRIPT, page);
    assert.equal(sent.length, 1);
    assert.deepEqual({ ...sent[0] }, { kind: WorkerRequest.REFRESH }); // made in the script's own realm
    assert.deepEqual(await page.statusAsked, { ok: true, value: null });
  });
});
