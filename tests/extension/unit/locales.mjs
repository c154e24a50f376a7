// chrome.i18n for the unit tests, read from extension/_locales as the browser reads it: the message in the
// chosen locale, else its base language, else the default locale (en); $NAME$ placeholders filled from
// their $1..$9 contents, and "$$" written as "$".

import { readdirSync, readFileSync } from "node:fs";

const LOCALES = new URL("../../../extension/_locales/", import.meta.url);

export const LOCALE_NAMES = readdirSync(LOCALES).sort();

export function messagesOf(locale) {
  return JSON.parse(readFileSync(new URL(`${locale}/messages.json`, LOCALES), "utf8"));
}

function fill(entry, substitutions) {
  const positional = (text) => text.replace(/\$(\d)/g, (_, digit) => substitutions[Number(digit) - 1] ?? "");
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => {
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder ? positional(placeholder.content) : whole;
  });
  return named.replace(/\$\$/g, "$");
}

// locale as a folder name ("de", "pt_BR").
export function fakeI18n(locale = "en") {
  const chain = [locale, locale.split("_")[0], "en"].filter((name, index, all) => all.indexOf(name) === index);
  const tables = chain.filter((name) => LOCALE_NAMES.includes(name)).map(messagesOf);
  return {
    getUILanguage: () => locale.replace("_", "-"),
    getMessage(key, substitutions = []) {
      if (key === "@@bidi_dir") return "ltr";
      const entry = tables.find((table) => Object.hasOwn(table, key))?.[key];
      const values = Array.isArray(substitutions) ? substitutions : [substitutions];
      return entry ? fill(entry, values.map(String)) : "";
    },
  };
}

// The interface language for the modules under test.
export function useLocale(locale = "en") {
  globalThis.chrome = { ...(globalThis.chrome ?? {}), i18n: fakeI18n(locale) };
}
