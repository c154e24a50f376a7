// One reading of what Optout knows, shared by the popup, the toolbar badge and the notifications so
// that the three never disagree. Pure: a snapshot (shared/store.js readSnapshot) in, a view model out.

import { chosenSettings, undecidedNewSettings } from "./choices.js";
import { plural, t } from "./i18n.js";
import { HOST_PROBLEMS } from "./problems.js";
import { desiredState } from "./rules.js";
import { ProgressStep, RunStatus, SettingReason, SettingStatus } from "./vocabulary.js";

// Where a chosen setting stands, in the person's terms.
export const Standing = Object.freeze({
  AS_CHOSEN: "as_chosen", // read from Pinterest in the chosen state
  NOT_AS_CHOSEN: "not_as_chosen", // read from Pinterest, not in the chosen state
  NOT_OFFERED: "not_offered", // Pinterest does not offer it on this account: nothing to do
  NEEDS_YOU: "needs_you", // Optout tried and could not: the person can do it by hand
  PAUSED: "paused", // Optout's rules pause it for now (their reason is in the message): left as it is
  CANNOT_READ: "cannot_read", // Pinterest's page is in a language Optout knows no wording in yet
  UNKNOWN: "unknown", // not read yet, or not read in the last run (Pinterest blocked it)
});

export const NOT_OFFERED_STATUSES = Object.freeze([SettingStatus.NOT_FOUND, SettingStatus.LOCKED]);

export const NEEDS_YOU_STATUSES = Object.freeze([
  SettingStatus.AMBIGUOUS,
  SettingStatus.SAVE_FAILED,
  SettingStatus.VERIFY_FAILED,
  SettingStatus.NOT_SAVED,
]);

// Statuses that mean Optout read the setting in the chosen state: only a setting confirmed once can
// later be said to have been changed back.
export const CONFIRMING_STATUSES = Object.freeze([SettingStatus.CHANGED, SettingStatus.ALREADY_OK]);

// A setting not found because Optout knows no wording in the page's language: nothing is known about it,
// least of all that Pinterest does not offer it (contract 4: reason "unknown_language").
export function unreadable(result) {
  return result?.status === SettingStatus.NOT_FOUND && result?.reason === SettingReason.UNKNOWN_LANGUAGE;
}

export function standingOf(setting, known) {
  if (known?.status === SettingStatus.PAUSED) return Standing.PAUSED;
  if (unreadable(known)) return Standing.CANNOT_READ;
  if (NOT_OFFERED_STATUSES.includes(known?.status)) return Standing.NOT_OFFERED;
  if (NEEDS_YOU_STATUSES.includes(known?.status)) return Standing.NEEDS_YOU;
  if (typeof known?.state !== "boolean") return Standing.UNKNOWN;
  return known.state === desiredState(setting) ? Standing.AS_CHOSEN : Standing.NOT_AS_CHOSEN;
}

const BADGE_COLOR = Object.freeze({ bad: "#B42318", warn: "#B54708", good: "#067647", quiet: "#475467" });

function badgeOf(view) {
  if (view.hostMissing) return { text: "!", color: BADGE_COLOR.bad, title: t("badge_host_missing") };
  if (view.loggedOut) return { text: "?", color: BADGE_COLOR.warn, title: t("badge_logged_out") };
  const off = view.counts.notAsChosen + view.counts.needsYou;
  if (off > 0) return { text: String(off), color: BADGE_COLOR.warn, title: plural("badge_not_as_chosen", off) };
  if (view.counts.asChosen > 0 && view.counts.unknown === 0 && view.counts.cannotRead === 0) {
    return { text: "\u2713", color: BADGE_COLOR.good, title: t("badge_in_place") };
  }
  return { text: "", color: BADGE_COLOR.quiet, title: t("ext_short_name") };
}

