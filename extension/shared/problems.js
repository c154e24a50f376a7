// What each problem means to a person, and what they can do about it.

import { LOGIN_URL } from "./config.js";

// Problems that mean the helper app cannot be reached: one list for the popup, the badge and the worker.
export const HOST_PROBLEMS = Object.freeze(["host_missing", "host_forbidden", "host_failed"]);

// Each entry: title, text, and an action: {link, label}, or {welcome: true} for the welcome page's install steps
// (the popup words that link itself, `welcome_popup_link`).
export function describeProblem(problem) {
  const kind = problem?.kind;
  if (kind === "host_missing" || kind === "host_forbidden") {
    return {
      tone: "bad",
      title: "One more step: install the Optout helper",
      text: "Optout needs its small helper app to change your settings. Setting it up takes a few minutes, once.",
      action: { welcome: true },
    };
  }
  if (kind === "host_failed" || kind === "internal") {
    return {
      tone: "bad",
      title: "The Optout helper stopped",
      text: "Something went wrong in the helper app. Try again; if it keeps happening, install it again.",
      action: { welcome: true },
    };
  }
  if (kind === "login_required") {
    return {
      tone: "warn",
      title: "Log in to Pinterest first",
      text: "Optout uses the Pinterest account this browser is logged in to. Log in, then try again.",
      action: { link: LOGIN_URL, label: "Log in to Pinterest" },
    };
  }
  if (kind === "blocked") {
    return {
      tone: "warn",
      title: "Pinterest is not letting changes through right now",
      text: "Pinterest asked to slow down. Nothing is wrong with your account: try again later.",
      action: null,
    };
  }
  if (kind === "timeout") {
    return {
      tone: "warn",
      title: "Pinterest took too long to answer",
      text: "Check your internet connection and try again in a few minutes.",
      action: null,
    };
  }
  if (kind === "browser_missing") {
    return {
      tone: "bad",
      title: "Optout could not start a browser",
      text: "The helper needs Chrome, Chromium or Edge installed on this computer.",
      action: null,
    };
  }
  if (kind === "rules_refused") {
    return {
      tone: "bad",
      title: "The settings list did not pass its safety check",
      text: "Optout refused an update it could not verify. If you set an address under Advanced in Options, check it; otherwise try again later.",
      action: null,
    };
  }
  if (kind === "nothing_chosen") {
    return {
      tone: "warn",
      title: "No settings chosen",
      text: "Choose at least one setting for Optout to look after.",
      action: { link: "options.html", label: "Open Options" },
    };
  }
  if (kind === "busy") {
    return { tone: "warn", title: "Already working on it", text: "A run is going on; this window will update.", action: null };
  }
  return {
    tone: "bad",
    title: "Something went wrong",
    text: problem?.message || "Try again in a moment.",
    action: null,
  };
}
