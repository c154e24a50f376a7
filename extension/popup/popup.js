// The popup: what Optout knows about each chosen setting, one button to opt out, live progress
// while the helper works, and a summary or an actionable message when it is done.

import { assess, runProgress, Standing } from "../shared/assess.js";
import { describeProblem } from "../shared/problems.js";
import { WorkerRequest } from "../shared/requests.js";
import { desiredState, settingsPage } from "../shared/rules.js";
import { readSnapshot } from "../shared/store.js";
import { timeAgo } from "../shared/time.js";
import { ProgressStep, RunStatus } from "../shared/vocabulary.js";
import { describeSettingStatus, handInstruction, lookFor, NOT_OFFERED_SENTENCE, summarize } from "../shared/words.js";

const $ = (id) => document.getElementById(id);

const STEP_WORDS = {
  [ProgressStep.LAUNCHING]: "Starting",
  [ProgressStep.LOADING]: "Opening Pinterest",
  [ProgressStep.READING]: "Reading",
  [ProgressStep.CHANGING]: "Changing",
  [ProgressStep.SAVING]: "Saving",
  [ProgressStep.VERIFYING]: "Confirming",
};

let outcome = null; // what the last click in this popup returned: {report} or {problem}
let transientProblem = null;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function pillFor(row, live, running) {
  if (live && live.step !== ProgressStep.SETTING_DONE) {
    const pill = element("span", "pill busy");
    pill.append(element("span", "spinner"), STEP_WORDS[live.step] ?? "Working");
    return pill;
  }
  if (running && !live) return element("span", "pill", "Waiting");
  switch (row.standing) {
    case Standing.NOT_OFFERED:
      return element("span", "pill", "Not offered");
    case Standing.NEEDS_YOU:
      return element("span", "pill bad", "Needs you");
    case Standing.AS_CHOSEN:
      return element("span", "pill good", "Opted out");
    case Standing.NOT_AS_CHOSEN:
      return element("span", "pill warn", desiredState(row.setting) ? "Still off" : "Still on");
    default:
      return element("span", "pill", "Not checked yet");
  }
}

// Only pages on Pinterest's own site reach the screen (shared/rules.js settingsPage checks).
function pinterestLink(text, address) {
  const link = element("a", "", text);
  link.href = address;
  link.target = "_blank";
  link.rel = "noopener";
  return link;
}

function metaFor(row, live, rules) {
  const meta = element("p", "setting-meta");
  const { setting, known, standing } = row;
  if (standing === Standing.NOT_OFFERED) {
    meta.append(`${NOT_OFFERED_SENTENCE}. ${lookFor(setting)} `, pinterestLink("Look on Pinterest", settingsPage(rules, setting)));
    return meta;
  }
  if (standing === Standing.NEEDS_YOU) {
    meta.append(`${describeSettingStatus(known.status)}. `, pinterestLink(handInstruction(setting), settingsPage(rules, setting)));
    return meta;
  }
  if (live?.step === ProgressStep.SETTING_DONE && live.status) meta.textContent = describeSettingStatus(live.status);
  else if (known?.checkedAt) meta.textContent = `Checked ${timeAgo(known.checkedAt)}`;
  return meta;
}

function renderSettings(snapshot, view) {
  const rows = view.rows.map((row) => {
    const live = snapshot.run?.settings?.[row.setting.id] ?? null;
    const item = element("li", "setting");
    item.dataset.settingId = row.setting.id;
    item.dataset.standing = row.standing;
    item.append(
      element("span", "setting-title", row.setting.title),
      pillFor(row, live, view.running),
      element("p", "setting-explanation", row.setting.explanation),
      metaFor(row, live, snapshot.rules?.document),
    );
    return item;
  });
  $("settings").replaceChildren(...rows);
}

function renderProblem(problem) {
  const box = $("problem");
  if (!problem) {
    box.hidden = true;
    return;
  }
  const described = describeProblem(problem);
  box.hidden = false;
  box.className = `notice ${described.tone}`;
  box.dataset.kind = problem.kind;
  $("problem-title").textContent = described.title;
  $("problem-text").textContent = described.text;
  const action = $("problem-action");
  action.replaceChildren();
  if (described.action?.command) {
    const row = element("div", "command-row");
    const command = element("code", "command");
    command.id = "install-command";
    // Break lines only at spaces, never inside an option or the extension id.
    const parts = described.action.command.split(" ");
    parts.forEach((part, index) => {
      if (index) command.append(" ");
      command.append(element("span", "", part));
    });
    const copy = element("button", "", "Copy");
    copy.type = "button";
    copy.addEventListener("click", async () => {
      await navigator.clipboard.writeText(described.action.command);
      copy.textContent = "Copied";
    });
    row.append(command, copy);
    action.append(row);
  } else if (described.action?.link) {
    const link = element("a", "action-link", `${described.action.label} \u2192`);
    link.href = described.action.link;
    link.target = "_blank";
    link.rel = "noopener";
    action.append(link);
  }
}

