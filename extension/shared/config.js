// Everything a deployment might want to change, in one place.

export const PLATFORM = "pinterest";

export const DEFAULT_SERVICE_URL = "http://127.0.0.1:8787";

export const RULES_PATH = `/api/v1/rules/${PLATFORM}`;

export const SERVICE_TIMEOUT_MS = 3000;

// How long fetched rules are used before the rules service is asked again.
export const RULES_FRESH_MS = 60 * 60 * 1000;

export const COOKIE_DOMAIN = "pinterest.com";

// Pinterest's login session cookie: when it is set again, the person has logged back in.
export const SESSION_COOKIE = "_pinterest_sess";

export const LOGIN_URL = "https://www.pinterest.com/login/";

export const RECHECK_ALARM = "recheck";

export const RECHECK_MINUTES = Object.freeze({ off: 0, daily: 24 * 60, weekly: 7 * 24 * 60 });

export const LOGGED_OUT_NOTICE_EVERY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_PREFERENCES = Object.freeze({
  choices: {},
  recheck: "daily",
  recheckMinutes: null,
  notifications: true,
  privacySignals: true,
  serviceUrl: DEFAULT_SERVICE_URL,
});
