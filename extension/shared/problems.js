// What each problem means to a person, and what they can do about it.

import { LOGIN_URL } from "./config.js";
import { t } from "./i18n.js";

// Problems that mean the helper app cannot be reached: one list for the popup, the badge and the worker.
export const HOST_PROBLEMS = Object.freeze(["host_missing", "host_forbidden", "host_failed"]);

// The words of each problem: {tone, title, text}.
const PROBLEM_WORDS = Object.freeze({
  host_missing: () => ({ tone: "bad", title: t("problem_host_missing_title"), text: t("problem_host_missing_text") }),
  host_failed: () => ({ tone: "bad", title: t("problem_host_failed_title"), text: t("problem_host_failed_text") }),
  login_required: () => ({ tone: "warn", title: t("problem_login_title"), text: t("problem_login_text") }),
  blocked: () => ({ tone: "warn", title: t("problem_blocked_title"), text: t("problem_blocked_text") }),
  timeout: () => ({ tone: "warn", title: t("problem_timeout_title"), text: t("problem_timeout_text") }),
  browser_missing: () => ({ tone: "bad", title: t("problem_browser_missing_title"), text: t("problem_browser_missing_text") }),
  rules_refused: () => ({ tone: "bad", title: t("problem_rules_refused_title"), text: t("problem_rules_refused_text") }),
  nothing_chosen: () => ({ tone: "warn", title: t("no_settings_chosen"), text: t("problem_nothing_chosen_text") }),
  busy: () => ({ tone: "warn", title: t("problem_busy_title"), text: t("problem_busy_text") }),
});

// Problems told in the same words as another.
const SAME_AS = Object.freeze({ host_forbidden: "host_missing", internal: "host_failed" });

function actionFor(kind) {
  // The welcome page holds the install steps for each system; the popup words that link (`welcome_popup_link`).
  if (HOST_PROBLEMS.includes(kind) || kind === "internal") return { welcome: true };
  if (kind === "login_required") return { link: LOGIN_URL, label: t("problem_login_action") };
  if (kind === "nothing_chosen") return { link: "options.html", label: t("open_options") };
  return null;
}

// Each entry: tone, title, text, and an action ({welcome: true} for the welcome page's install steps, or
// {link, label}).
export function describeProblem(problem) {
  const kind = SAME_AS[problem?.kind] ?? problem?.kind;
  const words = Object.hasOwn(PROBLEM_WORDS, kind ?? "") ? PROBLEM_WORDS[kind]() : null;
  if (!words) {
    // The helper's own sentence says what failed; it is written in English only.
    return { tone: "bad", title: t("problem_failed_title"), text: problem?.message || t("problem_failed_text"), action: null };
  }
  return { ...words, action: actionFor(problem.kind) };
}
