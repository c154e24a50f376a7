import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { runLanguages } from "../../../extension/shared/run-languages.js";
import { LanguageLimits } from "../../../extension/shared/vocabulary.js";

describe("runLanguages", () => {
  it("keeps the browser's languages in order", () => {
    assert.deepEqual(runLanguages(["de-DE", "de", "en-US", "en"]), ["de-DE", "de", "en-US", "en"]);
    assert.deepEqual(runLanguages(["zh-Hant-TW", "es-419"]), ["zh-Hant-TW", "es-419"]);
  });

  it("drops what the helper would refuse, and repeats", () => {
    assert.deepEqual(runLanguages(["de_DE", "", 7, null, "de;q=0.9", "x".repeat(40), "fr", "fr"]), ["fr"]);
  });

  it("sends at most as many as the helper takes", () => {
    const many = ["de", "fr", "it", "es", "pt", "nl", "sv", "da", "fi", "pl", "cs", "sk"];
    assert.equal(runLanguages(many).length, LanguageLimits.MAX_LANGUAGES);
    assert.deepEqual(runLanguages(many), many.slice(0, LanguageLimits.MAX_LANGUAGES));
  });

  it("sends nothing when the browser names nothing", () => {
    assert.deepEqual(runLanguages(undefined), []);
    assert.deepEqual(runLanguages("de-DE"), []);
  });
});
