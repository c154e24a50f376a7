// The background worker: wires browser events to the modules that do the work. Listeners are
// registered at the top level so the browser can wake the worker for them.

import { LOGIN_URL, RECHECK_ALARM } from "../shared/config.js";
import { WorkerRequest } from "../shared/requests.js";
import { siteOfCookie } from "../shared/sessions.js";
import { readPreferences, StoreKey, writePreferences } from "../shared/store.js";
import { mark } from "../shared/timing.js";
import { SESSION_COOKIE } from "../shared/vocabulary.js";
import { updateBadge } from "./badge.js";
import {
  CLICK_ACTION,
  decideNewSettings,
  newSettingsOffered,
  NoticeAction,
  NotificationId,
  notifyFindings,
} from "./notifications.js";
import { closeHelper } from "./host.js";
import { applyPrivacySignals } from "./privacy-signals.js";
import { scheduleRecheck } from "./recheck.js";
import { cancelRun, checkNow, clearLoginProblem, optOutNow } from "./runs.js";
import { serialized } from "./serial.js";
import { fullHistory, historyPage, refreshStatus } from "./status.js";
import { forgetWording, sendFieldReport, teachWording } from "./taught.js";
import { openWelcome } from "./welcome.js";

mark("worker:started");

async function followPreferences() {
  const preferences = await readPreferences();
  await Promise.all([scheduleRecheck(preferences), applyPrivacySignals(preferences.privacySignals), updateBadge()]);
}

async function recheck() {
  const outcome = await checkNow();
  if (outcome.problem?.kind === "busy") return;
  await notifyFindings();
}

chrome.runtime.onInstalled.addListener(({ reason }) => {
  followPreferences();
  refreshStatus();
  // A first install walks the person through the helper, the login and a first opt-out; updates do not.
  if (reason === "install") openWelcome();
});

chrome.runtime.onStartup.addListener(() => {
  followPreferences();
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "local") return;
  if (changes[StoreKey.PREFERENCES]) {
    followPreferences();
  } else if (changes[StoreKey.SETTING_STATES] || changes[StoreKey.PROBLEM] || changes[StoreKey.RULES]) {
    updateBadge();
  }
});

// Logging in to Pinterest, on any of its sites, sets new cookies: a "log in first" message from an earlier run
// no longer holds.
chrome.cookies.onChanged.addListener(({ cookie, removed }) => {
  if (!removed && cookie.name === SESSION_COOKIE && siteOfCookie(cookie.domain)) clearLoginProblem();
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RECHECK_ALARM) recheck();
});

async function onNotificationButton(notificationId, buttonIndex) {
  await chrome.notifications.clear(notificationId);
  if (notificationId === NotificationId.DRIFT) {
    await optOutNow();
  } else if (notificationId === NotificationId.NEW_SETTINGS) {
    // With nothing to offer, the notice's only button opens Options, where the person chooses.
    if (!(await newSettingsOffered())) {
      await chrome.runtime.openOptionsPage();
      return;
    }
    await decideNewSettings(buttonIndex === 0);
    if (buttonIndex === 0) await optOutNow();
  } else if (notificationId === NotificationId.LOGGED_OUT) {
    await chrome.tabs.create({ url: LOGIN_URL });
  }
}

const NOTICE_ACTIONS = {
  [NoticeAction.FIX]: () => optOutNow(),
  [NoticeAction.OPEN_OPTIONS]: () => chrome.runtime.openOptionsPage(),
  [NoticeAction.LOG_IN]: () => chrome.tabs.create({ url: LOGIN_URL }),
};

async function onNotificationClicked(notificationId) {
  const action = NOTICE_ACTIONS[CLICK_ACTION[notificationId]];
  if (!action) return;
  await chrome.notifications.clear(notificationId);
  await action();
}

chrome.notifications.onButtonClicked.addListener(onNotificationButton);
chrome.notifications.onClicked.addListener(onNotificationClicked);

// Reachable from the worker's console (and the end-to-end tests) to act as a button press or a click would.
globalThis.onNotificationButton = onNotificationButton;
globalThis.onNotificationClicked = onNotificationClicked;
// The same for the helper's idle timer running out (bench/extension.py opens the popup with no helper running).
globalThis.closeHelper = () => closeHelper();

const HANDLERS = {
  [WorkerRequest.OPT_OUT]: () => optOutNow(),
  [WorkerRequest.CHECK]: () => checkNow(),
  [WorkerRequest.CANCEL]: () => ({ cancelled: cancelRun() }),
  [WorkerRequest.REFRESH]: () => refreshStatus(),
  [WorkerRequest.HISTORY]: (message) => historyPage(message.page ?? 1, message.pageSize ?? 20),
  [WorkerRequest.EXPORT_HISTORY]: () => fullHistory(),
  [WorkerRequest.SET_PREFERENCES]: (message) => serialized(() => writePreferences(message.changes ?? {})),
  [WorkerRequest.TEACH]: (message) => teachWording(message.settingId, message.label),
  [WorkerRequest.FORGET_WORDING]: (message) => forgetWording(message.settingId, message.wording),
  [WorkerRequest.SEND_FIELD_REPORT]: (message) => sendFieldReport(message.document),
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = HANDLERS[message?.kind];
  if (!handler || sender.id !== chrome.runtime.id) return false;
  mark(`worker:${message.kind}:received`);
  Promise.resolve()
    .then(() => handler(message))
    .finally(() => mark(`worker:${message.kind}:answered`))
    .then(
      (value) => sendResponse({ ok: true, value: value ?? null }),
      (error) => sendResponse({ ok: false, error: { kind: error?.kind ?? "failed", message: String(error?.message ?? error) } }),
    );
  return true;
});
