import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RunStatus, SettingStatus } from "../../../extension/shared/vocabulary.js";
import {
  describeSettingStatus,
  driftMessage,
  handInstruction,
  historyRow,
  newSettingsNotice,
  summarize,
} from "../../../extension/shared/words.js";
import { ads, canvas, searchPrivacy } from "./fixtures.mjs";

const results = (...statuses) => statuses.map((status, index) => ({ id: `s${index}`, status }));

describe("summarize", () => {
  it("says when Pinterest took the run to another of its sites, and only then", () => {
    const moved = summarize({ status: "done", redirected_to: "https://www.pinterest.de", results: results("changed") });
    assert.match(moved.text, /Pinterest took this run to www\.pinterest\.de, the site your account uses\./);
    const stayed = summarize({ status: "done", redirected_to: "", results: results("changed") });
    assert.doesNotMatch(stayed.text, /took this run/);
  });
  it("never claims progress when nothing changed", () => {
    const summary = summarize({ status: "partial", results: results(...Array(8).fill("verify_failed")) });
    assert.equal(summary.title, "Nothing was changed");
    assert.equal(summary.text, "8 need you. See the settings marked below.");
    assert.doesNotMatch(`${summary.title} ${summary.text}`, /Mostly|done/i);
  });
  it("counts only confirmed changes", () => {
    const summary = summarize({ status: "partial", results: results("changed", "save_failed", "not_saved") });
    assert.equal(summary.title, "Partly done: 1 changed");
    assert.match(summary.text, /^1 changed, 2 need you\./);
  });
  it("treats settings Pinterest does not offer as neutral", () => {
    const summary = summarize({ status: "partial", results: results("already_ok", "not_found", "locked") });
    assert.equal(summary.title, "Nothing needed changing");
    assert.equal(summary.tone, "good");
    assert.equal(summary.text, "1 already set, 2 not offered on your account.");
  });
  it("says done only after changes were confirmed", () => {
    assert.equal(summarize({ status: "done", results: results("changed", "already_ok") }).title, "Done: you\u2019re opted out");
    assert.equal(summarize({ status: "done", results: results("already_ok") }).title, "Nothing needed changing");
  });
  it("marks a practice run", () => {
    const summary = summarize({ status: "done", practice: true, results: results("changed") });
    assert.match(summary.text, /practice run: your real Pinterest account was not touched/);
    assert.doesNotMatch(summarize({ status: "done", results: results("changed") }).text, /practice/);
  });
  it("says what a stopped run changed", () => {
    const summary = summarize({ status: "cancelled", results: results("changed", "skipped") });
    assert.equal(summary.title, "Stopped");
    assert.match(summary.text, /^1 changed before you stopped/);
  });
});

describe("setting sentences", () => {
  it("has a sentence for every setting status, not_saved included", () => {
    for (const status of Object.values(SettingStatus)) assert.ok(describeSettingStatus(status), status);
    assert.match(describeSettingStatus("not_saved"), /Nothing was saved/);
    assert.equal(describeSettingStatus("not_found"), describeSettingStatus("locked"));
    assert.match(describeSettingStatus("not_found"), /doesn\u2019t offer this on your account/);
  });
  it("never says turn off for a setting meant to be on", () => {
    assert.equal(handInstruction(searchPrivacy), "Turn on \u201cSearch privacy\u201d on Pinterest");
    assert.equal(handInstruction(canvas), "Turn off \u201cUse your data to train Pinterest Canvas\u201d on Pinterest");
  });
  it("says which way Pinterest switched a setting back", () => {
    assert.equal(driftMessage([canvas]), "Pinterest turned \u201cUse your data to train Pinterest Canvas\u201d back on.");
    assert.equal(driftMessage([searchPrivacy]), "Pinterest turned \u201cSearch privacy\u201d back off.");
  });
});

describe("newSettingsNotice", () => {
  it("never offers a setting that narrows who can find the person", () => {
    const notice = newSettingsNotice([searchPrivacy]);
    assert.deepEqual(notice.offer, []);
    assert.equal(notice.title, "A new setting to consider");
    assert.match(notice.message, /harder to find/);
    assert.doesNotMatch(`${notice.title} ${notice.message}`, /turn off/i);
  });
  it("offers the others and still asks about the narrowing one", () => {
    const notice = newSettingsNotice([ads, searchPrivacy]);
    assert.deepEqual(
      notice.offer.map((setting) => setting.id),
      [ads.id],
    );
    assert.equal(notice.title, "A new setting Optout can look after");
    assert.match(notice.message, /Hide your profile from search engines\u201d would make your work harder to find/);
  });
});

describe("historyRow", () => {
  it("marks practice runs and counts settings Pinterest does not offer apart", () => {
    const row = historyRow({ mode: "apply", status: "partial", practice: true, results: results("changed", "not_found") });
    assert.deepEqual(row, { what: "Opt-out", result: "Done", settings: "1 of 2 as chosen, 1 not offered", practice: true });
  });
  it("keeps a partial run partial when a setting needs the person", () => {
    const row = historyRow({ mode: "check", status: "partial", results: results("already_ok", "verify_failed") });
    assert.deepEqual(row, { what: "Check", result: "Partly done", settings: "1 of 2 as chosen", practice: false });
  });
  it("has words for every run status and no counts for runs that did not finish", () => {
    for (const status of Object.values(RunStatus)) assert.notEqual(historyRow({ status, results: [] }).result, status);
    assert.equal(historyRow({ status: "login_required", results: [] }).settings, "\u2014");
  });
});
