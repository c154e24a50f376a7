"""The language of a settings page: the document's own `lang`, else a careful guess from its text.

The guess uses only what the rules know: each language's vocabulary is the words of its wordings in the rules
(labels, sections, menu links, buttons, page texts; English: the plain fields) that no other language's wordings
use. A page is taken to be in a language when at least MIN_WORDS different words of that vocabulary appear in its
text and at least RATIO times as many as of any other language's. Anything less stays unknown (""): a wrong
language would make Optout say "not known in German" about an English page, so it never guesses on thin evidence.
Pinterest leaves some strings untranslated, which is why a margin and not a clean sweep is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from native_host.engine.labels import normalize
from native_host.languages import BASE_LANGUAGE
from native_host.rules.format import RuleSet

MIN_WORDS = 3
RATIO = 2
MIN_LETTERS = 3  # shorter words ("de", "og", "y") say too little on their own


def vocabularies(rules: RuleSet) -> dict[str, frozenset[str]]:
    """Each language's telling words: those of its wordings that no other language's wordings use."""
    words: dict[str, set[str]] = {BASE_LANGUAGE: _words(_english_wordings(rules))}
    for tag, page in rules.languages.items():
        texts = [*page.save_buttons, *page.confirm_buttons, *page.blocked_texts, *page.login_texts]
        words.setdefault(tag, set()).update(_words(texts))
    for setting in rules.settings:
        for tag, wordings in setting.languages.items():
            words.setdefault(tag, set()).update(_words([*wordings.labels, *wordings.section, *wordings.menu_links]))
    telling = {}
    for tag, own in words.items():
        others = set().union(*(other for other_tag, other in words.items() if other_tag != tag))
        telling[tag] = frozenset(own - others)
    return telling


def _english_wordings(rules: RuleSet) -> list[str]:
    texts = [*rules.save_buttons, *rules.confirm_buttons, *rules.blocked_texts]
    for setting in rules.settings:
        texts += [*setting.labels, *setting.section, *setting.menu_links]
    return texts


def _words(texts: Iterable[str]) -> set[str]:
    return {word for text in texts for word in normalize(text).split() if len(word) >= MIN_LETTERS}


def guess(text: str, vocabularies: dict[str, frozenset[str]]) -> str:
    """The language `text` is written in, by the rules' vocabularies; "" when the evidence is thin or split."""
    seen = set(normalize(text).split())
    scores = sorted(((len(words & seen), tag) for tag, words in vocabularies.items()), reverse=True)
    if not scores:
        return ""
    best, tag = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0
    if best >= MIN_WORDS and best >= RATIO * runner_up:
        return tag
    return ""
