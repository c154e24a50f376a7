// The extension in the person's language: plural forms, the rules' own titles per language, dates and
// relative times, and the sentence for a setting Optout cannot read in the page's language (contract 4).

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";

import { assess, Standing } from "../../../extension/shared/assess.js";
import { languageName, pickLanguage, plural, quoted, uiLanguage } from "../../../extension/shared/i18n.js";
import { describeProblem } from "../../../extension/shared/problems.js";
import { categoryTitle, pinterestWording, settingExplanation, settingTitle } from "../../../extension/shared/rules.js";
import { dateTime, timeAgo } from "../../../extension/shared/time.js";
import { describeSettingStatus, driftMessage, handInstruction, summarize } from "../../../extension/shared/words.js";
import { ads, canvas, rules, snapshot } from "./fixtures.mjs";
import { fakeI18n, useLocale } from "./locales.mjs";

after(() => useLocale("en"));

// The canvas setting as the rules give it once they know its German words (contract 1).
const germanCanvas = {
  ...canvas,
  languages: {
    de: {
      title: "KI-Training mit deinen Pins",
      explanation: "Pinterest nutzt deine Pins nicht mehr, um seine Bild-KI zu trainieren.",
      labels: ["Deine Daten zum Trainieren von Pinterest Canvas verwenden"],
    },
  },
};

describe("the language Optout speaks", () => {
  it("is the language of the messages, so a date never lands in a sentence of another language", () => {
    // Headless Chromium with --lang=de picks German messages but reports en-US as its interface language.
    globalThis.chrome = { i18n: { ...fakeI18n("de"), getUILanguage: () => "en-US" } };
    assert.equal(uiLanguage(), "de");
    assert.equal(timeAgo("2026-11-23T15:35:00Z", Date.parse("2026-11-23T15:40:00Z")), "vor 5 Minuten");
  });
  it("takes the browser's more precise tag when the two agree", () => {
    globalThis.chrome = { i18n: { ...fakeI18n("en"), getUILanguage: () => "en-GB" } };
    assert.equal(uiLanguage(), "en-GB");
    globalThis.chrome = { i18n: { ...fakeI18n("pt_BR"), getUILanguage: () => "pt-BR" } };
    assert.equal(uiLanguage(), "pt-BR");
  });
});

describe("plural forms", () => {
  it("pick _one or _other by the interface language's rules", () => {
    useLocale("en");
    assert.equal(plural("headline_needs_you", 1), "1 setting needs you");
    assert.equal(plural("headline_needs_you", 0), "0 settings need you");
    // French counts 0 as singular, English does not.
    useLocale("fr");
    assert.equal(plural("headline_needs_you", 0), "0 paramètre demande votre aide");
    assert.equal(plural("headline_needs_you", 2), "2 paramètres demandent votre aide");
  });
  it("write numbers the interface language's way", () => {
    useLocale("de");
    assert.equal(plural("history_total", 1200), "1.200 Durchläufe insgesamt.");
  });
});

describe("the rules' words per language", () => {
  it("choose the exact tag, then the base language, else none", () => {
    const languages = { de: { title: "de" }, "pt-BR": { title: "pt-BR" }, pt: { title: "pt" } };
    assert.equal(pickLanguage(languages, "de-AT").title, "de");
    assert.equal(pickLanguage(languages, "pt-BR").title, "pt-BR");
    assert.equal(pickLanguage(languages, "pt_PT").title, "pt");
    assert.equal(pickLanguage(languages, "fr"), null);
  });
  it("show the German title and explanation in a German browser, and English elsewhere", () => {
    useLocale("de");
    assert.equal(settingTitle(germanCanvas), "KI-Training mit deinen Pins");
    assert.match(settingExplanation(germanCanvas), /^Pinterest nutzt deine Pins/);
    assert.equal(pinterestWording(germanCanvas), "Deine Daten zum Trainieren von Pinterest Canvas verwenden");
    assert.equal(settingTitle(ads), ads.title); // no German words for it: English
    useLocale("es");
    assert.equal(settingTitle(germanCanvas), canvas.title);
    assert.equal(settingExplanation(germanCanvas), canvas.explanation);
  });
  it("fall back to English where a language gives a label but no title", () => {
    useLocale("de");
    const labelsOnly = { ...canvas, languages: { de: { labels: ["Nur ein Label"] } } };
    assert.equal(settingTitle(labelsOnly), canvas.title);
    assert.equal(handInstruction(labelsOnly), "Schalte \u201eNur ein Label\u201c auf Pinterest aus");
  });
  it("name the groups in Options in the interface language", () => {
    useLocale("pt_BR");
    assert.equal(categoryTitle("ai-training"), "Treinamento de IA");
    assert.equal(categoryTitle("something-new"), "something-new");
  });
});

