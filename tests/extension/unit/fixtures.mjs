// Small rules and snapshots for the unit tests, shaped like the real ones (rules/pinterest.json).
// Importing this also sets the interface language to English (./locales.mjs), as in an English browser.

import { useLocale } from "./locales.mjs";

useLocale("en");

export const canvas = {
  id: "pinterest.genai.canvas_training",
  title: "AI training on your Pins",
  explanation: "Stops Pinterest using your Pins to train its image AI.",
  category: "ai-training",
  desired: "off",
  default: true,
  labels: ["Use your data to train Pinterest Canvas"],
  pages: { urls: ["https://www.pinterest.com/settings/privacy"] },
};

export const ads = {
  id: "pinterest.ads.off_pinterest",
  title: "Ads about you on other sites",
  explanation: "Stops ads based on you on other sites.",
  category: "ads",
  desired: "off",
  default: true,
  labels: ["Ads off Pinterest"],
  pages: { urls: ["https://www.pinterest.com/settings/privacy"] },
};

export const searchPrivacy = {
  id: "pinterest.visibility.search_privacy",
  title: "Hide your profile from search engines",
  explanation: "Keeps search engines from listing your profile.",
  category: "visibility",
  desired: "on",
  default: true,
  labels: ["Search privacy"],
  pages: { urls: ["https://www.pinterest.com/settings/privacy"] },
};

export const rules = { menu_page: "https://www.pinterest.com/settings/privacy", settings: [canvas, ads, searchPrivacy] };

export function snapshot(overrides = {}) {
  return {
    preferences: { choices: {}, serviceUrl: null },
    rules: { document: rules },
    knownSettings: rules.settings.map((setting) => setting.id),
    settingStates: {},
    lastRun: null,
    problem: null,
    run: null,
    ...overrides,
  };
}
