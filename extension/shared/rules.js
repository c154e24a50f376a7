// Reading the rules document: the extension never verifies signatures (the host does),
// it only decodes a bundle to show each setting's title and explanation.

export function decodeBundle(envelope) {
  const bytes = Uint8Array.from(atob(envelope.bundle), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function desiredState(setting) {
  return setting.desired === "on";
}

export function settingById(rules, settingId) {
  return rules?.settings?.find((setting) => setting.id === settingId) ?? null;
}

export function settingsPage(rules, setting) {
  return setting?.pages?.urls?.[0] ?? rules?.menu_page ?? "https://www.pinterest.com/settings/privacy";
}

export const CATEGORY_TITLES = Object.freeze({
  "ai-training": "AI training",
  ads: "Ads and sharing",
  visibility: "Who can find you",
  recommendations: "What you see",
});