describe("dates and times", () => {
  const now = Date.parse("2026-11-23T15:40:00Z");
  it("are relative in the interface language", () => {
    useLocale("de");
    assert.equal(timeAgo("2026-11-23T15:35:00Z", now), "vor 5 Minuten");
    assert.equal(timeAgo("2026-11-23T15:39:30Z", now), "gerade eben");
    useLocale("es");
    assert.equal(timeAgo("2026-11-23T13:40:00Z", now), "hace 2 horas");
    useLocale("en");
    assert.equal(timeAgo("2026-11-23T15:39:30Z", now), "just now");
  });
  it("are written as the interface language writes them", () => {
    useLocale("de");
    const when = "2026-11-23T15:40:00Z";
    assert.equal(dateTime(when), new Intl.DateTimeFormat("de", { dateStyle: "medium", timeStyle: "short" }).format(new Date(when)));
    assert.match(dateTime(when), /^2[34]\.11\.2026, \d\d:\d\d$/);
  });
});

describe("a setting Optout cannot read in the page's language", () => {
  const unknown = { status: "not_found", reason: "unknown_language", language: "de" };
  it("says so with the language's name in the person's language", () => {
    useLocale("en");
    assert.equal(
      describeSettingStatus("not_found", unknown),
      "Optout doesn\u2019t know yet how Pinterest words this setting in German",
    );
    useLocale("de");
    assert.equal(describeSettingStatus("not_found", unknown), "Optout weiß noch nicht, wie Pinterest diese Einstellung auf Deutsch nennt");
    useLocale("fr");
    assert.match(describeSettingStatus("not_found", { ...unknown, language: "sv" }), /en suédois$/);
    assert.equal(languageName(""), "");
  });
  it("is never called not offered, nor counted as in place", () => {
    useLocale("en");
    const view = assess(
      snapshot({ settingStates: { [canvas.id]: { state: null, ...unknown }, [ads.id]: { state: false, status: "already_ok" } } }),
    );
    assert.equal(view.rows[0].standing, Standing.CANNOT_READ);
    assert.equal(view.headline.title, "Optout can\u2019t read 1 setting yet");
    assert.notEqual(view.badge.text, "\u2713");
    const summary = summarize({ status: "partial", results: [{ id: "a", ...unknown }, { id: "b", status: "already_ok" }] });
    assert.equal(summary.text, "1 already set, 1 Optout can\u2019t read yet. See the settings marked below.");
    assert.doesNotMatch(summary.text, /not offered/);
  });
  it("a not_found without that reason stays “not offered”", () => {
    useLocale("en");
    assert.equal(describeSettingStatus("not_found", { reason: "" }), "Pinterest doesn\u2019t offer this on your account");
  });
});

describe("the words the lead asked for", () => {
  it("say “not how you chose them”", () => {
    useLocale("en");
    const states = { [canvas.id]: { state: true, status: "would_change" }, [ads.id]: { state: true, status: "would_change" } };
    const view = assess(snapshot({ settingStates: states }));
    assert.equal(view.headline.title, "2 settings are not how you chose them");
    assert.equal(view.badge.title, "Optout: 2 settings are not how you chose them");
  });
  it("show no earlier “ok” while Pinterest blocks the run", () => {
    useLocale("en");
    const states = { [canvas.id]: { state: false, status: "changed", confirmed: true }, [ads.id]: { state: true, status: "already_ok" } };
    const before = assess(snapshot({ settingStates: states }));
    assert.deepEqual(before.rows.map((row) => row.standing), [Standing.AS_CHOSEN, Standing.NOT_AS_CHOSEN]);
    const blocked = assess(snapshot({ settingStates: states, problem: { kind: "blocked" } }));
    assert.deepEqual(blocked.rows.map((row) => row.standing), [Standing.UNKNOWN, Standing.UNKNOWN]);
    assert.ok(blocked.rows.every((row) => row.notRead) && !before.rows.some((row) => row.notRead));
    assert.deepEqual(blocked.drifted, []);
    assert.equal(blocked.badge.text, "");
  });
});

describe("every sentence in German", () => {
  it("has German words around German names, quoted the German way", () => {
    useLocale("de");
    assert.equal(quoted("Suche"), "\u201eSuche\u201c");
    assert.equal(driftMessage([germanCanvas]), "Pinterest hat \u201eDeine Daten zum Trainieren von Pinterest Canvas verwenden\u201c wieder angeschaltet.");
    const summary = summarize({ status: "partial", results: [{ id: "a", status: "changed" }, { id: "b", status: "save_failed" }] });
    assert.equal(summary.title, "Teilweise erledigt: 1 geändert");
    assert.equal(summary.text, "1 geändert, 1 braucht dich. Jede Änderung wurde bestätigt, indem Optout sie danach bei Pinterest noch einmal gelesen hat. Sieh dir die markierten Einstellungen unten an.");
    assert.equal(describeProblem({ kind: "blocked" }).title, "Pinterest lässt gerade keine Änderungen zu");
    const view = assess(snapshot({ rules: { document: { ...rules, settings: [germanCanvas, ads] } } }));
    assert.equal(view.headline.title, "Noch nicht geprüft");
    assert.equal(view.badge.title, "Optout");
  });
});
