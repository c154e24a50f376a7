// The messages in extension/_locales against the code that uses them: every locale has every key the code
// asks for and no other, the same placeholders everywhere, and no visible English left in the code itself.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, it } from "node:test";

import { LOCALE_NAMES, messagesOf } from "./locales.mjs";

const EXTENSION = new URL("../../../extension/", import.meta.url);
const LOCALES = ["de", "en", "es", "fr", "pt_BR"];
const KEY = "[a-z][a-z0-9_]*";

function filesUnder(folder, ending) {
  const found = [];
  for (const name of readdirSync(new URL(folder, EXTENSION))) {
    if (name === "node_modules" || name === "_locales") continue;
    const path = `${folder}${name}`;
    if (statSync(new URL(path, EXTENSION)).isDirectory()) found.push(...filesUnder(`${path}/`, ending));
    else if (name.endsWith(ending)) found.push(path);
  }
  return found;
}

const read = (path) => readFileSync(new URL(path, EXTENSION), "utf8");
const SCRIPTS = filesUnder("", ".js");
const PAGES = filesUnder("", ".html");
const en = messagesOf("en");

function matches(text, pattern) {
  return [...text.matchAll(pattern)].map((match) => match[1]);
}

function withoutComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .map((line) => line.replace(/\s\/\/\s.*$/, ""))
    .join("\n");
}

// Keys named in the code: t("key"), plural("key") (its _one and _other forms), chrome.i18n.getMessage("key"),
// data-i18n*="key" in the pages and __MSG_key__ in the manifest.
function usedKeys() {
  const used = new Set();
  for (const path of SCRIPTS) {
    const text = withoutComments(read(path));
    for (const key of matches(text, new RegExp(`\\bt\\(\\s*"(${KEY})"`, "g"))) used.add(key);
    for (const key of matches(text, new RegExp(`\\bgetMessage\\(\\s*"(${KEY})"`, "g"))) used.add(key);
    for (const key of matches(text, new RegExp(`\\bplural\\(\\s*"(${KEY})"`, "g"))) used.add(`${key}_one`).add(`${key}_other`);
  }
  for (const path of PAGES) {
    for (const key of matches(read(path), new RegExp(`data-i18n(?:-[a-z-]+)?="(${KEY})"`, "g"))) used.add(key);
  }
  for (const key of matches(read("manifest.json"), new RegExp(`__MSG_(${KEY})__`, "g"))) used.add(key);
  return used;
}

function placeholdersIn(message) {
  return new Set(matches(message, /\$([A-Za-z0-9_]+)\$/g).map((name) => name.toLowerCase()));
}

describe("the locales", () => {
  it("are English, German, Spanish, French and Brazilian Portuguese, with English the default", () => {
    assert.deepEqual(LOCALE_NAMES, LOCALES);
    const manifest = JSON.parse(read("manifest.json"));
    assert.equal(manifest.default_locale, "en");
    for (const field of [manifest.name, manifest.short_name, manifest.description, manifest.action.default_title]) {
      assert.match(field, /^__MSG_[a-z_]+__$/);
    }
  });

  it("each have every key English has, and no other", () => {
    for (const locale of LOCALES) {
      assert.deepEqual(Object.keys(messagesOf(locale)).sort(), Object.keys(en).sort(), locale);
    }
  });

  it("are kept sorted by key, so that files from several branches merge as a union", () => {
    for (const locale of LOCALES) {
      const keys = Object.keys(messagesOf(locale));
      assert.deepEqual(keys, [...keys].sort(), locale);
    }
  });

  it("use the same placeholders in every language, each one declared and each declared one used", () => {
    for (const [key, entry] of Object.entries(en)) {
      const declared = entry.placeholders ?? {};
      for (const locale of LOCALES) {
        const translated = messagesOf(locale)[key];
        assert.ok(translated.message.trim(), `${locale} ${key} is empty`);
        assert.deepEqual(translated.placeholders ?? {}, declared, `${locale} ${key}: placeholders differ from English`);
        assert.deepEqual(placeholdersIn(translated.message), new Set(Object.keys(declared)), `${locale} ${key}: ${translated.message}`);
      }
    }
  });

  it("have both plural forms of every counted message", () => {
    for (const key of Object.keys(en)) {
      if (key.endsWith("_one")) assert.ok(Object.hasOwn(en, key.replace(/_one$/, "_other")), key);
      if (key.endsWith("_other")) assert.ok(Object.hasOwn(en, key.replace(/_other$/, "_one")), key);
    }
  });
});

