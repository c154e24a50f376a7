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
import { buildFieldReport, fieldReportText, reportsAddress } from "../shared/field-report.js";
import { serviceAddress } from "../shared/rules-source.js";
import { sessionChoice } from "../shared/sessions.js";
import { isTaught } from "../shared/teach.js";
import { SettingStatus } from "../shared/vocabulary.js";

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
    case Standing.PAUSED:
      return pausedPill();
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
  if (standing === Standing.PAUSED) return pausedMeta(meta, known);
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
      ...teachingParts(row, snapshot, view.running),
    );
    return item;
  });
  $("settings").replaceChildren(...rows);
}

// ---- a setting Optout's rules pause: said neutrally, with the maintainers' own reason ----

function pausedPill() {
  return element("span", "pill", "Paused");
}

function pausedMeta(meta, known) {
  meta.textContent = known?.message || describeSettingStatus(SettingStatus.PAUSED);
  return meta;
}

// ---- teaching Optout a setting it did not find, and the field report the person may choose to send ----

const teachState = {}; // per setting id: {taught: label, sentence, reportOpen, sent}

function stateWord(state) {
  if (state === true) return "now on";
  if (state === false) return "now off";
  return "state unknown";
}

function teachingParts(row, snapshot, running) {
  const { setting, known } = row;
  const parts = [];
  if (isTaught({ wording_source: known?.wordingSource }) && known?.wording) {
    parts.push(element("p", "taught-note", `Found by the name \u201c${known.wording}\u201d, taught by you.`));
  }
  const state = teachState[setting.id] ?? {};
  if (known?.status !== SettingStatus.NOT_FOUND || running) return parts;
  const candidates = known.candidates ?? [];
  if (state.taught) {
    parts.push(element("p", "taught-note", `Taught by you: \u201c${state.taught}\u201d. Optout will use it from your next run.`));
  } else if (candidates.length) {
    parts.push(candidateChoice(setting, candidates));
  }
  if (state.sentence) parts.push(element("p", "teach-problem", state.sentence));
  const offer = fieldReportOffer(setting, snapshot, state);
  if (offer) parts.push(offer);
  return parts;
}

// "Is it one of these?": a named group of buttons, one per switch Optout found on the page and could not name.
function candidateChoice(setting, candidates) {
  const group = element("div", "teach");
  const question = element("p", "teach-question", "Is it one of these?");
  question.id = `teach-question-${setting.id}`;
  const list = element("ul", "teach-candidates");
  list.setAttribute("aria-labelledby", question.id);
  for (const candidate of candidates) {
    const button = element("button", "teach-candidate", candidate.label);
    button.type = "button";
    button.dataset.label = candidate.label;
    // What a screen reader says is what the button shows (axe: label-content-name-mismatch).
    button.append(element("span", "teach-state", ` (${candidate.kind}, ${stateWord(candidate.state)})`));
    button.addEventListener("click", () => teach(setting.id, candidate.label));
    const item = element("li");
    item.append(button);
    list.append(item);
  }
  group.append(question, list);
  return group;
}

async function teach(settingId, label) {
  const answer = await chrome.runtime.sendMessage({ kind: WorkerRequest.TEACH, settingId, label });
  teachState[settingId] = answer?.ok ? { taught: label } : { sentence: answer?.error?.message ?? "Optout could not learn it." };
  await refreshView();
  document.querySelector(`[data-setting-id="${CSS.escape(settingId)}"] .report-toggle`)?.focus();
}

// Opt-in only: the exact document is shown before anything is sent, and Send is a separate press.
function fieldReportOffer(setting, snapshot, state) {
  // The choice just made here, or else the newest one kept for this setting from an earlier popup.
  const taught = state.taught ?? snapshot.taught?.[setting.id]?.[0] ?? null;
  const document_ = snapshot.lastRun ? buildFieldReport(snapshot.lastRun, setting.id, taught) : null;
  if (!document_) return null;
  const box = element("div", "field-report");
  const toggle = element("button", "report-toggle", "Tell Optout\u2019s maintainers about this page\u2026");
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", String(Boolean(state.reportOpen)));
  toggle.addEventListener("click", () => {
    teachState[setting.id] = { ...state, reportOpen: !state.reportOpen, sent: null };
    refreshView();
  });
  box.append(toggle);
  if (!state.reportOpen) return box;
  const text = fieldReportText(document_);
  const address = reportsAddress(serviceAddress(snapshot.preferences));
  box.append(
    element(
      "p",
      "report-intro",
      "Only the setting names on this page would be sent, exactly as below: no cookies, no account name, no Pins " +
        "or boards, no full address. Nothing is sent unless you press Send.",
    ),
  );
  const shown = element("pre", "report-document", text);
  shown.tabIndex = 0;
  shown.setAttribute("aria-label", "The report that would be sent");
  box.append(shown);
  const actions = element("div", "report-actions");
  if (address) {
    const send = element("button", "report-send", "Send");
    send.type = "button";
    send.addEventListener("click", () => sendReport(setting.id, document_));
    actions.append(send);
  } else {
    box.append(element("p", "report-nowhere", "No rules service is set up yet, so there is nowhere to send it. You can copy it instead."));
  }
  const copy = element("button", "report-copy", "Copy");
  copy.type = "button";
  copy.addEventListener("click", async () => {
    await navigator.clipboard.writeText(text);
    copy.textContent = "Copied";
  });
  actions.append(copy);
  box.append(actions);
  if (state.sent) {
    const said = element("p", "report-sent", state.sent);
    said.setAttribute("role", "status");
    box.append(said);
  }
  return box;
}

