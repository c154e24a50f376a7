// The welcome page: three steps (install the helper, log in to Pinterest, a first opt-out), each ticked as soon
// as it is done. The helper is asked through the background's status path (the same request the popup makes),
// gently and only until it answers; the login is read from this browser's Pinterest cookies; the opt-out from
// the last run the background recorded.

import { LOGIN_URL } from "../shared/config.js";
import { GUIDE_STEPS, detectSystem, helperFile, installCommand, PYTHON_DOWNLOADS, SYSTEM_NAMES, systemsInOrder } from "../shared/install.js";
import { localizePage, t } from "../shared/i18n.js";
import { HOST_PROBLEMS } from "../shared/problems.js";
import { WorkerRequest } from "../shared/requests.js";
import { sessionChoice } from "../shared/sessions.js";
import { StoreKey } from "../shared/store.js";
import { RunStatus, SESSION_COOKIE } from "../shared/vocabulary.js";

// Each check of the helper starts it once (a new process per request): every few seconds is enough to notice
// it soon after `optout install` finishes without keeping a computer busy.
const HELPER_POLL_MS = 4000;
const OPTED_OUT = [RunStatus.DONE, RunStatus.PARTIAL];

const $ = (id) => document.getElementById(id);

const done = { helper: false, login: false, optOut: false };
let chosenSystem = detectSystem();

function translatePage() {
  localizePage();
  $("login-link").href = LOGIN_URL;
}

function guideStep(step, system, version) {
  const item = document.createElement("li");
  if (step.download) {
    // The file name is code in every language: the sentence is split around it.
    const marker = "\uE000"; // a private-use character no translation contains
    const [before, after] = t("welcome_download", marker).split(marker);
    const file = document.createElement("code");
    file.textContent = helperFile(version);
    item.append(before ?? "", file, after ?? "");
    return item;
  }
  item.textContent = step.words();
  const python = PYTHON_DOWNLOADS[system];
  if (python && step.python) {
    const link = document.createElement("a");
    link.href = python;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = t("welcome_python_link");
    item.append(" ", link);
  }
  return item;
}

function showGuide(system) {
  chosenSystem = system;
  const version = chrome.runtime.getManifest().version;
  for (const button of $("systems").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.system === system));
  }
  $("guide").dataset.system = system;
  $("guide-steps").replaceChildren(...GUIDE_STEPS[system].map((step) => guideStep(step, system, version)));
  $("command").textContent = installCommand(system, version);
  $("copy").textContent = t("welcome_copy");
}

function buildSystemChoice() {
  const buttons = systemsInOrder(detectSystem()).map((system) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.system = system;
    button.textContent = SYSTEM_NAMES[system]();
    button.addEventListener("click", () => showGuide(system));
    return button;
  });
  $("systems").replaceChildren(...buttons);
  showGuide(chosenSystem);
  $("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText($("command").textContent);
      $("copy").textContent = t("welcome_copied");
    } catch {
      // No clipboard for this page: the command is selected instead, ready for the person's own copy keys.
      getSelection().selectAllChildren($("command"));
    }
  });
}

function markStep(id, isDone, waitingWords) {
  const step = $(`step-${id}`);
  step.dataset.done = String(isDone);
  step.querySelector(".mark").textContent = isDone ? "\u2713" : step.dataset.number;
  const state = $(`state-${id}`);
  state.textContent = isDone ? t("welcome_state_done") : waitingWords;
  state.className = `pill state${isDone ? " good" : ""}`;
}

function render() {
  markStep("helper", done.helper, t("welcome_state_waiting_helper"));
  markStep("login", done.login, t("welcome_state_not_logged_in"));
  markStep("opt-out", done.optOut, t("welcome_state_not_yet"));
  const ready = done.helper && done.login;
  const button = $("opt-out");
  button.disabled = !ready;
  if (!button.dataset.running) $("opt-out-note").textContent = ready ? "" : t("welcome_opt_out_needs");
  $("all-done").textContent = done.helper && done.login && done.optOut ? t("welcome_all_done") : "";
  document.querySelector("main").dataset.ready = "true";
}

// The background asks the helper for its status; a helper that cannot be reached leaves a host problem behind.
async function helperAnswers() {
  await chrome.runtime.sendMessage({ kind: WorkerRequest.REFRESH });
  const stored = await chrome.storage.local.get(StoreKey.PROBLEM);
  return !HOST_PROBLEMS.includes(stored[StoreKey.PROBLEM]?.kind);
}

// A session on any of Pinterest's sites counts: the run goes to the one used last (shared/sessions.js).
async function loggedIn() {
  return (await sessionChoice(chrome.cookies)).chosen !== null;
}

async function optedOut() {
  const stored = await chrome.storage.local.get(StoreKey.LAST_RUN);
  const run = stored[StoreKey.LAST_RUN];
  return run?.mode === "apply" && OPTED_OUT.includes(run.status);
}

// Polls with setTimeout after each answer, so a slow helper never has two checks running at once.
async function watchHelper() {
  try {
    done.helper = await helperAnswers();
  } catch {
    done.helper = false;
  }
  render();
  if (!done.helper) setTimeout(watchHelper, HELPER_POLL_MS);
}

// Read once; from then on chrome.cookies.onChanged (in start) says when a session cookie comes or goes.
async function readLogin() {
  done.login = await loggedIn();
  render();
}

async function optOutNow() {
  const button = $("opt-out");
  button.dataset.running = "true";
  button.disabled = true;
  $("opt-out-note").textContent = t("welcome_opt_out_running");
  const answer = await chrome.runtime.sendMessage({ kind: WorkerRequest.OPT_OUT });
  delete button.dataset.running;
  done.optOut = await optedOut();
  render();
  // The popup tells the whole story (each setting, anything that needs the person); here only whether it ran.
  $("opt-out-note").textContent = done.optOut ? "" : t("welcome_opt_out_see_popup");
  return answer;
}

async function start() {
  translatePage();
  buildSystemChoice();
  $("opt-out").addEventListener("click", optOutNow);
  done.optOut = await optedOut();
  render();
  chrome.cookies.onChanged.addListener(async ({ cookie }) => {
    if (cookie.name !== SESSION_COOKIE) return;
    done.login = await loggedIn();
    render();
  });
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== "local" || !changes[StoreKey.LAST_RUN]) return;
    done.optOut = await optedOut();
    render();
  });
  watchHelper();
  readLogin();
}

start();