function headlineOf(view, hasRules) {
  const { asChosen, notAsChosen, needsYou, notOffered, cannotRead, unknown, paused } = view.counts;
  if (view.rows.length === 0) {
    return hasRules
      ? { title: t("no_settings_chosen"), text: t("headline_no_settings_text") }
      : { title: t("headline_getting_ready"), text: "" };
  }
  if (notAsChosen > 0) {
    return { title: plural("headline_not_as_chosen", notAsChosen), text: plural("headline_not_as_chosen_text", notAsChosen) };
  }
  if (needsYou > 0) {
    return { title: plural("headline_needs_you", needsYou), text: plural("headline_needs_you_text", needsYou) };
  }
  if (cannotRead > 0) {
    return { title: plural("headline_cannot_read", cannotRead), text: plural("headline_cannot_read_text", cannotRead) };
  }
  if (unknown > 0) {
    return { title: t("headline_not_checked"), text: t("headline_not_checked_text") };
  }
  if (asChosen === 0) {
    return { title: t("headline_nothing_to_change"), text: t("headline_nothing_to_change_text") };
  }
  const sentences = [plural("headline_opted_out_text", asChosen)];
  if (notOffered > 0) sentences.push(plural("headline_not_offered_part", notOffered));
  if (paused > 0) sentences.push(plural("headline_paused_part", paused));
  return { title: t("headline_opted_out"), text: sentences.join(" ") };
}

// A setting counts as done once the helper reports it finished; the step it is on adds a part, so the
// bar moves with every setting rather than sitting still until the end.
const STEP_SHARE = Object.freeze({
  [ProgressStep.LOADING]: 0.2,
  [ProgressStep.READING]: 0.4,
  [ProgressStep.CHANGING]: 0.6,
  [ProgressStep.SAVING]: 0.7,
  [ProgressStep.VERIFYING]: 0.85,
});

// run: the live run in session storage ({done, settings: {id: {step}}}). Returns {done, fraction}.
export function runProgress(run, total) {
  const settings = Object.values(run?.settings ?? {});
  const finished = settings.filter((entry) => entry.step === ProgressStep.SETTING_DONE).length;
  const current = settings.reduce((share, entry) => Math.max(share, STEP_SHARE[entry.step] ?? 0), 0);
  const done = Math.min(total, Math.max(run?.done ?? 0, finished));
  return { done, fraction: total ? Math.min(1, (done + (done < total ? current : 0)) / total) : 0 };
}

// snapshot: {preferences, rules, knownSettings, settingStates, lastRun, problem, run}.
export function assess(snapshot) {
  const document = snapshot.rules?.document ?? null;
  const choices = snapshot.preferences?.choices ?? {};
  const knownSettings = snapshot.knownSettings ?? [];
  const states = snapshot.settingStates ?? {};
  const problemKind = snapshot.problem?.kind ?? null;
  // Pinterest's bot or rate-limit page stopped the last run before it read anything: what an earlier
  // run read is no longer known to hold, so no setting is shown as in place (nor as changed back).
  const blocked = problemKind === RunStatus.BLOCKED;
  const rows = chosenSettings(document, choices, knownSettings).map((setting) => {
    const known = states[setting.id] ?? null;
    const standing = blocked ? Standing.UNKNOWN : standingOf(setting, known);
    // Changed back: Optout confirmed this setting as chosen before, and now reads it otherwise.
    const drifted = standing === Standing.NOT_AS_CHOSEN && Boolean(known?.confirmed);
    // notRead: the last run was stopped before reading it; `known` still says when it was last read.
    return { setting, known, standing, drifted, notRead: blocked };
  });
  const count = (standing) => rows.filter((row) => row.standing === standing).length;
  const view = {
    rows,
    counts: {
      asChosen: count(Standing.AS_CHOSEN),
      notAsChosen: count(Standing.NOT_AS_CHOSEN),
      notOffered: count(Standing.NOT_OFFERED),
      needsYou: count(Standing.NEEDS_YOU),
      cannotRead: count(Standing.CANNOT_READ),
      unknown: count(Standing.UNKNOWN),
      paused: count(Standing.PAUSED),
    },
    drifted: rows.filter((row) => row.drifted).map((row) => row.setting),
    undecided: undecidedNewSettings(document, choices, knownSettings),
    problem: snapshot.problem ?? null,
    hostMissing: HOST_PROBLEMS.includes(problemKind),
    loggedOut: problemKind === RunStatus.LOGIN_REQUIRED,
    running: Boolean(snapshot.run),
    practice: snapshot.lastRun?.practice === true,
  };
  view.badge = badgeOf(view);
  view.headline = headlineOf(view, Boolean(document));
  return view;
}
