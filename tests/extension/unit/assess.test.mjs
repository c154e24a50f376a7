import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { assess, runProgress, Standing, standingOf } from "../../../extension/shared/assess.js";
import { ads, canvas, searchPrivacy, snapshot } from "./fixtures.mjs";

describe("standingOf", () => {
  const cases = [
    ["not read yet", canvas, undefined, Standing.UNKNOWN],
    ["read in the chosen state", canvas, { state: false, status: "changed" }, Standing.AS_CHOSEN],
    ["read in the other state", canvas, { state: true, status: "would_change" }, Standing.NOT_AS_CHOSEN],
    ["desired on and on", searchPrivacy, { state: true, status: "already_ok" }, Standing.AS_CHOSEN],
    ["not on this account", canvas, { state: true, status: "not_found" }, Standing.NOT_OFFERED],
    ["locked", canvas, { state: true, status: "locked" }, Standing.NOT_OFFERED],
    ["did not stick", canvas, { state: true, status: "verify_failed" }, Standing.NEEDS_YOU],
    ["nothing saved", canvas, { state: true, status: "not_saved" }, Standing.NEEDS_YOU],
    ["ambiguous", canvas, { state: null, status: "ambiguous" }, Standing.NEEDS_YOU],
    ["paused by the rules, even with a state read before", canvas, { state: true, status: "paused" }, Standing.PAUSED],
  ];
  for (const [name, setting, known, expected] of cases) {
    it(name, () => assert.equal(standingOf(setting, known), expected));
  }
});

describe("assess", () => {
  it("never chooses a setting that narrows who can find the person unless they ticked it", () => {
    const chosen = assess(snapshot()).rows.map((row) => row.setting.id);
    assert.deepEqual(chosen, [canvas.id, ads.id]);
    const ticked = assess(snapshot({ preferences: { choices: { [searchPrivacy.id]: true } } }));
    assert.ok(ticked.rows.some((row) => row.setting.id === searchPrivacy.id));
  });

  it("calls a setting changed back only when Optout confirmed it before", () => {
    const never = assess(snapshot({ settingStates: { [canvas.id]: { state: true, status: "would_change" } } }));
    assert.deepEqual(never.drifted, []);
    assert.equal(never.headline.title, "1 setting is not how you chose it");
    const confirmed = assess(
      snapshot({ settingStates: { [canvas.id]: { state: true, status: "would_change", confirmed: true } } }),
    );
    assert.deepEqual(
      confirmed.drifted.map((setting) => setting.id),
      [canvas.id],
    );
  });

  it("keeps settings Pinterest does not offer out of the badge count and the headline's trouble", () => {
    const view = assess(
      snapshot({
        settingStates: {
          [canvas.id]: { state: null, status: "not_found" },
          [ads.id]: { state: false, status: "changed", confirmed: true },
        },
      }),
    );
    assert.equal(view.badge.text, "\u2713");
    assert.equal(view.headline.title, "You\u2019re opted out");
    assert.match(view.headline.text, /doesn\u2019t offer 1 of them/);
  });

  it("counts settings that need the person in the badge and says so", () => {
    const view = assess(
      snapshot({
        settingStates: {
          [canvas.id]: { state: true, status: "verify_failed" },
          [ads.id]: { state: false, status: "already_ok" },
        },
      }),
    );
    assert.equal(view.badge.text, "1");
    assert.equal(view.headline.title, "1 setting needs you");
  });

  it("puts the helper and the login first, the same way for badge and popup", () => {
    for (const kind of ["host_missing", "host_forbidden", "host_failed"]) {
      const view = assess(snapshot({ problem: { kind } }));
      assert.equal(view.hostMissing, true);
      assert.equal(view.badge.text, "!");
    }
    const loggedOut = assess(snapshot({ problem: { kind: "login_required" } }));
    assert.equal(loggedOut.loggedOut, true);
    assert.equal(loggedOut.badge.text, "?");
  });

  it("says nothing was checked before the first run", () => {
    const view = assess(snapshot());
    assert.equal(view.headline.title, "Not checked yet");
    assert.equal(view.badge.text, "");
  });

  it("offers new settings the person has not seen", () => {
    const view = assess(snapshot({ knownSettings: [canvas.id] }));
    assert.deepEqual(
      view.undecided.map((setting) => setting.id),
      [ads.id, searchPrivacy.id],
    );
  });
});

describe("runProgress", () => {
  it("moves with each setting and the step it is on", () => {
    assert.deepEqual(runProgress({ done: 0, settings: {} }, 8), { done: 0, fraction: 0 });
    const reading = runProgress({ done: 0, settings: { a: { step: "reading" } } }, 8);
    assert.equal(reading.done, 0);
    assert.ok(reading.fraction > 0 && reading.fraction < 1 / 8);
    const two = runProgress({ done: 0, settings: { a: { step: "setting_done" }, b: { step: "setting_done" } } }, 8);
    assert.deepEqual(two, { done: 2, fraction: 2 / 8 });
  });
  it("never passes the end", () => {
    assert.deepEqual(runProgress({ done: 9, settings: { a: { step: "verifying" } } }, 8), { done: 8, fraction: 1 });
  });
});

describe("a paused setting", () => {
  it("is neither opted out nor a problem, and the headline says Optout paused it", () => {
    const view = assess(
      snapshot({
        settingStates: {
          [canvas.id]: { state: true, status: "paused", message: "Paused by Optout's maintainers: fixing it." },
          [ads.id]: { state: false, status: "already_ok" },
        },
      }),
    );
    assert.deepEqual(
      view.rows.map((row) => row.standing),
      [Standing.PAUSED, Standing.AS_CHOSEN],
    );
    assert.equal(view.counts.paused, 1);
    assert.equal(view.badge.text, "\u2713"); // not counted among the settings that are not how the person chose
    assert.match(view.headline.text, /paused 1 setting for now/);
  });
});
