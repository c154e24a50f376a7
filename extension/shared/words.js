// The sentences Optout says about settings and runs. Each claims only what happened: a change is
// counted once Pinterest showed it after a reload, and a setting Pinterest does not offer is not a fault.
// The words themselves are in _locales/<locale>/messages.json (shared/i18n.js).

import { CONFIRMING_STATUSES as CONFIRMING, NEEDS_YOU_STATUSES, NOT_OFFERED_STATUSES, unreadable } from "./assess.js";
import { languageName, listOf, plural, quoted, t } from "./i18n.js";
import { desiredState, narrowsWhoCanFindYou, pinterestWording, settingExplanation, settingTitle } from "./rules.js";
import { RunStatus, SettingStatus } from "./vocabulary.js";

export function notOfferedSentence() {
  return t("status_not_offered");
}

const STATUS_WORDS = Object.freeze({
  [SettingStatus.ALREADY_OK]: () => t("status_already_ok"),
  [SettingStatus.CHANGED]: () => t("status_changed"),
  [SettingStatus.WOULD_CHANGE]: () => t("status_would_change"),
  [SettingStatus.NOT_FOUND]: () => t("status_not_offered"),
  [SettingStatus.LOCKED]: () => t("status_not_offered"),
  [SettingStatus.AMBIGUOUS]: () => t("status_ambiguous"),
  [SettingStatus.SAVE_FAILED]: () => t("status_save_failed"),
  [SettingStatus.VERIFY_FAILED]: () => t("status_verify_failed"),
  [SettingStatus.NOT_SAVED]: () => t("status_not_saved"),
  [SettingStatus.PAUSED]: () => t("status_paused"),
  [SettingStatus.SKIPPED]: () => t("status_skipped"),
});

// result: {status, reason, language} as a setting result (or the stored state of one) carries them.
export function describeSettingStatus(status, result = {}) {
  if (unreadable({ status, ...result })) return unknownLanguageSentence(result.language);
  return STATUS_WORDS[status]?.() ?? "";
}

// Said for a setting Optout could not find because it knows no wording in the page's language (contract 4).
export function unknownLanguageSentence(language) {
  const name = languageName(language);
  return name ? t("status_unknown_language", name) : t("status_unknown_language_unnamed");
}

// What to do by hand, with the person's goal in the right direction ("turn on" for search privacy).
export function handInstruction(setting, matched = null) {
  const wording = quoted(pinterestWording(setting, matched));
  return desiredState(setting) ? t("hand_turn_on", wording) : t("hand_turn_off", wording);
}

// For a setting Pinterest does not offer: what to look for, should it appear one day.
export function lookFor(setting) {
  return t("look_for", quoted(pinterestWording(setting)));
}

function counted(results, statuses) {
  return results.filter((result) => statuses.includes(result.status) && !unreadable(result)).length;
}

// The summary after an opt-out: {tone, title, text}. tone is "good", "neutral" or "partial".
export function summarize(report) {
  const results = report?.results ?? [];
  const changed = counted(results, [SettingStatus.CHANGED]);
  const already = counted(results, [SettingStatus.ALREADY_OK]);
  const notOffered = counted(results, NOT_OFFERED_STATUSES);
  const cannotRead = results.filter(unreadable).length;
  const needsYou = counted(results, [...NEEDS_YOU_STATUSES, SettingStatus.WOULD_CHANGE, SettingStatus.SKIPPED]);
  const parts = [];
  if (changed) parts.push(plural("summary_changed", changed));
  if (already) parts.push(plural("summary_already", already));
  if (notOffered) parts.push(plural("summary_not_offered", notOffered));
  if (cannotRead) parts.push(plural("summary_cannot_read", cannotRead));
  if (needsYou) parts.push(plural("summary_needs_you", needsYou));
  const practice = report?.practice === true ? [t("summary_practice")] : [];
  // Pinterest sent the run to another of its sites (a country domain): the settings changed are that site's.
  const moved = hostOf(report?.redirected_to);
  if (moved) practice.unshift(t("summary_moved", moved));
  if (report?.status === RunStatus.CANCELLED) {
    const before = changed ? plural("summary_stopped_changed", changed) : t("summary_nothing_changed_text");
    return { tone: "neutral", title: t("summary_stopped_title"), text: [before, ...practice].join(" ") };
  }
  const sentences = [parts.length ? t("summary_parts", listOf(parts)) : t("summary_nothing_looked_at")];
  if (changed) sentences.push(t("summary_confirmed"));
  if (needsYou || cannotRead) sentences.push(t("summary_see_below"));
  const text = [...sentences, ...practice].join(" ");
  if (needsYou + cannotRead > 0) {
    return { tone: "partial", title: changed > 0 ? plural("summary_partly_done", changed) : t("summary_nothing_changed_title"), text };
  }
  if (changed > 0) return { tone: "good", title: notOffered ? t("summary_done") : t("summary_done_opted_out"), text };
  return { tone: already ? "good" : "neutral", title: t("summary_nothing_needed"), text };
}

