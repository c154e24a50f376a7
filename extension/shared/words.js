// The sentences Optout says about settings and runs. Each claims only what happened: a change is
// counted once Pinterest showed it after a reload, and a setting Pinterest does not offer is not a fault.

import { CONFIRMING_STATUSES as CONFIRMING, NEEDS_YOU_STATUSES, NOT_OFFERED_STATUSES } from "./assess.js";
import { desiredState, narrowsWhoCanFindYou, pinterestWording } from "./rules.js";
import { RunStatus, SettingStatus } from "./vocabulary.js";

export const NOT_OFFERED_SENTENCE = "Pinterest doesn\u2019t offer this on your account";

export function describeSettingStatus(status) {
  switch (status) {
    case SettingStatus.ALREADY_OK:
      return "Already how you want it";
    case SettingStatus.CHANGED:
      return "Changed and confirmed";
    case SettingStatus.WOULD_CHANGE:
      return "Not how you chose yet";
    case SettingStatus.NOT_FOUND:
    case SettingStatus.LOCKED:
      return NOT_OFFERED_SENTENCE;
    case SettingStatus.AMBIGUOUS:
      return "Optout was not sure which switch this is, so it left it alone";
    case SettingStatus.SAVE_FAILED:
      return "Pinterest did not save the change";
    case SettingStatus.VERIFY_FAILED:
      return "Pinterest showed the old setting again after saving";
    case SettingStatus.NOT_SAVED:
      return "Nothing was saved: Pinterest\u2019s page showed no way to save this change";
    case SettingStatus.PAUSED:
      return "Paused by Optout for now: Optout leaves it as it is";
    case SettingStatus.SKIPPED:
      return "Not reached: the run stopped first";
    default:
      return "";
  }
}

// What to do by hand, with the person's goal in the right direction ("turn on" for search privacy).
export function handInstruction(setting) {
  const verb = desiredState(setting) ? "Turn on" : "Turn off";
  return `${verb} \u201c${pinterestWording(setting)}\u201d on Pinterest`;
}

// For a setting Pinterest does not offer: what to look for, should it appear one day.
export function lookFor(setting) {
  return `If it appears later, it will be called \u201c${pinterestWording(setting)}\u201d.`;
}

function counted(results, statuses) {
  return results.filter((result) => statuses.includes(result.status)).length;
}

// The summary after an opt-out: {tone, title, text}. tone is "good", "neutral" or "partial".
export function summarize(report) {
  const results = report?.results ?? [];
  const changed = counted(results, [SettingStatus.CHANGED]);
  const already = counted(results, [SettingStatus.ALREADY_OK]);
  const notOffered = counted(results, NOT_OFFERED_STATUSES);
  const needsYou = counted(results, [...NEEDS_YOU_STATUSES, SettingStatus.WOULD_CHANGE, SettingStatus.SKIPPED]);
  const parts = [];
  if (changed) parts.push(`${changed} changed`);
  if (already) parts.push(`${already} already set`);
  if (notOffered) parts.push(`${notOffered} not offered on your account`);
  if (needsYou) parts.push(`${needsYou} need${needsYou === 1 ? "s" : ""} you`);
  const practice = report?.practice === true ? " This was a practice run: your real Pinterest account was not touched." : "";
  if (report?.status === RunStatus.CANCELLED) {
    const before = changed ? `${changed} changed before you stopped; the rest were left as they were.` : "Nothing was changed.";
    return { tone: "neutral", title: "Stopped", text: `${before}${practice}` };
  }
  let text = parts.length ? `${parts.join(", ")}.` : "No settings were looked at.";
  if (changed) text += " Every change was confirmed by reading it back from Pinterest.";
  if (needsYou) text += " See the settings marked below.";
  text += practice;
  if (needsYou > 0) {
    return { tone: "partial", title: changed > 0 ? `Partly done: ${changed} changed` : "Nothing was changed", text };
  }
  if (changed > 0) return { tone: "good", title: notOffered ? "Done" : "Done: you\u2019re opted out", text };
  return { tone: already ? "good" : "neutral", title: "Nothing needed changing", text };
}

// A re-check found settings Optout had confirmed before in another state.
export function driftMessage(settings) {
  // Pinterest's own wording is what the person sees on Pinterest's page.
  const named = settings.map((setting) => `\u201c${pinterestWording(setting)}\u201d`);
  const direction = (setting) => (desiredState(setting) ? "back off" : "back on");
  if (settings.length === 1) return `Pinterest turned ${named[0]} ${direction(settings[0])}.`;
  return `Pinterest changed ${settings.length} of your settings back: ${named.join(", ")}.`;
}

// New settings in the rules. Those that narrow who can find the person are never offered for one-click
// enforcement: the notice explains them and sends the person to Options to choose.
// Returns {title, message, offer}; offer lists the settings "Add to my opt-out" would enforce.
export function newSettingsNotice(settings) {
  const offer = settings.filter((setting) => !narrowsWhoCanFindYou(setting));
  const askFirst = settings.filter((setting) => narrowsWhoCanFindYou(setting));
  const quoted = (list) => list.map((setting) => `\u201c${setting.title}\u201d`).join(", ");
  const askSentence = askFirst.length
    ? `${quoted(askFirst)} would make your work harder to find, so Optout leaves ${askFirst.length === 1 ? "it" : "them"} to you: choose in Optout\u2019s options.`
    : "";
  if (offer.length === 0) {
    const title = askFirst.length === 1 ? "A new setting to consider" : "New settings to consider";
    const about = askFirst.length === 1 ? `${askFirst[0].explanation} ` : "";
    return { title, message: `${about}${askSentence}`.trim(), offer };
  }
  const title = offer.length === 1 ? "A new setting Optout can look after" : "New settings Optout can look after";
  const about = offer.length === 1 ? `${quoted(offer)}: ${offer[0].explanation}` : `${quoted(offer)}.`;
  return { title, message: [about, askSentence].filter(Boolean).join(" "), offer };
}

const RUN_WORDS = Object.freeze({
  [RunStatus.DONE]: "Done",
  [RunStatus.PARTIAL]: "Partly done",
  [RunStatus.LOGIN_REQUIRED]: "Logged out",
  [RunStatus.BLOCKED]: "Blocked by Pinterest",
  [RunStatus.TIMEOUT]: "Pinterest was too slow",
  [RunStatus.BROWSER_MISSING]: "No browser found",
  [RunStatus.CANCELLED]: "Stopped",
  [RunStatus.INTERRUPTED]: "Interrupted",
  [RunStatus.RULES_REFUSED]: "Settings list refused",
  [RunStatus.FAILED]: "Failed",
  running: "Running",
});

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
    settings = `${asChosen} of ${results.length} as chosen`;
    if (notOffered) settings += `, ${notOffered} not offered`;
  }
  return {
    what: run.mode === "apply" ? "Opt-out" : "Check",
    result: onlyNotOffered ? RUN_WORDS[RunStatus.DONE] : (RUN_WORDS[run.status] ?? run.status),
    settings,
    practice: run.practice === true,
  };
}
