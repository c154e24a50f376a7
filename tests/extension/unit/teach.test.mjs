import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { checkTaught, isTaught, withoutTaught, withTaught, wordingsForRun } from "../../../extension/shared/teach.js";
import { WordingLimits } from "../../../extension/shared/vocabulary.js";
import { ads, canvas, rules } from "./fixtures.mjs";

const REWORDED = "Let Pinterest\u2019s AI learn from your Pins";
const CANDIDATES = [
  { label: REWORDED, kind: "switch", state: true },
  { label: "Personalized recommendations", kind: "checkbox", state: false },
];

describe("checkTaught", () => {
  it("takes a candidate the helper listed for a setting the rules define", () => {
    assert.deepEqual(checkTaught(rules, canvas.id, REWORDED, CANDIDATES), { ok: true, wording: REWORDED });
  });

  const refused = [
    ["a setting the rules do not define", "pinterest.made_up", REWORDED, CANDIDATES, {}, /no longer knows/],
    ["a label that is not a candidate", canvas.id, "Anything I like", CANDIDATES, {}, /one of the switches/],
    ["a label without letters", canvas.id, "?!", [{ label: "?!", kind: "other", state: null }], {}, /no name/],
    ["a label that is not text", canvas.id, 42, CANDIDATES, {}, /no name/],
    [
      "a label longer than the helper keeps",
      canvas.id,
      "x".repeat(WordingLimits.MAX_WORDING + 1),
      [{ label: "x".repeat(WordingLimits.MAX_WORDING + 1), kind: "switch", state: true }],
      {},
      /too long/,
    ],
    [
      "one more than a setting may have",
      canvas.id,
      REWORDED,
      CANDIDATES,
      { [canvas.id]: Array.from({ length: WordingLimits.MAX_PER_SETTING }, (_, n) => `w${n}`) },
      /as many names for this setting/,
    ],
  ];
  for (const [name, settingId, label, candidates, taught, sentence] of refused) {
    it(`refuses ${name} with a sentence`, () => {
      const answer = checkTaught(rules, settingId, label, candidates, taught);
      assert.equal(answer.ok, false);
      assert.match(answer.sentence, sentence);
    });
  }
});

describe("taught wordings", () => {
  it("add newest first, once each, and come off one by one or all together", () => {
    let taught = withTaught({}, canvas.id, "first");
    taught = withTaught(taught, canvas.id, REWORDED);
    taught = withTaught(taught, canvas.id, "first");
    assert.deepEqual(taught, { [canvas.id]: ["first", REWORDED] });
    assert.deepEqual(withoutTaught(taught, canvas.id, "first"), { [canvas.id]: [REWORDED] });
    assert.deepEqual(withoutTaught(withoutTaught(taught, canvas.id, "first"), canvas.id, REWORDED), {});
    assert.deepEqual(withoutTaught({ ...taught, [ads.id]: ["x"] }, canvas.id), { [ads.id]: ["x"] });
  });

  it("go with a run only for settings the current rules define", () => {
    const taught = { [canvas.id]: [REWORDED, REWORDED, "", 7], "pinterest.gone": ["old"], [ads.id]: [] };
    assert.deepEqual(wordingsForRun(taught, rules), { [canvas.id]: [REWORDED] });
    assert.equal(wordingsForRun({}, rules), null);
    assert.equal(wordingsForRun({ "pinterest.gone": ["old"] }, rules), null);
  });

  it("say a result was matched by the person's own wording only when the helper says so", () => {
    assert.equal(isTaught({ wording_source: "taught" }), true);
    assert.equal(isTaught({ wording_source: "rules" }), false);
    assert.equal(isTaught({}), false);
  });
});