describe("the code and the locales", () => {
  const used = usedKeys();

  it("asks only for keys the locales have", () => {
    assert.deepEqual([...used].filter((key) => !Object.hasOwn(en, key)).sort(), []);
  });

  it("leaves no key unused", () => {
    assert.deepEqual(Object.keys(en).filter((key) => !used.has(key)), []);
  });

  it("names every key literally, so that the two checks above see them all", () => {
    for (const path of SCRIPTS.filter((name) => name !== "shared/i18n.js")) {
      const calls = matches(read(path), /\b(?:t|plural|getMessage)\(\s*([^\s)])/g);
      assert.deepEqual(calls.filter((first) => first !== '"'), [], `${path} passes a key that is not a string literal`);
    }
  });
});

// ---- no visible English outside _locales ----

// The scripts that put words on the screen, in a notification or in the toolbar.
const WORDY_SCRIPTS = [
  "popup/popup.js",
  "options/options.js",
  "background/notifications.js",
  "background/badge.js",
  "background/taught.js",
  "shared/assess.js",
  "shared/problems.js",
  "shared/rules-source.js",
  "shared/teach.js",
  "shared/time.js",
  "welcome/welcome.js",
  "shared/words.js",
];

// String literals that are not words for people: element ids, class names, tags, attributes, storage keys.
const NOT_WORDS = new Set(["pill good", "pill bad", "pill warn", "pill busy", "pill wanted", "pill state", "Content-Type"]);

// The text of each "…" literal and of the fixed parts of each `…` literal.
function literals(text) {
  const quoted = matches(text, /"((?:[^"\\\n]|\\.)*)"/g);
  const templates = matches(text, /`((?:[^`\\]|\\.)*)`/g).flatMap((body) => body.split(/\$\{[^}]*\}/));
  return [...quoted, ...templates];
}

// Words a person would read: a capitalised word, two words in a row, or an ending of a sentence.
function looksLikeWords(literal) {
  if (NOT_WORDS.has(literal) || /^\.{1,2}\/[\w./-]+$/.test(literal)) return false;
  return /\b[A-Z][a-z]{2,}\b/.test(literal) || /\b[a-z]{2,} [a-z]{2,}\b/.test(literal) || /[a-z][.!?\u2026](\s|$)/.test(literal) || /[a-z]\u2019[a-z]/.test(literal);
}

export function visibleEnglish(text) {
  return literals(withoutComments(text)).filter(looksLikeWords);
}

describe("visible words", () => {
  it("come only from the locales, never from a string in the popup, options, notification or badge code", () => {
    for (const path of WORDY_SCRIPTS) {
      assert.deepEqual(visibleEnglish(read(path)), [], path);
    }
  });

  it("are found by this check when they are written in the code", () => {
    assert.deepEqual(visibleEnglish('element("span", "pill", "Not offered");'), ["Not offered"]);
    assert.deepEqual(visibleEnglish("return `Checked ${when}`;"), ["Checked "]);
    assert.deepEqual(visibleEnglish('if (state === true) return "now on";'), ["now on"]);
    assert.deepEqual(visibleEnglish('element("span", "pill good", t("pill_opted_out"));'), []);
  });

  it("in the pages are all marked for translation: no text outside a data-i18n element", () => {
    for (const path of PAGES) {
      const body = read(path)
        .replace(/<script[\s\S]*?<\/script>/g, "")
        .replace(/<style[\s\S]*?<\/style>/g, "")
        .replace(/<!--[\s\S]*?-->/g, "");
      const texts = matches(body, />([^<>]+)</g).map((text) => text.trim()).filter(Boolean);
      assert.deepEqual(texts, [], `${path} has text that is not translated`);
      assert.doesNotMatch(body, /\s(?:aria-label|title|alt)="[^"]*[A-Za-z][^"]*"/, `${path} has an attribute in English`);
    }
  });
});