function hostOf(origin) {
  try {
    return origin ? new URL(origin).host : "";
  } catch {
    return "";
  }
}

// A re-check found settings Optout had confirmed before in another state.
export function driftMessage(settings) {
  // Pinterest's own wording is what the person sees on Pinterest's page.
  const named = settings.map((setting) => quoted(pinterestWording(setting)));
  if (settings.length === 1) return desiredState(settings[0]) ? t("drift_back_off", named[0]) : t("drift_back_on", named[0]);
  return plural("drift_many", settings.length, listOf(named));
}

// New settings in the rules. Those that narrow who can find the person are never offered for one-click
// enforcement: the notice explains them and sends the person to Options to choose.
// Returns {title, message, offer}; offer lists the settings "Add to my opt-out" would enforce.
export function newSettingsNotice(settings) {
  const offer = settings.filter((setting) => !narrowsWhoCanFindYou(setting));
  const askFirst = settings.filter((setting) => narrowsWhoCanFindYou(setting));
  const names = (list) => listOf(list.map((setting) => quoted(settingTitle(setting))));
  const askSentence = askFirst.length ? plural("notice_ask_first", askFirst.length, names(askFirst)) : "";
  if (offer.length === 0) {
    const title = plural("notice_consider_title", askFirst.length);
    const about = askFirst.length === 1 ? settingExplanation(askFirst[0]) : "";
    return { title, message: [about, askSentence].filter(Boolean).join(" "), offer };
  }
  const title = plural("notice_look_after_title", offer.length);
  const about = offer.length === 1 ? t("notice_about_single", names(offer), settingExplanation(offer[0])) : t("notice_about_several", names(offer));
  return { title, message: [about, askSentence].filter(Boolean).join(" "), offer };
}

const RUN_WORDS = Object.freeze({
  [RunStatus.DONE]: () => t("run_done"),
  [RunStatus.PARTIAL]: () => t("run_partial"),
  [RunStatus.LOGIN_REQUIRED]: () => t("run_login_required"),
  [RunStatus.BLOCKED]: () => t("run_blocked"),
  [RunStatus.TIMEOUT]: () => t("run_timeout"),
  [RunStatus.BROWSER_MISSING]: () => t("run_browser_missing"),
  [RunStatus.CANCELLED]: () => t("run_cancelled"),
  [RunStatus.INTERRUPTED]: () => t("run_interrupted"),
  [RunStatus.RULES_REFUSED]: () => t("run_rules_refused"),
  [RunStatus.FAILED]: () => t("run_failed"),
  running: () => t("run_running"),
});

function runWord(status) {
  return RUN_WORDS[status]?.() ?? status;
}

// One row of the history table: {what, result, settings, practice}. A run whose only gaps are settings
// Pinterest does not offer is done; a practice run (on the stand-in for Pinterest) says so.
export function historyRow(run) {
  const results = run.results ?? [];
  const asChosen = counted(results, CONFIRMING);
  const notOffered = counted(results, NOT_OFFERED_STATUSES);
  const onlyNotOffered = run.status === RunStatus.PARTIAL && asChosen + notOffered === results.length;
  const finished = [RunStatus.DONE, RunStatus.PARTIAL].includes(run.status);
  let settings = "\u2014";
  if (finished) {
    const parts = [t("history_as_chosen", asChosen, results.length)];
    if (notOffered) parts.push(plural("history_not_offered", notOffered));
    settings = listOf(parts);
  }
  return {
    what: run.mode === "apply" ? t("history_opt_out") : t("history_check"),
    result: onlyNotOffered ? runWord(RunStatus.DONE) : runWord(run.status),
    settings,
    practice: run.practice === true,
  };
}
