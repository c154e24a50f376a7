// The popup: what Optout knows about each chosen setting, one button to opt out, live progress
// while the helper works, and a summary or an actionable message when it is done.

import { assess, runProgress, Standing } from "../shared/assess.js";
import { describeProblem } from "../shared/problems.js";
import { WorkerRequest } from "../shared/requests.js";
import { localizePage, plural, quoted, t } from "../shared/i18n.js";
import { desiredState, settingExplanation, settingsPage, settingTitle } from "../shared/rules.js";
import { StoredItems } from "../shared/store.js";
import { timeAgo } from "../shared/time.js";
import { mark, timed } from "../shared/timing.js";
import { ProgressStep, RunStatus } from "../shared/vocabulary.js";
import { describeSettingStatus, handInstruction, lookFor, notOfferedSentence, summarize, unknownLanguageSentence } from "../shared/words.js";
import { buildFieldReport, fieldReportText, reportsAddress } from "../shared/field-report.js";
import { serviceAddress } from "../shared/rules-source.js";
import { sessionChoice } from "../shared/sessions.js";
import { isTaught } from "../shared/teach.js";
import { SettingStatus } from "../shared/vocabulary.js";

const $ = (id) => document.getElementById(id);

localizePage();

const STEP_WORDS = {
  [ProgressStep.LAUNCHING]: () => t("step_launching"),
  [ProgressStep.LOADING]: () => t("step_loading"),
  [ProgressStep.READING]: () => t("step_reading"),
  [ProgressStep.CHANGING]: () => t("step_changing"),
  [ProgressStep.SAVING]: () => t("step_saving"),
  [ProgressStep.VERIFYING]: () => t("step_verifying"),
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
    pill.append(element("span", "spinner"), STEP_WORDS[live.step]?.() ?? t("step_working"));
    return pill;
  }
  if (running && !live) return element("span", "pill", t("pill_waiting"));
  switch (row.standing) {
    case Standing.NOT_OFFERED:
      return element("span", "pill", t("pill_not_offered"));
    case Standing.CANNOT_READ:
      return element("span", "pill", t("pill_cannot_read"));
    case Standing.PAUSED:
      return pausedPill();
    case Standing.NEEDS_YOU:
      return element("span", "pill bad", t("pill_needs_you"));
    case Standing.AS_CHOSEN:
      return element("span", "pill good", t("pill_opted_out"));
    case Standing.NOT_AS_CHOSEN:
      return element("span", "pill warn", desiredState(row.setting) ? t("pill_still_off") : t("pill_still_on"));
    default:
      return element("span", "pill", row.notRead ? t("pill_not_read") : t("pill_not_checked"));
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
    meta.append(`${notOfferedSentence()}. ${lookFor(setting)} `, pinterestLink(t("link_look_on_pinterest"), settingsPage(rules, setting)));
    return meta;
  }
  // Optout cannot tell what the switch is called in this language: the person can look for it by hand.
  if (standing === Standing.CANNOT_READ) {
    meta.append(`${unknownLanguageSentence(known.language)}. `, pinterestLink(t("link_look_on_pinterest"), settingsPage(rules, setting)));
    return meta;
  }
  if (standing === Standing.NEEDS_YOU) {
    meta.append(`${describeSettingStatus(known.status)}. `, pinterestLink(handInstruction(setting, known.wording), settingsPage(rules, setting)));
    return meta;
  }
  if (live?.step === ProgressStep.SETTING_DONE && live.status) meta.textContent = describeSettingStatus(live.status, live);
  else if (known?.checkedAt && row.notRead) meta.textContent = t("meta_last_checked", timeAgo(known.checkedAt));
  else if (known?.checkedAt) meta.textContent = t("meta_checked", timeAgo(known.checkedAt));
  return meta;
}

function renderSettings(snapshot, view) {
  const rows = view.rows.map((row) => {
    const live = snapshot.run?.settings?.[row.setting.id] ?? null;
    const item = element("li", "setting");
    item.dataset.settingId = row.setting.id;
    item.dataset.standing = row.standing;
    item.append(
      element("span", "setting-title", settingTitle(row.setting)),
      pillFor(row, live, view.running),
      element("p", "setting-explanation", settingExplanation(row.setting)),
      metaFor(row, live, snapshot.rules?.document),
      ...teachingParts(row, snapshot, view.running),
    );
    return item;
  });
  replaceChangedRows($("settings"), rows);
}

// Rows drawn the same as before stay in place (and keep the focus); only those that differ are replaced.
function replaceChangedRows(list, rows) {
  const shown = [...list.children];
  if (shown.length !== rows.length) {
    list.replaceChildren(...rows);
    return;
  }
  rows.forEach((row, index) => {
    if (!shown[index].isEqualNode(row)) shown[index].replaceWith(row);
  });
}

// ---- a setting Optout's rules pause: said neutrally, with the maintainers' own reason ----

function pausedPill() {
  return element("span", "pill", t("pill_paused"));
}

function pausedMeta(meta, known) {
  meta.textContent = known?.message || describeSettingStatus(SettingStatus.PAUSED);
  return meta;
}

// ---- teaching Optout a setting it did not find, and the field report the person may choose to send ----

const teachState = {}; // per setting id: {taught: label, sentence, reportOpen, sent}

function stateWord(state) {
  if (state === true) return t("state_now_on");
  if (state === false) return t("state_now_off");
  return t("state_unknown");
}

const KIND_WORDS = {
  switch: () => t("kind_switch"),
  checkbox: () => t("kind_checkbox"),
  radio: () => t("kind_radio"),
};

function kindWord(kind) {
  return Object.hasOwn(KIND_WORDS, kind) ? KIND_WORDS[kind]() : t("kind_unnamed");
}

