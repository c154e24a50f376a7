// The words the extension and the native host share. native_host/statuses.py and
// native_host/errors.py are the source of truth; tests/extension/test_vocabulary.py keeps these equal.

export const PROTOCOL_VERSION = 1;

export const HOST_NAME = "com.optout.host";

export const MessageType = Object.freeze({
  HELLO: "hello",
  RULES: "rules",
  CHECK: "check",
  APPLY: "apply",
  CANCEL: "cancel",
  STATUS: "status",
  HISTORY: "history",
});

export const ReplyEvent = Object.freeze({
  PROGRESS: "progress",
  RESULT: "result",
  ERROR: "error",
});

export const ProgressStep = Object.freeze({
  LAUNCHING: "launching",
  LOADING: "loading",
  READING: "reading",
  CHANGING: "changing",
  SAVING: "saving",
  VERIFYING: "verifying",
  SETTING_DONE: "setting_done",
  FINISHED: "finished",
});

export const SettingStatus = Object.freeze({
  ALREADY_OK: "already_ok",
  CHANGED: "changed",
  WOULD_CHANGE: "would_change",
  NOT_FOUND: "not_found",
  AMBIGUOUS: "ambiguous",
  LOCKED: "locked",
  SAVE_FAILED: "save_failed",
  VERIFY_FAILED: "verify_failed",
  SKIPPED: "skipped",
});

export const RunStatus = Object.freeze({
  DONE: "done",
  PARTIAL: "partial",
  LOGIN_REQUIRED: "login_required",
  BLOCKED: "blocked",
  TIMEOUT: "timeout",
  BROWSER_MISSING: "browser_missing",
  CANCELLED: "cancelled",
  INTERRUPTED: "interrupted",
  RULES_REFUSED: "rules_refused",
  FAILED: "failed",
});

export const GOOD_SETTING_STATUSES = Object.freeze([
  SettingStatus.ALREADY_OK,
  SettingStatus.CHANGED,
  SettingStatus.WOULD_CHANGE,
]);

export const ErrorCode = Object.freeze({
  BAD_FRAME: 1,
  BAD_REQUEST: 2,
  UNKNOWN_TYPE: 3,
  TOO_LARGE: 4,
  BUSY: 5,
  RULES_REFUSED: 6,
  FORBIDDEN_CALLER: 7,
  NOT_RUNNING: 8,
  UNSUPPORTED_PROTOCOL: 9,
  UNKNOWN_SETTING: 10,
  UNKNOWN_PLATFORM: 11,
  INTERNAL: 99,
});
