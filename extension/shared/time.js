// "5 minutes ago", in the person's own language where the browser supports it.

const UNITS = [
  ["day", 24 * 60 * 60 * 1000],
  ["hour", 60 * 60 * 1000],
  ["minute", 60 * 1000],
];

export function timeAgo(when, now = Date.now()) {
  if (!when) return "";
  const elapsed = now - new Date(when).getTime();
  if (!Number.isFinite(elapsed)) return "";
  if (elapsed < 60 * 1000) return "just now";
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (elapsed >= size) return format.format(-Math.floor(elapsed / size), unit);
  }
  return "just now";
}

export function dateTime(when) {
  if (!when) return "";
  return new Date(when).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
