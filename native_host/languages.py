"""Language tags (BCP 47), defined once: which are well formed, how a page's tag finds the rules' wordings, what a
language is called in English, and which languages the person's system asks for.

The rules keep English in their plain fields and other languages under `languages` keyed by tag (docs/rules.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# Well-formed for our purposes: a 2-3 letter language, then optional script (4 letters), region (2 letters or 3
# digits) and variants. Case-insensitive, as BCP 47 is; the rules write keys in the canonical case ("pt-PT").
TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$")
MAX_TAG = 35
MAX_LANGUAGES = 10  # languages a caller may send for one run (navigator.languages is rarely longer)
BASE_LANGUAGE = "en"  # the language of the rules' plain fields

# English names, for sentences the CLI and the reports show. Languages Pinterest serves (pinterest-world.md §1),
# plus a few more; any other tag is named by itself.
ENGLISH_NAMES = {
    "ar": "Arabic",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "ms": "Malay",
    "nb": "Norwegian Bokmål",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sv": "Swedish",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def is_language_tag(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TAG and TAG.match(value) is not None


def primary(tag: str) -> str:
    """The language subtag: "de" for "de-AT"."""
    return tag.split("-")[0].lower()


def is_base_language(tag: str) -> bool:
    """True for English in any region: the rules' plain fields are its wordings."""
    return primary(tag) == BASE_LANGUAGE


def lookup(tag: str, available: Iterable[str]) -> str | None:
    """The key among `available` whose wordings serve a page in `tag`: the same tag, else the tag with its last
    subtags removed one by one ("pt-BR" -> "pt"), compared without case. None when no key fits: "pt-BR" never
    borrows "pt-PT"'s wordings, which differ."""
    keys = {key.lower(): key for key in available}
    parts = tag.lower().split("-")
    while parts:
        found = keys.get("-".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


def english_name(tag: str) -> str:
    """'German' for "de" or "de-AT"; the tag itself, quoted, for a language this table does not name."""
    return ENGLISH_NAMES.get(primary(tag), f'the language "{tag}"')


def from_posix_locale(value: str) -> str | None:
    """A tag for a POSIX locale name: "de_DE.UTF-8" -> "de-DE", "C"/"POSIX" -> None."""
    name = value.split(".")[0].split("@")[0].replace("_", "-")
    if name in ("", "C", "POSIX") or not is_language_tag(name):
        return None
    return name


def system_languages(environ: Mapping[str, str], fallback: str | None = None) -> tuple[str, ...]:
    """The languages the person's system asks for, most wanted first: LANGUAGE (a colon-separated list, GNU),
    then LC_ALL, LC_MESSAGES, LANG; `fallback` (the locale module's answer) when none names one; else English.
    Each regional tag is followed by its language alone ("de-DE", "de"), as browsers send them."""
    names: list[str] = []
    if environ.get("LANGUAGE"):
        names += environ["LANGUAGE"].split(":")
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(variable):
            names.append(environ[variable])
            break
    if fallback:
        names.append(fallback)
    tags: list[str] = []
    for name in names:
        tag = from_posix_locale(name)
        if tag is None:
            continue
        tags += [tag, primary(tag)] if "-" in tag else [tag]
    return tuple(dict.fromkeys(tags))[:MAX_LANGUAGES] or (BASE_LANGUAGE,)
