// What the popup and the options page ask the background worker for.

export const WorkerRequest = Object.freeze({
  OPT_OUT: "opt_out",
  CHECK: "check",
  CANCEL: "cancel",
  REFRESH: "refresh",
  HISTORY: "history",
  EXPORT_HISTORY: "export_history",
  SET_PREFERENCES: "set_preferences",
  TEACH: "teach",
  FORGET_WORDING: "forget_wording",
  SEND_FIELD_REPORT: "send_field_report",
});
