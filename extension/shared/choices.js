// Which settings a person has chosen to enforce. An explicit choice wins; otherwise a setting
// follows the rules' default, but only once the person has seen it (a setting the rules add
// later waits for a decision), and never one that narrows who can find them: that one they choose.

import { narrowsWhoCanFindYou } from "./rules.js";

export function isChosen(setting, choices, knownSettings) {
  if (Object.hasOwn(choices, setting.id)) return Boolean(choices[setting.id]);
  if (narrowsWhoCanFindYou(setting)) return false;
  return Boolean(setting.default) && knownSettings.includes(setting.id);
}

export function chosenSettings(rules, choices, knownSettings) {
  return (rules?.settings ?? []).filter((setting) => isChosen(setting, choices, knownSettings));
}

export function undecidedNewSettings(rules, choices, knownSettings) {
  return (rules?.settings ?? []).filter(
    (setting) => !knownSettings.includes(setting.id) && !Object.hasOwn(choices, setting.id),
  );
}
