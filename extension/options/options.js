// The options page: which settings to enforce, how often to re-check, notifications, privacy
// signals, the history of runs with an export, and under "Advanced" where the list of settings comes from.

import { isChosen } from "../shared/choices.js";
import { describeProblem } from "../shared/problems.js";
import { WorkerRequest } from "../shared/requests.js";
import { localizePage, plural, quoted, t } from "../shared/i18n.js";
import { categoryTitle, desiredState, narrowsWhoCanFindYou, settingExplanation, settingTitle } from "../shared/rules.js";
import { describeRulesSource, judgeServiceAddress } from "../shared/rules-source.js";
import { readSnapshot } from "../shared/store.js";
import { dateTime } from "../shared/time.js";
import { historyRow } from "../shared/words.js";

const $ = (id) => document.getElementById(id);

localizePage();

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
function saved(text = t("saved")) {
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
    group.append(element("h3", "", categoryTitle(category)));
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
      const wanted = desiredState(setting) ? t("pill_keep_on") : t("pill_keep_off");
      label.append(
        element("span", "title", settingTitle(setting)),
        element("span", "pill wanted", wanted),
        element("span", "explanation", settingExplanation(setting)),
      );
      if (narrowsWhoCanFindYou(setting)) label.append(element("span", "asks-first", t("asks_first")));
      row.append(box, label);
      group.append(row);
    }
    return group;
  });
  if (sections.length === 0) sections.push(element("p", "hint", t("no_settings_list")));
  $("setting-groups").replaceChildren(...sections);
}

// The wordings the person taught, each removable; a removed one is no longer sent with runs.
function renderTaught(snapshot) {
  const titles = new Map((snapshot.rules?.document?.settings ?? []).map((setting) => [setting.id, settingTitle(setting)]));
  const items = [];
  for (const [settingId, wordings] of Object.entries(snapshot.taught ?? {})) {
    for (const wording of wordings) {
      const item = element("li", "taught-wording");
      const title = titles.get(settingId) ?? settingId;
      item.append(element("span", "title", title), element("span", "wording", ` ${t("taught_wording", quoted(wording))} `));
      const remove = element("button", "remove-taught", t("button_remove"));
      remove.type = "button";
      remove.setAttribute("aria-label", t("remove_taught_label", quoted(wording), title));
      remove.addEventListener("click", async () => {
        await ask(WorkerRequest.FORGET_WORDING, { settingId, wording });
        saved(t("removed"));
      });
      item.append(remove);
      items.push(item);
    }
  }
  $("taught-list").replaceChildren(...items);
  $("taught-empty").hidden = items.length > 0;
}

async function chooseSetting(settingId, chosen) {
  const { preferences } = await readSnapshot();
  await savePreferences({ choices: { ...preferences.choices, [settingId]: chosen } });
}

function renderPreferences(preferences) {
  $("recheck").value = preferences.recheck;
  $("notifications").checked = preferences.notifications;
  $("privacy-signals").checked = preferences.privacySignals;
  $("service-url").value = preferences.serviceUrl ?? "";
}

function renderRulesSource(snapshot) {
  const described = describeRulesSource(snapshot.preferences, snapshot.rules);
  const status = $("service-status");
  status.textContent = described.text;
  status.dataset.state = described.refused ? "refused" : described.state;
}

function renderHistory(answer) {
  const rows = answer.runs.map((run) => {
    const words = historyRow(run);
    const row = element("tr");
    const what = element("td", "", words.what);
    // A run on the practice stand-in for Pinterest never touched the person's real account.
    if (words.practice) what.append(element("span", "practice-tag", t("practice_tag")));
    row.dataset.practice = String(words.practice);
    row.append(element("td", "", dateTime(run.started_at)), what, element("td", "", words.result), element("td", "", words.settings));
    return row;
  });
  $("history-rows").replaceChildren(...rows);
  $("history-status").textContent = answer.total === 0 ? t("history_none") : plural("history_total", answer.total);
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
  // Every exported run says whether it was a practice run; one from an older helper counts as real.
  const runs = (await ask(WorkerRequest.EXPORT_HISTORY)).map((run) => ({ ...run, practice: run.practice === true }));
  const blob = new Blob([JSON.stringify({ exported_at: new Date().toISOString(), runs }, null, 2)], { type: "application/json" });
  const link = element("a");
  link.href = URL.createObjectURL(blob);
  link.download = `optout-history-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}

// Only https addresses, or http on this computer for development (shared/rules-source.js). A rules
// service answers the extension's origin with CORS headers, so no extra permission is asked for.
async function saveServiceUrl(event) {
  event.preventDefault();
  const text = $("service-url").value.trim();
  const status = $("service-status");
  if (text) {
    const judged = judgeServiceAddress(text);
    if (!judged.ok) {
      status.textContent = judged.sentence;
      status.dataset.state = "refused";
      return;
    }
    $("service-url").value = judged.origin;
    await savePreferences({ serviceUrl: judged.origin });
  } else {
    await savePreferences({ serviceUrl: null });
  }
  const snapshot = await readSnapshot();
  renderRulesSource(snapshot);
  // Fetch from the new address now, so the line below says whether its list passed the check.
  await ask(WorkerRequest.REFRESH).catch(() => {});
  renderRulesSource(await readSnapshot());
}

async function start() {
  const snapshot = await readSnapshot();
  renderPreferences(snapshot.preferences);
  renderRulesSource(snapshot);
  renderChoices(snapshot);
  renderTaught(snapshot);
  $("recheck").addEventListener("change", (event) => savePreferences({ recheck: event.target.value, recheckMinutes: null }));
  $("notifications").addEventListener("change", (event) => savePreferences({ notifications: event.target.checked }));
  $("privacy-signals").addEventListener("change", (event) => savePreferences({ privacySignals: event.target.checked }));
  $("service-form").addEventListener("submit", saveServiceUrl);
  $("export").addEventListener("click", exportHistory);
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== "local" || !(changes.rules || changes.knownSettings || changes.taught)) return;
    const snapshot = await readSnapshot();
    renderChoices(snapshot);
    renderTaught(snapshot);
    renderRulesSource(snapshot);
  });
  await loadHistory();
  document.body.dataset.ready = "true";
}

start();
