import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { GUIDE_KEYS, System } from "../../../extension/shared/install.js";

const EXTENSION = new URL("../../../extension/", import.meta.url);
const LOCALES = ["en", "de", "es", "fr", "pt_BR"];
const read = (path) => readFileSync(new URL(path, EXTENSION), "utf8");
const messages = Object.fromEntries(LOCALES.map((locale) => [locale, JSON.parse(read(`_locales/${locale}/messages.json`))]));
const welcomeKeys = (locale) => Object.keys(messages[locale]).filter((key) => key.startsWith("welcome_"));

// Every welcome_ key the pages ask for: in the HTML, in say("…") / getMessage("…") calls, and built from data.
function keysAskedFor() {
  const sources = [read("welcome.html"), read("welcome/welcome.js"), read("popup/popup.js")].join("\n");
  const asked = new Set([...sources.matchAll(/["'`](welcome_[a-z_]+)["'`]/g)].map((match) => match[1]));
  for (const keys of Object.values(GUIDE_KEYS)) keys.forEach((key) => asked.add(key));
  for (const system of Object.values(System)) asked.add(`welcome_system_${system}`);
  return asked;
}

describe("welcome page messages", () => {
  it("exist in English for every key the pages ask for", () => {
    const missing = [...keysAskedFor()].filter((key) => !messages.en[key]?.message);
    assert.deepEqual(missing, []);
  });
  it("are translated into every locale, with nothing extra", () => {
    for (const locale of LOCALES) assert.deepEqual(welcomeKeys(locale), welcomeKeys("en"), locale);
  });
  it("keep each file sorted by key", () => {
    for (const locale of LOCALES) {
      const keys = Object.keys(messages[locale]);
      assert.deepEqual(keys, [...keys].sort(), locale);
    }
  });
  it("name the helper's file through its placeholder in every language", () => {
    for (const locale of LOCALES) {
      const entry = messages[locale].welcome_download;
      assert.match(entry.message, /\$FILE\$/, locale);
      assert.equal(entry.placeholders.file.content, "$1", locale);
    }
  });
});
