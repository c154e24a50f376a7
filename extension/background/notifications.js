// Telling a person what a re-check found: one notification per finding until it changes,
// logged-out at most once a day, nothing at all when notifications are off.

import { assess } from "../shared/assess.js";
import { LOGGED_OUT_NOTICE_EVERY_MS } from "../shared/config.js";
import { t } from "../shared/i18n.js";
import { narrowsWhoCanFindYou } from "../shared/rules.js";
import { readSnapshot, StoreKey } from "../shared/store.js";
import { driftMessage, newSettingsNotice } from "../shared/words.js";
import { serialized } from "./serial.js";

export const NotificationId = Object.freeze({
  DRIFT: "drift",
  NEW_SETTINGS: "new-settings",
  LOGGED_OUT: "logged-out",
});

// Clicking a notice's body does its main action, in every browser: Firefox refuses notification buttons,
// and a click is what most people try first anyway. worker.js maps each action to what it does.
export const NoticeAction = Object.freeze({ FIX: "fix", OPEN_OPTIONS: "open-options", LOG_IN: "log-in" });

export const CLICK_ACTION = Object.freeze({
  [NotificationId.DRIFT]: NoticeAction.FIX,
  [NotificationId.NEW_SETTINGS]: NoticeAction.OPEN_OPTIONS,
  [NotificationId.LOGGED_OUT]: NoticeAction.LOG_IN,
});

// Where there are no buttons, the message says what a click does.
const CLICK_HINT = Object.freeze({
  [NoticeAction.FIX]: () => t("notice_click_fix"),
  [NoticeAction.OPEN_OPTIONS]: () => t("notice_click_options"),
  [NoticeAction.LOG_IN]: () => t("notice_click_log_in"),
});

const ICON = "icons/icon128.png";

// Buttons are asked for and, when the browser refuses them (Firefox throws on the option), left out:
// feature detection by trying, not by the browser's name.
export async function show(id, title, message, buttons) {
  const options = { type: "basic", iconUrl: chrome.runtime.getURL(ICON), title, message, priority: 1 };
  try {
    await chrome.notifications.create(id, { ...options, buttons: buttons.map((label) => ({ title: label })) });
  } catch {
    await chrome.notifications.create(id, { ...options, message: `${message} ${CLICK_HINT[CLICK_ACTION[id]]()}` });
  }
}

// Compares what a re-check found with what was already reported, and notifies only what is new.
export function notifyFindings() {
  return serialized(async () => {
    const snapshot = await readSnapshot();
    const stored = await chrome.storage.local.get([StoreKey.NOTIFIED, StoreKey.LOGGED_OUT_NOTICE_AT]);
    const notified = stored[StoreKey.NOTIFIED] ?? {};
    const enabled = snapshot.preferences.notifications;

    const view = assess(snapshot);

    if (view.loggedOut) {
      const last = stored[StoreKey.LOGGED_OUT_NOTICE_AT] ?? 0;
      if (enabled && Date.now() - last >= LOGGED_OUT_NOTICE_EVERY_MS) {
        await show(NotificationId.LOGGED_OUT, t("notice_logged_out_title"), t("notice_logged_out_text"), [t("notice_button_log_in")]);
        await chrome.storage.local.set({ [StoreKey.LOGGED_OUT_NOTICE_AT]: Date.now() });
      }
      return;
    }

    const { drifted, undecided } = view;
    const current = new Set([...drifted.map((s) => `drift:${s.id}`), ...undecided.map((s) => `new:${s.id}`)]);
    const freshDrift = drifted.filter((s) => !notified[`drift:${s.id}`]);
    const freshNew = undecided.filter((s) => !notified[`new:${s.id}`]);
    const remaining = Object.fromEntries(Object.keys(notified).filter((key) => current.has(key)).map((key) => [key, true]));

    if (enabled && freshDrift.length > 0) {
      await show(NotificationId.DRIFT, t("notice_drift_title"), driftMessage(freshDrift), [t("notice_button_fix")]);
      for (const setting of freshDrift) remaining[`drift:${setting.id}`] = true;
    }
    if (enabled && freshNew.length > 0) {
      const notice = newSettingsNotice(freshNew);
      const buttons = notice.offer.length > 0 ? [t("notice_button_add"), t("notice_button_not_now")] : [t("open_options")];
      await show(NotificationId.NEW_SETTINGS, notice.title, notice.message, buttons);
      for (const setting of freshNew) remaining[`new:${setting.id}`] = true;
    }
    await chrome.storage.local.set({ [StoreKey.NOTIFIED]: remaining });
  });
}

// Whether the new-settings notice offered "Add to my opt-out" (it does not when every new setting
// would narrow who can find the person).
export async function newSettingsOffered() {
  const { undecided } = assess(await readSnapshot());
  return undecided.some((setting) => !narrowsWhoCanFindYou(setting));
}

// "Add to my opt-out" or "Not now": either way the person has decided on the settings offered. A setting
// that narrows who can find them is never enforced from here; it stays unticked in Options for them to choose.
export function decideNewSettings(enforce) {
  return serialized(async () => {
    const snapshot = await readSnapshot();
    const { undecided } = assess(snapshot);
    const choices = { ...snapshot.preferences.choices };
    for (const setting of undecided) {
      if (!narrowsWhoCanFindYou(setting)) choices[setting.id] = enforce;
    }
    await chrome.storage.local.set({
      [StoreKey.PREFERENCES]: { ...snapshot.preferences, choices },
      [StoreKey.KNOWN_SETTINGS]: [...snapshot.knownSettings, ...undecided.map((setting) => setting.id)],
    });
  });
}
