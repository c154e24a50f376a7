// The toolbar badge, as shared/assess.js reads the stored snapshot.

import { assess } from "../shared/assess.js";
import { readSnapshot } from "../shared/store.js";

export async function updateBadge() {
  const { badge } = assess(await readSnapshot());
  await chrome.action.setBadgeBackgroundColor({ color: badge.color });
  await chrome.action.setBadgeText({ text: badge.text });
  await chrome.action.setTitle({ title: badge.title });
}