function teachingParts(row, snapshot, running) {
  const { setting, known } = row;
  const parts = [];
  if (isTaught({ wording_source: known?.wordingSource }) && known?.wording) {
    parts.push(element("p", "taught-note", t("taught_found_by", quoted(known.wording))));
  }
  const state = teachState[setting.id] ?? {};
  if (known?.status !== SettingStatus.NOT_FOUND || running) return parts;
  const candidates = known.candidates ?? [];
  if (state.taught) {
    parts.push(element("p", "taught-note", t("taught_next_run", quoted(state.taught))));
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
  const question = element("p", "teach-question", t("teach_question"));
  question.id = `teach-question-${setting.id}`;
  const list = element("ul", "teach-candidates");
  list.setAttribute("aria-labelledby", question.id);
  for (const candidate of candidates) {
    const button = element("button", "teach-candidate", candidate.label);
    button.type = "button";
    button.dataset.label = candidate.label;
    // What a screen reader says is what the button shows (axe: label-content-name-mismatch).
    button.append(element("span", "teach-state", ` ${t("teach_candidate_state", kindWord(candidate.kind), stateWord(candidate.state))}`));
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
  teachState[settingId] = answer?.ok ? { taught: label } : { sentence: answer?.error?.message ?? t("teach_failed") };
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
  const toggle = element("button", "report-toggle", t("report_toggle"));
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
  box.append(element("p", "report-intro", t("report_intro")));
  const shown = element("pre", "report-document", text);
  shown.tabIndex = 0;
  shown.setAttribute("aria-label", t("report_document_label"));
  box.append(shown);
  const actions = element("div", "report-actions");
  if (address) {
    const send = element("button", "report-send", t("button_send"));
    send.type = "button";
    send.addEventListener("click", () => sendReport(setting.id, document_));
    actions.append(send);
  } else {
    box.append(element("p", "report-nowhere", t("report_nowhere")));
  }
  const copy = element("button", "report-copy", t("button_copy"));
  copy.type = "button";
  copy.addEventListener("click", async () => {
    await navigator.clipboard.writeText(text);
    copy.textContent = t("button_copied");
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
  const sent = result?.sent ? t("report_sent") : (result?.sentence ?? t("report_not_sent"));
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
    const link = element("a", "action-link", `${t("welcome_popup_link")} \u2192`);
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
    title.textContent = snapshot.run.mode === "apply" ? t("headline_opting_out") : t("headline_checking");
    text.textContent = plural("progress_done", total, done);
    const bar = element("div", "progress-bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", t("progress_label"));
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
  button.textContent = view.running ? t("button_working") : t("button_opt_me_out");
  stopButton.hidden = !view.running;
  if (!view.running) {
    stopButton.removeAttribute("aria-disabled");
    stopButton.textContent = t("button_stop");
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

// ---- what is drawn from: storage, read when the worker has answered ----
// Between answers the copy is kept current from storage's change events (a run's progress), so a redraw
// during a run reads nothing.

const stored = new StoredItems();

function draw() {
  timed("popup:render", () => render(stored.snapshot()));
}

async function refreshView() {
  await timed("popup:read-storage", () => stored.load());
  draw();
}

// Progress arrives in bursts; drawing once per burst leaves the processor to the run itself.
let redrawQueued = false;
function queueRedraw(changes, area) {
  stored.apply(changes, area);
  if (redrawQueued) return;
  redrawQueued = true;
  setTimeout(() => {
    redrawQueued = false;
    if (stored.snapshot()) draw();
  }, 60);
}

async function optOut() {
  outcome = null;
  transientProblem = null;
  // Stop takes the focus while the main button is disabled, so focus never falls back to the page.
  $("stop").hidden = false;
  $("stop").focus();
  $("opt-out").disabled = true;
  mark("popup:opt-out-asked");
  const answer = await chrome.runtime.sendMessage({ kind: WorkerRequest.OPT_OUT });
  mark("popup:opt-out-answered");
  outcome = answer?.ok ? answer.value : { problem: answer?.error };
  if (outcome?.problem?.kind === "busy") transientProblem = outcome.problem;
  await refreshView();
  announceOutcome();
  $("opt-out").focus();
  document.querySelector("main").dataset.finished = outcome?.report?.status ?? outcome?.problem?.kind ?? "failed";
  mark("popup:finished");
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
  $("stop").textContent = t("button_stopping");
  await chrome.runtime.sendMessage({ kind: WorkerRequest.CANCEL });
}

// Logged in on several Pinterest sites (www.pinterest.com and www.pinterest.de): one line names the one a
// run goes to, as shared/sessions.js chooses it for the run.
async function showSessionSite() {
  const { chosen, origins } = await sessionChoice(chrome.cookies);
  const note = $("domain-note");
  note.hidden = !(chosen && origins.length > 1);
  note.textContent = note.hidden ? "" : t("domain_several", new URL(chosen.origin).host);
}

async function start() {
  $("opt-out").addEventListener("click", optOut);
  $("stop").addEventListener("click", stop);
  chrome.storage.onChanged.addListener(queueRedraw);
  mark("popup:script");
  // What is already known, drawn while the helper is asked (popup/refresh-request.js): every state shown
  // carries the time it was read ("Checked 5 minutes ago"), and `data-ready` waits for the helper.
  const sessionSite = showSessionSite();
  await refreshView();
  mark("popup:first-paint");
  await (globalThis.statusAsked ?? chrome.runtime.sendMessage({ kind: WorkerRequest.REFRESH }));
  mark("popup:refresh-answered");
  await refreshView();
  await sessionSite;
  document.querySelector("main").dataset.ready = "true";
  mark("popup:ready");
}

start();
