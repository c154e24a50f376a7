// A check or an opt-out, from the rules to the stored outcome: rules, cookies, one request to
// the host, live progress into session storage, the report into local storage.

import { CONFIRMING_STATUSES } from "../shared/assess.js";
import { chosenSettings } from "../shared/choices.js";
import { PLATFORM, RULES_FRESH_MS } from "../shared/config.js";
import { serviceAddress } from "../shared/rules-source.js";
import { readSnapshot, StoreKey } from "../shared/store.js";
import { runLanguages } from "../shared/run-languages.js";
import { wordingsForRun } from "../shared/teach.js";
import { mark, timed } from "../shared/timing.js";
import { MessageType, RunStatus, SettingStatus } from "../shared/vocabulary.js";
import { pinterestSession } from "./cookies.js";
import { askHost, cancelOnHost, HostError, newRequestId } from "./host.js";
import { loadRules } from "./rules.js";
import { serialized } from "./serial.js";

const PROBLEM_STATUSES = [
  RunStatus.LOGIN_REQUIRED,
  RunStatus.BLOCKED,
  RunStatus.TIMEOUT,
  RunStatus.BROWSER_MISSING,
  RunStatus.RULES_REFUSED,
  RunStatus.FAILED,
  RunStatus.INTERRUPTED,
];

let runInProgress = null;

export function currentRunId() {
  return runInProgress;
}

export function problemFromError(error) {
  if (error instanceof HostError && error.kind !== "protocol") return { kind: error.kind, message: error.message };
  if (error instanceof HostError) return { kind: error.name ?? "internal", message: error.message };
  return { kind: "failed", message: String(error?.message ?? error) };
}

export function recordProblem(problem) {
  return serialized(() => chrome.storage.local.set({ [StoreKey.PROBLEM]: problem ? { ...problem, at: Date.now() } : null }));
}

export function clearLoginProblem() {
  return serialized(async () => {
    const stored = await chrome.storage.local.get(StoreKey.PROBLEM);
    if (stored[StoreKey.PROBLEM]?.kind === RunStatus.LOGIN_REQUIRED) await chrome.storage.local.set({ [StoreKey.PROBLEM]: null });
  });
}

// The first rules ever seen are all "known"; settings that later rules add wait for a decision.
export function rememberRules(rules, preferences) {
  return serialized(async () => {
    const stored = await chrome.storage.local.get(StoreKey.KNOWN_SETTINGS);
    const fromService = serviceAddress(preferences)?.origin ?? null;
    const update = { [StoreKey.RULES]: { ...rules, fromService, checkedByHelper: true, fetchedAt: Date.now() } };
    if (!stored[StoreKey.KNOWN_SETTINGS]) {
      update[StoreKey.KNOWN_SETTINGS] = rules.document.settings.map((setting) => setting.id);
    }
    await chrome.storage.local.set(update);
  });
}

// Rules fetched a moment ago (the popup refreshes them when it opens) are reused: fetching them
// again would start a second helper process before every run. A new service address makes them stale.
export function rulesAreFresh(rules, preferences) {
  const fromService = serviceAddress(preferences)?.origin ?? null;
  return (
    Boolean(rules?.document) &&
    (rules.fromService ?? null) === fromService &&
    Date.now() - (rules.fetchedAt ?? 0) < RULES_FRESH_MS
  );
}

function stateOf(result) {
  if (typeof result.after === "boolean") return result.after;
  if (typeof result.before === "boolean") return result.before;
  return null;
}

function recordReport(mode, report) {
  return serialized(async () => {
    const stored = await chrome.storage.local.get(StoreKey.SETTING_STATES);
    const states = { ...(stored[StoreKey.SETTING_STATES] ?? {}) };
    const checkedAt = new Date().toISOString();
    for (const result of report.results ?? []) {
      const state = stateOf(result);
      states[result.id] = {
        state: state ?? states[result.id]?.state ?? null,
        confirmed: Boolean(states[result.id]?.confirmed) || CONFIRMING_STATUSES.includes(result.status),
        status: result.status,
        checkedAt: state === null ? (states[result.id]?.checkedAt ?? null) : checkedAt,
        message: result.message ?? "",
        page: result.page ?? null,
        wording: result.wording ?? null,
        wordingSource: result.wording_source ?? null,
        // Why it ended so ("unknown_language") and the page's language, for the sentence the popup says.
        reason: result.reason ?? "",
        language: result.language ?? "",
        candidates: result.status === SettingStatus.NOT_FOUND ? (result.candidates ?? []) : [],
      };
    }
    const problem = PROBLEM_STATUSES.includes(report.status)
      ? { kind: report.status, message: report.message ?? "", at: Date.now() }
      : null;
    await chrome.storage.local.set({
      [StoreKey.SETTING_STATES]: states,
      [StoreKey.PROBLEM]: problem,
      [StoreKey.LAST_RUN]: {
        mode,
        status: report.status,
        // named as in the report, so that shared/field-report.js reads this as it reads a report
        platform: report.platform ?? PLATFORM,
        engine_version: report.engine_version ?? "",
        rules_version: report.rules_version ?? "",
        practice: report.practice === true,
        message: report.message ?? "",
        runId: report.run_id ?? null,
        finishedAt: checkedAt,
        language: report.language ?? "",
        results: (report.results ?? []).map(
          ({ id, status, reason, before, after, verified, page, message, language, wording_source, candidates }) => ({
            id, status, reason, before, after, verified, page, message, language, wording_source, candidates,
          }),
        ),
      },
    });
  });
}