async function sendReport(settingId, document_) {
  const answer = await chrome.runtime.sendMessage({ kind: WorkerRequest.SEND_FIELD_REPORT, document: document_ });
  const result = answer?.ok ? answer.value : null;
  const sent = result?.sent ? "Sent. Thank you: every copy of Optout can learn from it." : (result?.sentence ?? "Nothing was sent.");
  teachState[settingId] = { ...(teachState[settingId] ?? {}), sent };
  await refreshView();
}

function renderProblem(problem) {
  const box = $("problem");
  if (!problem) {
    box.hidden = true;
    delete box.dataset.shown;
    return;
  }
  // An alert is read out again whenever its text is rewritten: redraws leave the same problem alone, also when
  // it is only recorded again (a new `at`, as the welcome page's helper checks do every few seconds).
  const { at: _recordedAt, ...sameProblem } = problem;
  const shown = JSON.stringify(sameProblem);
  if (box.dataset.shown === shown) return;
  box.dataset.shown = shown;
  const described = describeProblem(problem);
  box.hidden = false;
  box.className = `notice ${described.tone}`;
  box.dataset.kind = problem.kind;
  $("problem-title").textContent = described.title;
  $("problem-text").textContent = described.text;
  const action = $("problem-action");
  action.replaceChildren();
  if (described.action?.welcome) {
    // The install steps for this computer, checked live: the welcome page (contract 7).
    const link = element("a", "action-link", `${chrome.i18n.getMessage("welcome_popup_link")} \u2192`);
    link.id = "welcome-link";
    link.href = "welcome.html";
    link.target = "_blank";
    link.rel = "noopener";
    action.append(link);
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
  const stopButton = $("stop");
  const hadFocus = document.activeElement;
  button.disabled = view.running || view.rows.length === 0;
  button.textContent = view.running ? "Working\u2026" : "Opt me out";
  stopButton.hidden = !view.running;
  if (!view.running) {
    stopButton.removeAttribute("aria-disabled");
    stopButton.textContent = "Stop";
  }
  keepFocus(hadFocus, button, stopButton);
  document.querySelector("main").setAttribute("aria-busy", String(view.running));
}

// A run that starts or ends while the person is on one of the two buttons (a re-check, another
// window) hides or disables it: the focus moves to the other one instead of falling to the page.
function keepFocus(hadFocus, button, stopButton) {
  if (hadFocus === button && button.disabled && !stopButton.hidden) stopButton.focus();
  else if (hadFocus === stopButton && stopButton.hidden && !button.disabled) button.focus();
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
// aria-disabled rather than disabled: a disabled button would drop the focus to the page.
async function stop() {
  if ($("stop").getAttribute("aria-disabled") === "true") return;
  $("stop").setAttribute("aria-disabled", "true");
  $("stop").textContent = "Stopping\u2026";
  await chrome.runtime.sendMessage({ kind: WorkerRequest.CANCEL });
}

// Logged in on several Pinterest sites (www.pinterest.com and www.pinterest.de): one line names the one a
// run goes to, as shared/sessions.js chooses it for the run.
async function showSessionSite() {
  const { chosen, origins } = await sessionChoice(chrome.cookies);
  const note = $("domain-note");
  note.hidden = !(chosen && origins.length > 1);
  note.textContent = note.hidden ? "" : chrome.i18n.getMessage("domain_several", [new URL(chosen.origin).host]);
}

async function start() {
  $("opt-out").addEventListener("click", optOut);
  $("stop").addEventListener("click", stop);
  chrome.storage.onChanged.addListener(queueRedraw);
  const sessionSite = showSessionSite();
  await refreshView();
  await chrome.runtime.sendMessage({ kind: WorkerRequest.REFRESH });
  await refreshView();
  await sessionSite;
  document.querySelector("main").dataset.ready = "true";
}

start();
