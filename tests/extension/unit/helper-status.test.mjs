import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { isStatusAnswer, statusUpdate } from "../../../extension/shared/helper-status.js";
import { StoreKey } from "../../../extension/shared/store.js";

const ID = "pinterest.ads.off_pinterest";
const ours = (state, checkedAt, confirmed = false) => ({ [ID]: { state, status: "changed", confirmed, checkedAt, message: "", page: null } });
const answer = (entry) => ({ platform: "pinterest", settings: { [ID]: entry }, last_run: null });

describe("what the helper's status answer changes", () => {
  it("takes a reading made later than the extension's (a run from the command line)", () => {
    const local = { [StoreKey.SETTING_STATES]: ours(false, "2026-11-23T10:00:00.500Z", true) };
    const update = statusUpdate(local, answer({ state: true, status: "would_change", checked_at: "2026-11-23T11:00:00Z" }));
    assert.deepEqual(update[StoreKey.SETTING_STATES][ID], {
      state: true,
      status: "would_change",
      confirmed: true, // confirmed before stays confirmed
      checkedAt: "2026-11-23T11:00:00Z",
      message: "",
      page: null,
    });
  });

  it("keeps the extension's reading when the helper's is older, even within the same second", () => {
    const local = { [StoreKey.SETTING_STATES]: ours(false, "2026-11-23T10:00:20.123Z") };
    const update = statusUpdate(local, answer({ state: true, status: "would_change", checked_at: "2026-11-23T10:00:20Z" }));
    assert.equal(update[StoreKey.SETTING_STATES][ID].state, false);
  });

  it("confirms a setting the command line changed or found already right, and skips unread ones", () => {
    const changed = statusUpdate({}, answer({ state: false, status: "changed", checked_at: "2026-11-23T11:00:00Z" }));
    assert.equal(changed[StoreKey.SETTING_STATES][ID].confirmed, true);
    const unread = statusUpdate({}, answer({ state: null, status: "not_found", checked_at: "2026-11-23T11:00:00Z" }));
    assert.deepEqual(unread[StoreKey.SETTING_STATES], {});
  });

  it("clears a helper problem, since the helper answered, and leaves any other problem", () => {
    const missing = statusUpdate({ [StoreKey.PROBLEM]: { kind: "host_missing" } }, answer({}));
    assert.equal(missing[StoreKey.PROBLEM], null);
    const blocked = statusUpdate({ [StoreKey.PROBLEM]: { kind: "blocked" } }, answer({}));
    assert.equal(StoreKey.PROBLEM in blocked, false);
  });

  it("takes only an object as an answer", () => {
    assert.equal(isStatusAnswer({ settings: {} }), true);
    for (const wrong of [null, "status", [], 3]) assert.equal(isStatusAnswer(wrong), false);
  });
});
