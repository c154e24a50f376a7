import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";

import { progressWriter } from "../../../extension/background/runs.js";
import { StoreKey } from "../../../extension/shared/store.js";

// Session storage whose writes finish only when the test says so (`finishWrites`).
function fakeSession() {
  const written = [];
  const unfinished = [];
  globalThis.chrome = {
    storage: {
      session: {
        set: (items) =>
          new Promise((resolve) => {
            written.push(items[StoreKey.RUN]); // as given: a run object shared with later events would change here
            unfinished.push(resolve);
          }),
      },
    },
  };
  // Until no write is left: each finished write may let the one queued after it start.
  const finishWrites = async () => {
    for (;;) {
      await tick();
      if (unfinished.length === 0) return;
      unfinished.shift()();
    }
  };
  return { written, finishWrites };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => delete globalThis.chrome);

const liveRun = () => ({ requestId: "r1", mode: "apply", step: "launching", message: "", done: 0, total: 3, settings: {} });

describe("progressWriter", () => {
  it("a burst of progress is one write after the one on its way, carrying every event", async () => {
    const { written, finishWrites } = fakeSession();
    const write = progressWriter(liveRun());
    write({ step: "loading", done: 0, total: 3 });
    await tick();
    assert.equal(written.length, 1); // on its way
    write({ step: "reading", setting_id: "a" });
    write({ step: "setting_done", setting_id: "a", status: "changed", done: 1 });
    write({ step: "reading", setting_id: "b" });
    await finishWrites();
    await write.settled();
    assert.equal(written.length, 2);
    const last = written.at(-1);
    assert.equal(last.step, "reading");
    assert.equal(last.done, 1);
    assert.deepEqual(last.settings.a, { step: "setting_done", status: "changed", message: "" });
    assert.deepEqual(last.settings.b, { step: "reading", status: null, message: "" });
  });

  it("an event after every write finished is written again, so the stored run is never left behind", async () => {
    const { written, finishWrites } = fakeSession();
    const write = progressWriter(liveRun());
    write({ step: "loading" });
    await finishWrites();
    await write.settled();
    write({ step: "finished", done: 3, total: 3 });
    await finishWrites();
    await write.settled();
    assert.deepEqual(written.map((run) => run.step), ["loading", "finished"]);
    assert.equal(written.at(-1).done, 3);
  });

  it("each write is a copy: later events do not change what an earlier write stored", async () => {
    const { written, finishWrites } = fakeSession();
    const run = liveRun();
    const write = progressWriter(run);
    write({ step: "loading" });
    await tick();
    write({ step: "verifying", setting_id: "a" });
    await finishWrites();
    await write.settled();
    assert.equal(written[0].step, "loading");
    assert.deepEqual(written[0].settings, {});
  });
});
