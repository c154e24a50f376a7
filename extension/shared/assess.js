// One reading of what Optout knows, shared by the popup, the toolbar badge and the notifications so
// that the three never disagree. Pure: a snapshot (shared/store.js readSnapshot) in, a view model out.

import { chosenSettings, undecidedNewSettings } from "./choices.js";
import { HOST_PROBLEMS } from "./problems.js";
import { desiredState } from "./rules.js";
import { ProgressStep, RunStatus, SettingStatus } from "./vocabulary.js";

// Where a chosen setting stands, in the person's terms.
export const Standing = Object.freeze({
  AS_CHOSEN: "as_chosen", // read from Pinterest in the chosen state
  NOT_AS_CHOSEN: "not_as_chosen", // read from Pinterest, not in the chosen state
  NOT_OFFERED: "not_offered", // Pinterest does not offer it on this account: nothing to do
  NEEDS_YOU: "needs_you", // Optout tried and could not: the person can do it by hand
  PAUSED: "paused", // Optout's rules pause it for now (their reason is in the message): left as it is
  UNKNOWN: "unknown", // not read yet
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

export function standingOf(setting, known) {
  if (known?.status === SettingStatus.PAUSED) return Standing.PAUSED;
  if (NOT_OFFERED_STATUSES.includes(known?.status)) return Standing.NOT_OFFERED;
  if (NEEDS_YOU_STATUSES.includes(known?.status)) return Standing.NEEDS_YOU;
  if (typeof known?.state !== "boolean") return Standing.UNKNOWN;
  return known.state === desiredState(setting) ? Standing.AS_CHOSEN : Standing.NOT_AS_CHOSEN;
}

const BADGE_COLOR = Object.freeze({ bad: "#B42318", warn: "#B54708", good: "#067647", quiet: "#475467" });

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

function badgeOf(view) {
  if (view.hostMissing) return { text: "!", color: BADGE_COLOR.bad, title: "Optout: install the Optout helper app to start" };
  if (view.loggedOut) return { text: "?", color: BADGE_COLOR.warn, title: "Optout: log in to Pinterest so Optout can check" };
  const off = view.counts.notAsChosen + view.counts.needsYou;
  if (off > 0) {
    const noun = off === 1 ? "setting is" : "settings are";
    return { text: String(off), color: BADGE_COLOR.warn, title: `Optout: ${off} ${noun} not how you chose` };
  }
  if (view.counts.asChosen > 0 && view.counts.unknown === 0) {
    return { text: "\u2713", color: BADGE_COLOR.good, title: "Optout: your Pinterest choices are in place" };
  }
  return { text: "", color: BADGE_COLOR.quiet, title: "Optout" };
}

function headlineOf(view, hasRules) {
  const { asChosen, notAsChosen, needsYou, notOffered, unknown } = view.counts;
  if (view.rows.length === 0) {
    return hasRules
      ? { title: "No settings chosen", text: "Choose what Optout looks after in Options." }
      : { title: "Getting ready\u2026", text: "" };
  }
  if (notAsChosen > 0) {
    return {
      title: notAsChosen === 1 ? "1 setting is not how you chose" : `${notAsChosen} settings are not how you chose`,
      text: "Press \u201cOpt me out\u201d and Optout will switch them for you.",
    };
  }
  if (needsYou > 0) {
    return {
      title: `${plural(needsYou, "setting needs", "settings need")} you`,
      text: "Optout could not change them. Each one below says how to do it on Pinterest.",
    };
  }
  if (unknown > 0) {
    return { title: "Not checked yet", text: "Press \u201cOpt me out\u201d to check and change your Pinterest settings." };
  }
  const notOfferedText = notOffered > 0 ? ` Pinterest doesn\u2019t offer ${notOffered === 1 ? "1 of them" : `${notOffered} of them`} on your account.` : "";
  if (asChosen === 0) {
    return { title: "Nothing to change", text: "Pinterest doesn\u2019t offer these settings on your account." };
  }
  const pausedText = view.counts.paused > 0 ? ` Optout has paused ${plural(view.counts.paused, "setting", "settings")} for now.` : "";
  return {
    title: "You\u2019re opted out",
    text: `${plural(asChosen, "setting is", "settings are")} how you chose.${notOfferedText}${pausedText}`,
  };
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
  const rows = chosenSettings(document, choices, knownSettings).map((setting) => {
    const known = states[setting.id] ?? null;
    const standing = standingOf(setting, known);
    // Changed back: Optout confirmed this setting as chosen before, and now reads it otherwise.
    const drifted = standing === Standing.NOT_AS_CHOSEN && Boolean(known?.confirmed);
    return { setting, known, standing, drifted };
  });
  const count = (standing) => rows.filter((row) => row.standing === standing).length;
  const view = {
    rows,
    counts: {
      asChosen: count(Standing.AS_CHOSEN),
      notAsChosen: count(Standing.NOT_AS_CHOSEN),
      notOffered: count(Standing.NOT_OFFERED),
      needsYou: count(Standing.NEEDS_YOU),
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
