// Reading the rules document the helper verified (its `rules` answer). The extension never decodes
// a bundle itself: what it shows and uses is only what the helper checked.

import { PRIVACY_PAGE } from "./config.js";
import { pickLanguage, t } from "./i18n.js";
import { belongsTo } from "./sessions.js";
import { PINTEREST_SITES } from "./vocabulary.js";

export function desiredState(setting) {
  return setting.desired === "on";
}

export function settingById(rules, settingId) {
  return rules?.settings?.find((setting) => setting.id === settingId) ?? null;
}

// Settings that hide the person or their work: turning them on makes an artist harder to find,
// so Optout never enforces them by default or from a one-click offer; the person decides in Options.
export function narrowsWhoCanFindYou(setting) {
  return setting?.category === "visibility";
}

// True only for an https page on one of Pinterest's own domains (pinterest.com, a country domain such as
// pinterest.de, or a subdomain of one, on the standard port). Links taken from the rules pass through here
// before reaching the screen.
export function isPinterestPage(address) {
  let url;
  try {
    url = new URL(address);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  const onSite = PINTEREST_SITES.some((site) => belongsTo(host, site.cookieDomain));
  return url.protocol === "https:" && onSite && url.port === "" && url.username === "" && url.password === "";
}

// Where a person can change this setting by hand: the rules' page for it when that is on Pinterest,
// else Pinterest's privacy page.
export function settingsPage(rules, setting) {
  const candidates = [setting?.pages?.urls?.[0], rules?.menu_page];
  return candidates.find((address) => typeof address === "string" && isPinterestPage(address)) ?? PRIVACY_PAGE;
}

// The rules' words for a setting in the interface language (its `languages` entry, contract 1 of the
// rules format), falling back to English: the entry for the exact tag first, then the base language.
function inLanguage(setting) {
  return pickLanguage(setting?.languages) ?? {};
}

export function settingTitle(setting) {
  return inLanguage(setting).title || (setting?.title ?? "");
}

export function settingExplanation(setting) {
  return inLanguage(setting).explanation || (setting?.explanation ?? "");
}

// Pinterest's own words for the switch, which is what a person sees on Pinterest's page: the wording
// the last run matched when there is one, else the rules' first label in the interface language, else English.
export function pinterestWording(setting, matched = null) {
  return matched || inLanguage(setting).labels?.[0] || setting?.labels?.[0] || settingTitle(setting);
}

const CATEGORY_WORDS = Object.freeze({
  "ai-training": () => t("category_ai_training"),
  ads: () => t("category_ads"),
  visibility: () => t("category_visibility"),
  recommendations: () => t("category_recommendations"),
});

// The heading of a group of settings in Options; a category this version does not know keeps its id.
export function categoryTitle(category) {
  return Object.hasOwn(CATEGORY_WORDS, category) ? CATEGORY_WORDS[category]() : category;
}
