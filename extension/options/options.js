// The options page: which settings to enforce, how often to re-check, notifications, privacy
// signals, the rules service, and the history of runs with an export.

import { isChosen } from "../shared/choices.js";
import { DEFAULT_SERVICE_URL } from "../shared/config.js";
import { describeProblem } from "../shared/problems.js";
import { WorkerRequest } from "../shared/requests.js";
import { CATEGORY_TITLES, desiredState } from "../shared/rules.js";
import { readSnapshot } from "../shared/store.js";
import { dateTime } from "../shared/time.js";

const $ = (id) => document.getElementById(id);

const RUN_WORDS = {
  done: "Done",
  partial: "Partly done",
  login_required: "Logged out",
  blocked: "Blocked by Pinterest",
  timeout: "Timed out",
  browser_missing: "No browser found",
  cancelled: "Cancelled",
  interrupted: "Interrupted",
  rules_refused: "Rules refused",
  failed: "Failed",
  running: "Running",
};

const FINISHED = ["done", "partial"];

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function ask(kind, fields = {}) {
  const answer = await chrome.runtime.sendMessage({ kind, ...fields });
  if (!answer?.ok) throw Object.assign(new Error(answer?.error?.message ?? "failed"), { kind: answer?.error?.kind });
  return answer.value;
}

let savedTimer = null;
function saved(text = "Saved") {
  $("saved").textContent = text;
  clearTimeout(savedTimer);
  savedTimer = setTimeout(() => {
    $("saved").textContent = "";
  }, 1800);
}

async function savePreferences(changes) {
  await ask(WorkerRequest.SET_PREFERENCES, { changes });
  saved();
}

function renderChoices(snapshot) {
  const groups = new Map();
  for (const setting of snapshot.rules?.document?.settings ?? []) {
    if (!groups.has(setting.category)) groups.set(setting.category, []);
    groups.get(setting.category).push(setting);
  }
  const sections = [...groups].map(([category, settings]) => {
    const group = element("div", "group");
    group.append(element("h3", "", CATEGORY_TITLES[category] ?? category));
    for (const setting of settings) {
      const row = element("div", "choice");
      const box = element("input");
      box.type = "checkbox";
      box.id = `choice-${setting.id}`;
      box.dataset.settingId = setting.id;
      box.checked = isChosen(setting, snapshot.preferences.choices, snapshot.knownSettings);
      box.addEventListener("change", () => chooseSetting(setting.id, box.checked));
      const label = element("label");
      label.htmlFor = box.id;
      const wanted = desiredState(setting) ? "keep on" : "keep off";
      label.append(
        element("span", "title", setting.title),
        element("span", "pill wanted", wanted),
        element("span", "explanation", setting.explanation),
      );
      row.append(box, label);
      group.append(row);
    }
    return group;
  });
  if (sections.length === 0) sections.push(element("p", "hint", "The list of settings appears once the Optout helper is installed."));
  $("setting-groups").replaceChildren(...sections);
}

async function chooseSetting(settingId, chosen) {
  const { preferences } = await readSnapshot();
  await savePreferences({ choices: { ...preferences.choices, [settingId]: chosen } });
}

function renderPreferences(preferences) {
  $("recheck").value = preferences.recheck;
  $("notifications").checked = preferences.notifications;
  $("privacy-signals").checked = preferences.privacySignals;
  $("service-url").value = preferences.serviceUrl || DEFAULT_SERVICE_URL;
}

function renderHistory(answer) {
  const rows = answer.runs.map((run) => {
    const row = element("tr");
    const good = run.results.filter((result) => ["already_ok", "changed"].includes(result.status)).length;
    row.append(
      element("td", "", dateTime(run.started_at)),
      element("td", "", run.mode === "apply" ? "Opt-out" : "Check"),
      element("td", "", RUN_WORDS[run.status] ?? run.status),
      element("td", "", FINISHED.includes(run.status) ? `${good} of ${run.results.length} as chosen` : "\u2014"),
    );
    return row;
  });
  $("history-rows").replaceChildren(...rows);
  $("history-status").textContent = answer.total === 0 ? "No runs yet." : `${answer.total} run${answer.total === 1 ? "" : "s"} in all.`;
}

async function loadHistory() {
  try {
    renderHistory(await ask(WorkerRequest.HISTORY, { page: 1, pageSize: 20 }));
  } catch (error) {
    $("history-rows").replaceChildren();
    $("history-status").textContent = describeProblem(error).title;
  }
}

async function exportHistory() {
  const runs = await ask(WorkerRequest.EXPORT_HISTORY);
  const blob = new Blob([JSON.stringify({ exported_at: new Date().toISOString(), runs }, null, 2)], { type: "application/json" });
  const link = element("a");
  link.href = URL.createObjectURL(blob);
  link.download = `optout-history-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}

// A service other than the default needs the person's permission to be reached.
async function saveServiceUrl(event) {
  event.preventDefault();
  const input = $("service-url");
  let url;
  try {
    url = new URL(input.value.trim());
  } catch {
    $("service-status").textContent = "That does not look like a web address.";
    return;
  }
  const origin = `${url.origin}/*`;
  const granted = await chrome.permissions.request({ origins: [origin] }).catch(() => false);
  if (!granted && url.origin !== new URL(DEFAULT_SERVICE_URL).origin) {
    $("service-status").textContent = "Optout needs your permission to reach that address.";
    return;
  }
  await savePreferences({ serviceUrl: url.origin });
  $("service-status").textContent = `Optout will get its settings list from ${url.origin}.`;
}

async function start() {
  const snapshot = await readSnapshot();
  renderPreferences(snapshot.preferences);
  renderChoices(snapshot);
  $("recheck").addEventListener("change", (event) => savePreferences({ recheck: event.target.value, recheckMinutes: null }));
  $("notifications").addEventListener("change", (event) => savePreferences({ notifications: event.target.checked }));
  $("privacy-signals").addEventListener("change", (event) => savePreferences({ privacySignals: event.target.checked }));
  $("service-form").addEventListener("submit", saveServiceUrl);
  $("export").addEventListener("click", exportHistory);
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area === "local" && (changes.rules || changes.knownSettings)) renderChoices(await readSnapshot());
  });
  await loadHistory();
  document.body.dataset.ready = "true";
}

start();
