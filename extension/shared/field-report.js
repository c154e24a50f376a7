// The field report a person may choose to send to Optout's maintainers after a setting was not found or
// taught: the setting names on that one page, and nothing else. No cookies, no account name, no Pin or
// board names, no full address (only the site and the page's path, without its query). The popup shows
// exactly this document before anything is sent, and sends only it. Pure: no browser APIs here.

import { REPORTS_PATH } from "./config.js";
import { judgeServiceAddress } from "./rules-source.js";
import { LanguageLimits, SettingStatus } from "./vocabulary.js";

export const FIELD_REPORT_FORMAT = 1;
export const MAX_LABEL = 300;
export const MAX_CANDIDATES = 50;
export const MAX_REPORT_BYTES = 16 * 1024;
const KINDS = ["switch", "checkbox", "radio", "other"];
const LANGUAGE_TAG = new RegExp(LanguageLimits.TAG);

function clip(text, limit) {
  const value = String(text ?? "");
  return value.length <= limit ? value : `${value.slice(0, limit - 1)}\u2026`;
}

// The site and path of a page, never its query, fragment or login details; null when it is no web page.
function placeOf(address) {
  let url;
  try {
    url = new URL(String(address ?? ""));
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  return { origin: `${url.protocol}//${url.hostname}`, page: url.pathname };
}

function candidateOf(candidate) {
  return {
    label: clip(candidate?.label, MAX_LABEL),
    kind: KINDS.includes(candidate?.kind) ? candidate.kind : "other",
    state: typeof candidate?.state === "boolean" ? candidate.state : null,
  };
}

function byteLength(document) {
  return new TextEncoder().encode(JSON.stringify(document)).length;
}

// report: the run report (docs/report.md); settingId: the not-found or taught setting the person looks at;
// taught: the label they chose for it, or null. Returns the document, or null when that setting's page is
// unknown (nothing to report).
export function buildFieldReport(report, settingId, taught = null) {
  const results = report?.results ?? [];
  const result = results.find((entry) => entry.id === settingId);
  const place = placeOf(result?.page);
  if (!result || !place) return null;
  const samePage = (entry) => {
    const other = placeOf(entry.page);
    return other && other.origin === place.origin && other.page === place.page;
  };
  const notFound = results.filter((entry) => entry.status === SettingStatus.NOT_FOUND && samePage(entry)).map((entry) => entry.id);
  const document = {
    format: FIELD_REPORT_FORMAT,
    platform: String(report.platform ?? ""),
    origin: place.origin,
    page: place.page,
    language: LANGUAGE_TAG.test(result.language ?? "") ? result.language : "",
    engine_version: String(report.engine_version ?? ""),
    rules_version: String(report.rules_version ?? ""),
    not_found: notFound,
    candidates: (result.candidates ?? []).slice(0, MAX_CANDIDATES).map(candidateOf),
    taught: typeof taught === "string" && taught ? { setting: settingId, label: clip(taught, MAX_LABEL) } : null,
  };
  // Fit the service's size cap by leaving off the last candidates, never by cutting the rest.
  while (byteLength(document) > MAX_REPORT_BYTES && document.candidates.length) document.candidates.pop();
  return document;
}

// The text the popup shows, and the body it sends: one and the same.
export function fieldReportText(document) {
  return JSON.stringify(document, null, 2);
}

// Where a report may go: the configured rules service's reports address, or null when none is configured.
export function reportsAddress(service) {
  if (!service?.origin) return null;
  const judged = judgeServiceAddress(service.origin);
  return judged.ok ? new URL(REPORTS_PATH, judged.origin).href : null;
}
