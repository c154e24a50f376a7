// Reading the rules document the helper verified (its `rules` answer). The extension never decodes
// a bundle itself: what it shows and uses is only what the helper checked.

import { PRIVACY_PAGE } from "./config.js";
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

// Pinterest's own words for the switch, which is what a person sees on Pinterest's page.
export function pinterestWording(setting) {
  return setting?.labels?.[0] ?? setting?.title ?? "";
}

export const CATEGORY_TITLES = Object.freeze({
  "ai-training": "AI training",
  ads: "Ads and sharing",
  visibility: "Who can find you",
  recommendations: "What you see",
});
