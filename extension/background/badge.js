// The toolbar badge: how many chosen settings are not in their chosen state, or a mark when
// Optout cannot tell (helper app missing, logged out of Pinterest).

import { chosenSettings } from "../shared/choices.js";
import { desiredState } from "../shared/rules.js";
import { readSnapshot } from "../shared/store.js";

const HOST_PROBLEMS = ["host_missing", "host_forbidden", "host_failed"];

export const BadgeMark = Object.freeze({
  HOST_MISSING: "!",
  LOGGED_OUT: "?",
  ALL_SET: "\u2713",
});

export function driftedSettings(snapshot) {
  const chosen = chosenSettings(snapshot.rules?.document, snapshot.preferences.choices, snapshot.knownSettings);
  return chosen.filter((setting) => {
    const known = snapshot.settingStates[setting.id];
    return typeof known?.state === "boolean" && known.state !== desiredState(setting);
  });
}

export function badgeFor(snapshot) {
  const problem = snapshot.problem?.kind;
  if (HOST_PROBLEMS.includes(problem)) {
    return { text: BadgeMark.HOST_MISSING, color: "#B42318", title: "Optout: install the Optout helper app to start" };
  }
  if (problem === "login_required") {
    return { text: BadgeMark.LOGGED_OUT, color: "#B54708", title: "Optout: log in to Pinterest so Optout can check" };
  }
  const drifted = driftedSettings(snapshot);
  if (drifted.length > 0) {
    const noun = drifted.length === 1 ? "setting is" : "settings are";
    return { text: String(drifted.length), color: "#B54708", title: `Optout: ${drifted.length} ${noun} not how you chose` };
  }
  const chosen = chosenSettings(snapshot.rules?.document, snapshot.preferences.choices, snapshot.knownSettings);
  const allKnown = chosen.length > 0 && chosen.every((setting) => typeof snapshot.settingStates[setting.id]?.state === "boolean");
  if (allKnown) return { text: BadgeMark.ALL_SET, color: "#067647", title: "Optout: your Pinterest choices are in place" };
  return { text: "", color: "#475467", title: "Optout" };
}

export async function updateBadge() {
  const badge = badgeFor(await readSnapshot());
  await chrome.action.setBadgeBackgroundColor({ color: badge.color });
  await chrome.action.setBadgeText({ text: badge.text });
  await chrome.action.setTitle({ title: badge.title });
}
