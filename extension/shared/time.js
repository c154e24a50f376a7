// "5 minutes ago" and "23 Nov 2026, 15:40", in the browser's interface language: the same language as
// the sentence around them (shared/i18n.js), never the page's or the system's.

import { t, uiLanguage } from "./i18n.js";

const UNITS = [
  ["day", 24 * 60 * 60 * 1000],
  ["hour", 60 * 60 * 1000],
  ["minute", 60 * 1000],
];

export function timeAgo(when, now = Date.now()) {
  if (!when) return "";
  const elapsed = now - new Date(when).getTime();
  if (!Number.isFinite(elapsed)) return "";
  const format = new Intl.RelativeTimeFormat(uiLanguage(), { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (elapsed >= size) return format.format(-Math.floor(elapsed / size), unit);
  }
  return t("time_just_now");
}

export function dateTime(when) {
  if (!when) return "";
  return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(when));
}
