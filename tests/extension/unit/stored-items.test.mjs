import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";

import { readSnapshot, StoredItems, StoreKey } from "../../../extension/shared/store.js";

// chrome.storage with two areas whose reads answer only when the test says so (`answerReads`), so a change
// can be reported while a read is on its way, as it can in the browser.
function fakeStorage(local, session) {
  const waiting = [];
  const area = (items) => ({
    get: (keys) =>
      new Promise((resolve) => {
        const copy = structuredClone(keys === null ? items : { [keys]: items[keys] });
        waiting.push(() => resolve(copy));
      }),
  });
  globalThis.chrome = { storage: { local: area(local), session: area(session) } };
  return () => waiting.splice(0).forEach((answer) => answer());
}

afterEach(() => delete globalThis.chrome);

const states = (state) => ({ "pinterest.ads.off_pinterest": { state, status: "changed", checkedAt: "2026-11-23T15:00:00Z" } });

describe("StoredItems", () => {
  it("gives what readSnapshot gives", async () => {
    const local = { [StoreKey.SETTING_STATES]: states(false), [StoreKey.PROBLEM]: { kind: "blocked" } };
    const session = { [StoreKey.RUN]: { step: "loading" } };
    const answerReads = fakeStorage(local, session);
    const stored = new StoredItems();
    const loaded = stored.load();
    const read = readSnapshot();
    await Promise.resolve();
    answerReads();
    assert.deepEqual(await loaded, await read);
    assert.equal(stored.snapshot().run.step, "loading");
  });

  it("follows the changes storage reports, and forgets removed items", async () => {
    const answerReads = fakeStorage({ [StoreKey.SETTING_STATES]: states(true) }, { [StoreKey.RUN]: { step: "loading" } });
    const stored = new StoredItems();
    const loaded = stored.load();
    answerReads();
    await loaded;
    stored.apply({ [StoreKey.SETTING_STATES]: { oldValue: states(true), newValue: states(false) } }, "local");
    stored.apply({ [StoreKey.RUN]: { oldValue: { step: "loading" }, newValue: { step: "verifying" } } }, "session");
    assert.equal(stored.snapshot().settingStates["pinterest.ads.off_pinterest"].state, false);
    assert.equal(stored.snapshot().run.step, "verifying");
    stored.apply({ [StoreKey.RUN]: { oldValue: { step: "verifying" } } }, "session");
    assert.equal(stored.snapshot().run, null);
  });

  it("a change reported while a read is on its way is not lost when the read answers with older items", async () => {
    const answerReads = fakeStorage({ [StoreKey.SETTING_STATES]: states(true) }, {});
    const stored = new StoredItems();
    const loaded = stored.load();
    await Promise.resolve();
    // The read was answered from storage before this write, but its answer arrives after the change event.
    stored.apply({ [StoreKey.SETTING_STATES]: { oldValue: states(true), newValue: states(false) } }, "local");
    answerReads();
    await loaded;
    assert.equal(stored.snapshot().settingStates["pinterest.ads.off_pinterest"].state, false);
  });

  it("has nothing to show before its first read answers, and ignores other areas", async () => {
    const answerReads = fakeStorage({}, {});
    const stored = new StoredItems();
    assert.equal(stored.snapshot(), null);
    const loaded = stored.load();
    answerReads();
    await loaded;
    stored.apply({ [StoreKey.PROBLEM]: { newValue: { kind: "blocked" } } }, "sync");
    assert.equal(stored.snapshot().problem, null);
  });
});
