import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  buildFieldReport,
  fieldReportText,
  MAX_CANDIDATES,
  MAX_LABEL,
  MAX_REPORT_BYTES,
  reportsAddress,
} from "../../../extension/shared/field-report.js";
import { ads, canvas } from "./fixtures.mjs";

const REWORDED = "Let Pinterest\u2019s AI learn from your Pins";
const PAGE = "https://www.pinterest.com/settings/privacy?user=jane&board=secret#top";

function runReport(overrides = {}) {
  return {
    format: 1,
    platform: "pinterest",
    status: "partial",
    engine_version: "1.2.0",
    rules_version: "2026.11.22",
    browser: "Chromium at /home/jane/chromium",
    results: [
      {
        id: canvas.id,
        status: "not_found",
        page: PAGE,
        language: "en-GB",
        message: "Could not find it",
        candidates: [
          { label: REWORDED, kind: "switch", state: true, extra: "dropped" },
          { label: "Personalized recommendations", kind: "toggle", state: "yes" },
        ],
      },
      { id: ads.id, status: "changed", page: PAGE, language: "en-GB", wording: "Ads off Pinterest", candidates: [] },
      { id: "pinterest.elsewhere", status: "not_found", page: "https://www.pinterest.com/settings/other", candidates: [] },
    ],
    ...overrides,
  };
}

describe("buildFieldReport", () => {
  it("holds exactly the page's setting names: site, path without query, language, versions, candidates", () => {
    assert.deepEqual(buildFieldReport(runReport(), canvas.id), {
      format: 1,
      platform: "pinterest",
      origin: "https://www.pinterest.com",
      page: "/settings/privacy",
      language: "en-GB",
      engine_version: "1.2.0",
      rules_version: "2026.11.22",
      not_found: [canvas.id],
      candidates: [
        { label: REWORDED, kind: "switch", state: true },
        { label: "Personalized recommendations", kind: "other", state: null },
      ],
      taught: null,
    });
  });

  it("names the taught choice, and never a query, account, cookie or browser path", () => {
    const document = buildFieldReport(runReport(), canvas.id, REWORDED);
    assert.deepEqual(document.taught, { setting: canvas.id, label: REWORDED });
    const text = fieldReportText(document);
    for (const secret of ["jane", "secret", "?", "#top", "Chromium", "Could not find"]) assert.ok(!text.includes(secret), secret);
  });

  it("caps labels, candidates and size, and drops a malformed language", () => {
    const many = Array.from({ length: 400 }, (_, n) => ({ label: `${"x".repeat(400)}${n}`, kind: "switch", state: false }));
    const report = runReport();
    report.results[0] = { ...report.results[0], candidates: many, language: "<script>" };
    const document = buildFieldReport(report, canvas.id);
    assert.ok(document.candidates.length <= MAX_CANDIDATES);
    assert.ok(document.candidates.every((candidate) => candidate.label.length <= MAX_LABEL));
    assert.ok(new TextEncoder().encode(JSON.stringify(document)).length <= MAX_REPORT_BYTES);
    assert.equal(document.language, "");
  });

  it("has nothing to report without the setting's page", () => {
    assert.equal(buildFieldReport(runReport(), "pinterest.unknown"), null);
    const report = runReport();
    report.results[0] = { ...report.results[0], page: null };
    assert.equal(buildFieldReport(report, canvas.id), null);
  });
});

describe("reportsAddress", () => {
  it("is the configured service's reports path, and nowhere when none is configured", () => {
    assert.equal(reportsAddress({ origin: "https://rules.example.org" }), "https://rules.example.org/api/v1/reports");
    assert.equal(reportsAddress({ origin: "http://127.0.0.1:8080" }), "http://127.0.0.1:8080/api/v1/reports");
    assert.equal(reportsAddress(null), null);
    assert.equal(reportsAddress({ origin: "http://rules.example.org" }), null);
  });
});