// Progress comes in bursts (one setting's steps follow each other within milliseconds), and every write
// to session storage wakes each open popup to redraw. So while one write is on its way, later events only
// update the run, and the one write queued after it carries them all: the stored run is never behind the
// last event for longer than one write.
export function progressWriter(liveRun) {
  let writes = Promise.resolve();
  let queued = false;
  const store = () => {
    queued = false;
    const copy = structuredClone(liveRun);
    return timed("run:progress-stored", () => chrome.storage.session.set({ [StoreKey.RUN]: copy }));
  };
  const write = (event) => {
    if (!event) return;
    mark("run:progress");
    liveRun.step = event.step;
    liveRun.message = event.message ?? "";
    if (typeof event.done === "number") liveRun.done = event.done;
    if (typeof event.total === "number") liveRun.total = event.total;
    if (event.setting_id) {
      liveRun.settings[event.setting_id] = { step: event.step, status: event.status ?? null, message: event.message ?? "" };
    }
    if (queued) return;
    queued = true;
    writes = writes.then(store, store);
  };
  write.settled = () => writes;
  return write;
}

// mode is MessageType.CHECK or MessageType.APPLY. Resolves to {report} or {problem}; never throws.
export async function runOnPinterest(mode) {
  if (runInProgress) return { problem: { kind: "busy", message: "Optout is already working on it." } };
  const requestId = newRequestId();
  runInProgress = requestId;
  const liveRun = { requestId, mode, startedAt: Date.now(), step: "launching", message: "", done: 0, total: 0, settings: {} };
  await chrome.storage.session.set({ [StoreKey.RUN]: { ...liveRun } });
  const writeProgress = progressWriter(liveRun);
  try {
    const { preferences, rules: stored } = await readSnapshot();
    const rules = rulesAreFresh(stored, preferences) ? stored : await loadRules(preferences);
    if (rules !== stored) await rememberRules(rules, preferences);
    const { knownSettings, taught } = await readSnapshot();
    const chosen = chosenSettings(rules.document, preferences.choices, knownSettings);
    if (chosen.length === 0) return { problem: { kind: "nothing_chosen", message: "Choose at least one setting in Options." } };
    writeProgress({ step: "launching", done: 0, total: chosen.length, message: "" });
    const session = await pinterestSession();
    const request = {
      platform: PLATFORM,
      settings: chosen.map((setting) => setting.id),
      cookies: session.cookies,
    };
    if (session.origin) request.origin = session.origin;
    const wordings = wordingsForRun(taught, rules.document);
    if (wordings) request.wordings = wordings;
    const languages = runLanguages(self.navigator?.languages);
    if (languages.length) request.languages = languages;
    mark("run:asking-host");
    const report = await askHost(mode, request, { id: requestId, onProgress: writeProgress });
    writeProgress({ step: "finished", done: liveRun.total, total: liveRun.total, message: "" });
    await recordReport(mode, report);
    mark("run:recorded");
    return { report };
  } catch (error) {
    const problem = problemFromError(error);
    if (problem.kind !== "busy") await recordProblem(problem);
    return { problem };
  } finally {
    runInProgress = null;
    await writeProgress.settled();
    await chrome.storage.session.remove(StoreKey.RUN);
    mark("run:ended");
  }
}

export function cancelRun() {
  return runInProgress ? cancelOnHost(runInProgress) : false;
}

export const checkNow = () => runOnPinterest(MessageType.CHECK);
export const optOutNow = () => runOnPinterest(MessageType.APPLY);
