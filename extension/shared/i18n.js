// Every word Optout shows goes through here, in the browser's interface language
// (extension/_locales/<locale>/messages.json, English when a language or a key is missing).
// chrome.i18n has no plurals: a counted message has one key per plural form, `<key>_one` and
// `<key>_other`, chosen with Intl.PluralRules for the interface language.

function i18n() {
  return globalThis.chrome?.i18n ?? globalThis.browser?.i18n;
}

// The language Optout speaks, as a BCP 47 tag ("de", "pt-BR"): the language of the messages the browser
// chose (each messages.json names its own in `ui_language`), made more precise by the browser's interface
// language when the two agree ("en-GB" writes dates the British way). Dates, numbers and the rules' words
// follow it, so a sentence and the date inside it are always in one language, even where the browser reports
// an interface language other than the one its messages came in (headless Chromium with --lang does).
export function uiLanguage() {
  const spoken = i18n()?.getMessage("ui_language") || "en";
  const browser = i18n()?.getUILanguage?.() || "";
  return browser.split("-")[0].toLowerCase() === spoken.split("-")[0].toLowerCase() ? browser : spoken;
}

// The message for `key`, its $1..$9 filled from `substitutions` (numbers are written in the interface
// language). The key itself when no locale has it, so a missing message shows up in review, not as a blank.
export function t(key, ...substitutions) {
  const values = substitutions.map((value) => (typeof value === "number" ? formatNumber(value) : String(value)));
  return i18n()?.getMessage(key, values) || key;
}

// A counted message: `plural("settings_done", 3, total)` reads settings_done_other with $1 = "3".
export function plural(key, count, ...substitutions) {
  const form = new Intl.PluralRules(uiLanguage()).select(count) === "one" ? "one" : "other";
  return t(`${key}_${form}`, count, ...substitutions);
}

export function formatNumber(value) {
  return new Intl.NumberFormat(uiLanguage()).format(value);
}

// "1 changed, 2 need you": items listed the way the interface language lists them.
export function listOf(items) {
  return new Intl.ListFormat(uiLanguage(), { type: "unit", style: "short" }).format(items);
}

// Text quoted the way the interface language quotes (“…” in English, „…“ in German, « … » in French).
export function quoted(text) {
  return t("quoted", text);
}

// "German" for "de", written in the interface language ("Deutsch" in a German browser). The tag itself
// when the browser cannot name it, and "" for none.
export function languageName(tag) {
  if (!tag) return "";
  try {
    return new Intl.DisplayNames([uiLanguage()], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

// Of the languages a rules entry has (`{"de": {...}, "pt-BR": {...}}`), the one for the interface
// language: the exact tag first, then its base language ("pt" for "pt-BR"). null when none fits.
export function pickLanguage(languages, language = uiLanguage()) {
  const tags = Object.keys(languages ?? {});
  const wanted = String(language).toLowerCase().replace(/_/g, "-");
  const base = wanted.split("-")[0];
  const tag = tags.find((entry) => entry.toLowerCase() === wanted) ?? tags.find((entry) => entry.toLowerCase() === base);
  return tag ? languages[tag] : null;
}

// Text marked in a page's HTML: data-i18n (the text), data-i18n-aria-label, data-i18n-title. The page's
// lang and dir follow the interface language, so screen readers pronounce it right.
export function localizePage(root = document) {
  root.documentElement.lang = uiLanguage();
  root.documentElement.dir = i18n()?.getMessage("@@bidi_dir") || "ltr";
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-aria-label]")) node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.setAttribute("title", t(node.dataset.i18nTitle));
}
