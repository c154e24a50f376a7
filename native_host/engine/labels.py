"""Finding a setting's control by its label text, and only when sure.

A control is named by its label (label[for], a wrapping label, aria-labelledby, aria-label). Pinterest's
labels hold a title and help text below it, so the title is matched on its own too. An exact wording beats a
looser one; a control that another setting names exactly is never taken loosely; and when more than one
control fits equally well, nothing is chosen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

from native_host.rules.format import Setting

LOOSE_MIN_WORDS = 3  # shorter wordings ("Art", "Search privacy") must match exactly
CONTROL_KINDS = ("switch", "checkbox", "radio", "other")


class Source(StrEnum):
    """Where the wording that matched comes from."""

    RULES = "rules"
    TAUGHT = "taught"  # a wording the person taught Optout (wordings.py)


def normalize(text: str) -> str:
    """Fold case, width, quotes, punctuation and whitespace: 'Use  Sites you visit!' -> 'use sites you visit'."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    text = re.sub(r"['\u2019`]", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


class Fit(IntEnum):
    NONE = 0
    LOOSE = 1  # the wording stands whole-word inside the control's name
    EXACT = 2  # the control's name (or its title line) is the wording


@dataclass
class Control:
    """One on/off control as the page scan saw it."""

    ref: str
    names: list[str]  # full label texts and accessible names
    titles: list[str]  # the first line of each multi-line label
    sections: list[str]
    checked: bool | None
    disabled: bool
    click: str  # "control" or "label"
    kind: str = "other"  # "switch", "checkbox", "radio" or "other": what the page says the control is

    @classmethod
    def from_scan(cls, raw: dict[str, Any]) -> Control:
        names = [entry["text"] for entry in raw["names"] if entry["part"] == "full"]
        titles = [entry["text"] for entry in raw["names"] if entry["part"] == "title"]
        return cls(
            ref=raw["ref"],
            names=names,
            titles=titles,
            sections=list(raw["sections"]),
            checked=raw["checked"],
            disabled=bool(raw["disabled"]),
            click=raw["click"],
            kind=raw.get("kind") if raw.get("kind") in CONTROL_KINDS else "other",
        )

    def describe(self) -> str:
        return (self.titles or self.names or ["(no label)"])[0]


@dataclass
class Match:
    """The result of looking for one setting among a page's controls."""

    control: Control | None = None
    wording: str | None = None
    fit: Fit = Fit.NONE
    source: Source | None = None
    rivals: list[Control] = field(default_factory=list)  # other controls that fit equally well

    @property
    def ambiguous(self) -> bool:
        return bool(self.rivals)


def fit(wording: str, control: Control) -> Fit:
    """How well one wording names one control."""
    wanted = normalize(wording)
    if not wanted:
        return Fit.NONE
    texts = [normalize(text) for text in control.names + control.titles]
    if wanted in texts:
        return Fit.EXACT
    if len(wanted.split()) >= LOOSE_MIN_WORDS and any(f" {wanted} " in f" {text} " for text in texts):
        return Fit.LOOSE
    return Fit.NONE


def in_section(setting: Setting, control: Control) -> bool:
    if not setting.section:
        return True
    wanted = {normalize(section) for section in setting.section}
    return any(normalize(section) in wanted for section in control.sections)


def best_fit(setting: Setting, control: Control, taught: bool = False) -> tuple[Fit, str | None, Source | None]:
    """The best fit of any of the setting's wordings (newest first wins a tie; the rules' before taught ones).

    `taught`: the person's own wordings count too (only on the setting's own pages).
    """
    if not in_section(setting, control):
        return Fit.NONE, None, None
    best, best_wording, best_source = Fit.NONE, None, None
    wordings = [(wording, Source.RULES) for wording in setting.labels]
    if taught:
        wordings += [(wording, Source.TAUGHT) for wording in setting.taught]
    for wording, source in wordings:
        found = fit(wording, control)
        if found > best:
            best, best_wording, best_source = found, wording, source
    return best, best_wording, best_source


def claimed_by_rules(control: Control, settings: Iterable[Setting]) -> bool:
    """True when some setting's own rules wordings name `control`, exactly or loosely."""
    return any(best_fit(setting, control)[0] != Fit.NONE for setting in settings)


def find_control(
    setting: Setting, controls: list[Control], all_settings: tuple[Setting, ...], taught: bool = False
) -> Match:
    """Find the one control for `setting`, or say that none or several fit. `taught`: on the setting's own page,
    where the person's own wordings count when the rules' find nothing; they never take a control another
    setting's rules name."""
    others = [other for other in all_settings if other.id != setting.id]
    scored: list[tuple[Fit, str, Source, Control]] = []
    for control in controls:
        found, wording, source = best_fit(setting, control, taught)
        if found == Fit.NONE or source is None:
            continue
        if found == Fit.LOOSE and any(best_fit(other, control)[0] == Fit.EXACT for other in others):
            continue  # another setting names this control exactly: it is not ours
        if source == Source.TAUGHT and claimed_by_rules(control, others):
            continue  # a taught wording only adds to the rules: it never takes another setting's control
        scored.append((found, wording or "", source, control))
    if any(source == Source.RULES for _, _, source, _ in scored):
        # the rules still name a control here: a taught wording only stands in where they find none
        scored = [entry for entry in scored if entry[2] == Source.RULES]
    if not scored:
        return Match()
    top = max(found for found, _, _, _ in scored)
    winners = [(wording, source, control) for found, wording, source, control in scored if found == top]
    wording, source, control = winners[0]
    return Match(control=control, wording=wording, fit=top, source=source, rivals=[c for _, _, c in winners[1:]])
