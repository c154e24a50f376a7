// Everything a deployment might want to change, in one place.

export const PLATFORM = "pinterest";

// The rules service a release fetches updates from: the one place a release sets it, always https.
// Empty means no service: the helper's own verified copy is used, and it is updated with Optout itself.
// A person can set another address under "Advanced" in Options.
export const RULES_SERVICE_URL = "";

export const RULES_PATH = `/api/v1/rules/${PLATFORM}`;

// Where the rules service takes the field reports a person chooses to send (shared/field-report.js).
export const REPORTS_PATH = "/api/v1/reports";

export const SERVICE_TIMEOUT_MS = 3000;

// How long fetched rules are used before the rules service is asked again.
export const RULES_FRESH_MS = 60 * 60 * 1000;

// Pinterest's sites (cookie jars and their hosts) and its session cookie's name are generated from the helper's
// fixed list into vocabulary.js: PINTEREST_SITES, SESSION_COOKIE.

export const LOGIN_URL = "https://www.pinterest.com/login/";

export const PRIVACY_PAGE = "https://www.pinterest.com/settings/privacy";

export const RECHECK_ALARM = "recheck";

export const RECHECK_MINUTES = Object.freeze({ off: 0, daily: 24 * 60, weekly: 7 * 24 * 60 });

export const LOGGED_OUT_NOTICE_EVERY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_PREFERENCES = Object.freeze({
  choices: {},
  recheck: "daily",
  recheckMinutes: null,
  notifications: true,
  privacySignals: true,
  // null: the release's RULES_SERVICE_URL; "" once a person chose none; else the address they set.
  serviceUrl: null,
});