function renderHeadline(snapshot, view) {
  const title = $("headline-title");
  const text = $("headline-text");
  const headline = $("headline");
  headline.replaceChildren(title, text);
  if (snapshot.run) {
    const total = snapshot.run.total || view.rows.length;
    const { done, fraction } = runProgress(snapshot.run, total);
    title.textContent = snapshot.run.mode === "apply" ? "Opting you out\u2026" : "Checking your settings\u2026";
    text.textContent = `${done} of ${total} settings done`;
    const bar = element("div", "progress-bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", "Settings done");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", String(total));
    bar.setAttribute("aria-valuenow", String(done));
    const fill = element("span");
    fill.style.width = `${Math.max(2, 100 * fraction)}%`;
    bar.append(fill);
    headline.append(bar);
    return;
  }
  title.textContent = view.headline.title;
  text.textContent = view.headline.text;
}

function renderSummary(snapshot) {
  const box = $("summary");
  const report = outcome?.report;
  const showable =
    report && [RunStatus.DONE, RunStatus.PARTIAL, RunStatus.CANCELLED].includes(report.status) && !snapshot.run;
  box.hidden = !showable;
  if (!showable) return;
  const summary = summarize(report);
  box.className = `summary ${summary.tone}`;
  box.dataset.status = report.status;
  box.dataset.practice = String(report.practice === true);
  $("summary-title").textContent = summary.title;
  $("summary-text").textContent = summary.text;
}

function render(snapshot) {
  const view = assess(snapshot);
  const problem = view.running ? null : (transientProblem ?? snapshot.problem);
  renderProblem(problem);
  renderSummary(snapshot);
  renderHeadline(snapshot, view);
  $("headline").hidden = (Boolean(problem) || !$("summary").hidden) && !view.running;
  renderSettings(snapshot, view);
  const button = $("opt-out");
  button.disabled = view.running || view.rows.length === 0;
  button.textContent = view.running ? "Working\u2026" : "Opt me out";
  const stopButton = $("stop");
  stopButton.hidden = !view.running;
  if (!view.running) {
    stopButton.disabled = false;
    stopButton.textContent = "Stop";
  }
  document.querySelector("main").setAttribute("aria-busy", String(view.running));
}

async function refreshView() {
  render(await readSnapshot());
}

// Progress arrives in bursts; drawing once per burst leaves the processor to the run itself.
let redrawQueued = false;
function queueRedraw() {
  if (redrawQueued) return;
  redrawQueued = true;
  setTimeout(() => {
    redrawQueued = false;
    refreshView();
  }, 60);
}

async function optOut() {
  outcome = null;
  transientProblem = null;
  // Stop takes the focus while the main button is disabled, so focus never falls back to the page.
  $("stop").hidden = false;
  $("stop").focus();
  $("opt-out").disabled = true;
  const answer = await chrome.runtime.sendMessage({ kind: WorkerRequest.OPT_OUT });
  outcome = answer?.ok ? answer.value : { problem: answer?.error };
  if (outcome?.problem?.kind === "busy") transientProblem = outcome.problem;
  await refreshView();
  announceOutcome();
  $("opt-out").focus();
  document.querySelector("main").dataset.finished = outcome?.report?.status ?? outcome?.problem?.kind ?? "failed";
}

// Screen readers hear the outcome once, when the run ends, rather than every redraw of the progress.
// A problem announces itself (role="alert"), so it is not said twice.
function announceOutcome() {
  if (!$("problem").hidden) return;
  const source = $("summary").hidden ? $("headline") : $("summary");
  $("announce").textContent = [...source.querySelectorAll("h2, p")].map((node) => node.textContent).join(" ");
}

// The worker passes the cancel to the helper; the run then ends with its report, status "cancelled".
async function stop() {
  $("stop").disabled = true;
  $("stop").textContent = "Stopping\u2026";
  await chrome.runtime.sendMessage({ kind: WorkerRequest.CANCEL });
}

async function start() {
  $("opt-out").addEventListener("click", optOut);
  $("stop").addEventListener("click", stop);
  chrome.storage.onChanged.addListener(queueRedraw);
  await refreshView();
  await chrome.runtime.sendMessage({ kind: WorkerRequest.REFRESH });
  await refreshView();
  document.querySelector("main").dataset.ready = "true";
}

start();
