"""Local wordings: what a person taught Optout about their own pages, as `{"setting id": ["wording", ...]}`.

A wording a person teaches can only add a label to a setting the rules already define, and the engine applies it
only on that setting's own pages (labels.find_control). It never names a page, an origin, a new setting or a
desired state: the structure has no room for any of them. The shape is checked once at the edge (the protocol
layer, the CLI's --wordings); the setting ids against the rules that will run (`with_wordings`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the protocol layer checks wordings on every request: keep the rules (jsonschema) out of it
    from native_host.rules.format import RuleSet

MAX_WORDING = 300  # characters: as long as a label the engine keeps from a page (decisions.MAX_TEXT)
MAX_PER_SETTING = 10
MAX_SETTINGS = 50
LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # a wording with none would match any control once normalized

Wordings = dict[str, tuple[str, ...]]


class WordingsError(ValueError):
    """Wordings that cannot be used; the message says why in a sentence."""


def parse_wordings(document: Any) -> Wordings:
    """Check the shape of taught wordings; WordingsError says what is wrong. None means none."""
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise WordingsError('Taught wordings must be an object like {"setting id": ["wording", ...]}.')
    if len(document) > MAX_SETTINGS:
        raise WordingsError(f"Taught wordings may name at most {MAX_SETTINGS} settings.")
    wordings: Wordings = {}
    for setting_id, texts in document.items():
        name = str(setting_id)[:80]
        if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
            raise WordingsError(f"The taught wordings for '{name}' must be a list of texts.")
        if len(texts) > MAX_PER_SETTING:
            raise WordingsError(f"'{name}' has more than {MAX_PER_SETTING} taught wordings.")
        for text in texts:
            if len(text) > MAX_WORDING:
                raise WordingsError(f"A taught wording for '{name}' is longer than {MAX_WORDING} characters.")
            if not LETTER_OR_DIGIT.search(text):
                raise WordingsError(f"A taught wording for '{name}' has no letters or digits.")
        if texts:
            wordings[setting_id] = tuple(dict.fromkeys(texts))
    return wordings


def with_wordings(rules: RuleSet, wordings: Wordings) -> RuleSet:
    """`rules` with each setting's taught wordings added; WordingsError for a setting the rules do not define."""
    unknown = sorted(set(wordings) - set(rules.ids()))
    if unknown:
        names = ", ".join(f"'{setting_id[:80]}'" for setting_id in unknown[:5])
        raise WordingsError(f"Taught wordings name settings these rules do not have: {names}.")
    settings = tuple(dataclasses.replace(setting, taught=wordings.get(setting.id, ())) for setting in rules.settings)
    return dataclasses.replace(rules, settings=settings)


def read_wordings_file(path: str | Path) -> Wordings:
    """The CLI's --wordings FILE; WordingsError for a file that cannot be read or used."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise WordingsError(f"Cannot read the wordings file {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise WordingsError(f"The wordings file {path} is not UTF-8 text.") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise WordingsError(f"The wordings file {path} is not JSON: {error.msg} (line {error.lineno}).") from None
    return parse_wordings(document)
