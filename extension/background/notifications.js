// Telling a person what a re-check found: one notification per finding until it changes,
// logged-out at most once a day, nothing at all when notifications are off.

import { undecidedNewSettings } from "../shared/choices.js";
import { LOGGED_OUT_NOTICE_EVERY_MS } from "../shared/config.js";
import { desiredState } from "../shared/rules.js";
import { readSnapshot, StoreKey } from "../shared/store.js";
import { driftedSettings } from "./badge.js";
import { serialized } from "./serial.js";

export const NotificationId = Object.freeze({
  DRIFT: "drift",
  NEW_SETTINGS: "new-settings",
  LOGGED_OUT: "logged-out",
});

const ICON = "icons/icon128.png";

async function show(id, title, message, buttons) {
  const options = { type: "basic", iconUrl: chrome.runtime.getURL(ICON), title, message, priority: 1 };
  try {
    await chrome.notifications.create(id, { ...options, buttons: buttons.map((label) => ({ title: label })) });
  } catch {
    // Firefox has no notification buttons; the notification itself still says what happened.
    await chrome.notifications.create(id, options);
  }
}

export function driftMessage(settings) {
  // Pinterest's own wording is what the person sees on Pinterest's page.
  const named = settings.map((setting) => `\u201c${setting.labels?.[0] ?? setting.title}\u201d`);
  const direction = (setting) => (desiredState(setting) ? "back off" : "back on");
  if (settings.length === 1) return `Pinterest turned ${named[0]} ${direction(settings[0])}.`;
  return `Pinterest changed ${settings.length} of your settings back: ${named.join(", ")}.`;
}

function newSettingsMessage(settings) {
  if (settings.length === 1) return `\u201c${settings[0].title}\u201d: ${settings[0].explanation}`;
  return `${settings.map((setting) => `\u201c${setting.title}\u201d`).join(", ")}. Choose in Optout's options.`;
}

// Compares what a re-check found with what was already reported, and notifies only what is new.
export function notifyFindings() {
  return serialized(async () => {
    const snapshot = await readSnapshot();
    const stored = await chrome.storage.local.get([StoreKey.NOTIFIED, StoreKey.LOGGED_OUT_NOTICE_AT]);
    const notified = stored[StoreKey.NOTIFIED] ?? {};
    const enabled = snapshot.preferences.notifications;

    if (snapshot.problem?.kind === "login_required") {
      const last = stored[StoreKey.LOGGED_OUT_NOTICE_AT] ?? 0;
      if (enabled && Date.now() - last >= LOGGED_OUT_NOTICE_EVERY_MS) {
        await show(NotificationId.LOGGED_OUT, "Log in to Pinterest",
          "Optout could not check your settings because you are logged out of Pinterest in this browser.", ["Log in"]);
        await chrome.storage.local.set({ [StoreKey.LOGGED_OUT_NOTICE_AT]: Date.now() });
      }
      return;
    }

    const drifted = driftedSettings(snapshot);
    const undecided = undecidedNewSettings(snapshot.rules?.document, snapshot.preferences.choices, snapshot.knownSettings);
    const current = new Set([...drifted.map((s) => `drift:${s.id}`), ...undecided.map((s) => `new:${s.id}`)]);
    const freshDrift = drifted.filter((s) => !notified[`drift:${s.id}`]);
    const freshNew = undecided.filter((s) => !notified[`new:${s.id}`]);
    const remaining = Object.fromEntries(Object.keys(notified).filter((key) => current.has(key)).map((key) => [key, true]));

    if (enabled && freshDrift.length > 0) {
      await show(NotificationId.DRIFT, "Pinterest changed your settings", driftMessage(freshDrift), ["Fix now"]);
      for (const setting of freshDrift) remaining[`drift:${setting.id}`] = true;
    }
    if (enabled && freshNew.length > 0) {
      const title = freshNew.length === 1 ? "A new setting you can turn off" : "New settings you can turn off";
      await show(NotificationId.NEW_SETTINGS, title, newSettingsMessage(freshNew), ["Add to my opt-out", "Not now"]);
      for (const setting of freshNew) remaining[`new:${setting.id}`] = true;
    }
    await chrome.storage.local.set({ [StoreKey.NOTIFIED]: remaining });
  });
}

// "Add to my opt-out" or "Not now": either way the person has decided on these settings.
export function decideNewSettings(enforce) {
  return serialized(async () => {
    const snapshot = await readSnapshot();
    const undecided = undecidedNewSettings(snapshot.rules?.document, snapshot.preferences.choices, snapshot.knownSettings);
    const choices = { ...snapshot.preferences.choices };
    for (const setting of undecided) choices[setting.id] = enforce;
    await chrome.storage.local.set({
      [StoreKey.PREFERENCES]: { ...snapshot.preferences, choices },
      [StoreKey.KNOWN_SETTINGS]: [...snapshot.knownSettings, ...undecided.map((setting) => setting.id)],
    });
  });
}
