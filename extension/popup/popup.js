// The popup: what Optout knows about each chosen setting, one button to opt out, live progress
// while the helper works, and a summary or an actionable message when it is done.

import { chosenSettings } from "../shared/choices.js";
import { WorkerRequest } from "../shared/requests.js";
import { desiredState, settingsPage } from "../shared/rules.js";
import { describeProblem, describeSettingStatus, needsHandWork } from "../shared/problems.js";
import { readSnapshot } from "../shared/store.js";
import { timeAgo } from "../shared/time.js";
import { GOOD_SETTING_STATUSES, ProgressStep, RunStatus, SettingStatus } from "../shared/vocabulary.js";

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

function pillFor(setting, known, live, running) {
  if (live && live.step !== ProgressStep.SETTING_DONE) {
    const pill = element("span", "pill busy");
    pill.append(element("span", "spinner"), STEP_WORDS[live.step] ?? "Working");
    return pill;
  }
  const status = live?.status ?? known?.status;
  if (status && !GOOD_SETTING_STATUSES.includes(status) && status !== SettingStatus.SKIPPED) {
    return element("span", "pill bad", "Needs you");
  }
  if (running && !live) return element("span", "pill", "Waiting");
  if (typeof known?.state !== "boolean") return element("span", "pill", "Not checked yet");
  if (known.state === desiredState(setting)) return element("span", "pill good", "Opted out");
  return element("span", "pill warn", desiredState(setting) ? "Still off" : "Still on");
}

function metaFor(setting, known, live, rules) {
  const meta = element("p", "setting-meta");
  const status = live?.status ?? known?.status;
  const parts = [];
  if (live?.step === ProgressStep.SETTING_DONE && status) parts.push(describeSettingStatus(status));
  else if (known?.checkedAt) parts.push(`Checked ${timeAgo(known.checkedAt)}`);
  meta.textContent = parts.join(" \u00b7 ");
  if (needsHandWork(status)) {
    if (!live) meta.textContent = describeSettingStatus(status);
    const link = element("a", "", "Do it by hand on Pinterest");
    link.href = settingsPage(rules, setting);
    link.target = "_blank";
    link.rel = "noopener";
    meta.append(meta.textContent ? " \u00b7 " : "", link);
  }
  return meta;
}

function renderSettings(snapshot, chosen) {
  const list = $("settings");
  const rows = chosen.map((setting) => {
    const known = snapshot.settingStates[setting.id];
    const live = snapshot.run?.settings?.[setting.id] ?? null;
    const row = element("li", "setting");
    row.dataset.settingId = setting.id;
    row.append(
      element("span", "setting-title", setting.title),
      pillFor(setting, known, live, Boolean(snapshot.run)),
      element("p", "setting-explanation", setting.explanation),
      metaFor(setting, known, live, snapshot.rules?.document),
    );
    return row;
  });
  list.replaceChildren(...rows);
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

function renderHeadline(snapshot, chosen) {
  const title = $("headline-title");
  const text = $("headline-text");
  const headline = $("headline");
  headline.replaceChildren(title, text);
  if (snapshot.run) {
    const { done = 0, total = chosen.length } = snapshot.run;
    title.textContent = snapshot.run.mode === "apply" ? "Opting you out\u2026" : "Checking your settings\u2026";
    text.textContent = snapshot.run.message || `${done} of ${total} settings done`;
    const bar = element("div", "progress-bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", String(total));
    bar.setAttribute("aria-valuenow", String(done));
    const fill = element("span");
    fill.style.width = `${total ? Math.max(4, (100 * done) / total) : 4}%`;
    bar.append(fill);
    headline.append(bar);
    return;
  }
  const known = chosen.filter((setting) => typeof snapshot.settingStates[setting.id]?.state === "boolean");
  const off = known.filter((setting) => snapshot.settingStates[setting.id].state !== desiredState(setting));
  if (chosen.length === 0) {
    title.textContent = snapshot.rules ? "No settings chosen" : "Getting ready\u2026";
    text.textContent = snapshot.rules ? "Choose what Optout looks after in Options." : "";
  } else if (off.length > 0) {
    title.textContent = off.length === 1 ? "1 setting is not opted out" : `${off.length} settings are not opted out`;
    text.textContent = "Press \u201cOpt me out\u201d and Optout will switch them for you.";
  } else if (known.length === chosen.length) {
    title.textContent = "You\u2019re opted out";
    text.textContent = `All ${chosen.length} settings are how you chose.`;
  } else {
    title.textContent = "Not checked yet";
    text.textContent = "Press \u201cOpt me out\u201d to check and change your Pinterest settings.";
  }
}

function summaryOf(report) {
  const results = report.results ?? [];
  const changed = results.filter((result) => result.status === SettingStatus.CHANGED).length;
  const already = results.filter((result) => result.status === SettingStatus.ALREADY_OK).length;
  const trouble = results.filter((result) => !GOOD_SETTING_STATUSES.includes(result.status)).length;
  const parts = [];
  if (changed) parts.push(`${changed} changed`);
  if (already) parts.push(`${already} already set`);
  if (trouble) parts.push(`${trouble} need${trouble === 1 ? "s" : ""} you`);
  const confirmed = changed ? " Every change was confirmed by reading it back from Pinterest." : "";
  const detail = `${parts.join(", ")}.${confirmed}`;
  if (report.status === RunStatus.DONE) return { tone: "", title: "Done: you\u2019re opted out", text: detail };
  return { tone: "partial", title: "Mostly done", text: `${detail} See the settings marked below.` };
}

function renderSummary(snapshot) {
  const box = $("summary");
  const report = outcome?.report;
  const showable = report && [RunStatus.DONE, RunStatus.PARTIAL].includes(report.status) && !snapshot.run;
  box.hidden = !showable;
  if (!showable) return;
  const summary = summaryOf(report);
  box.className = `summary ${summary.tone}`;
  box.dataset.status = report.status;
  $("summary-title").textContent = summary.title;
  $("summary-text").textContent = summary.text;
}

function render(snapshot) {
  const chosen = chosenSettings(snapshot.rules?.document, snapshot.preferences.choices, snapshot.knownSettings);
  const running = Boolean(snapshot.run);
  const problem = running ? null : (transientProblem ?? snapshot.problem);
  renderProblem(problem);
  renderSummary(snapshot);
  renderHeadline(snapshot, chosen);
  $("headline").hidden = (Boolean(problem) || !$("summary").hidden) && !running;
  renderSettings(snapshot, chosen);
  const button = $("opt-out");
  button.disabled = running || chosen.length === 0;
  button.textContent = running ? "Working\u2026" : "Opt me out";
  document.querySelector("main").setAttribute("aria-busy", String(running));
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
  $("opt-out").disabled = true;
  const answer = await chrome.runtime.sendMessage({ kind: WorkerRequest.OPT_OUT });
  outcome = answer?.ok ? answer.value : { problem: answer?.error };
  if (outcome?.problem?.kind === "busy") transientProblem = outcome.problem;
  await refreshView();
  document.querySelector("main").dataset.finished = outcome?.report?.status ?? outcome?.problem?.kind ?? "failed";
}

async function start() {
  $("opt-out").addEventListener("click", optOut);
  chrome.storage.onChanged.addListener(queueRedraw);
  await refreshView();
  await chrome.runtime.sendMessage({ kind: WorkerRequest.REFRESH });
  await refreshView();
  document.querySelector("main").dataset.ready = "true";
}

start();
