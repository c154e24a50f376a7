"""Finding a setting's control by its label text, and only when sure.

A control is named by its label (label[for], a wrapping label, aria-labelledby, aria-label). Pinterest's
labels hold a title and help text below it, so the title is matched on its own too. An exact wording beats a
looser one; a control that another setting names exactly is never taken loosely; and when more than one
control fits equally well, nothing is chosen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from native_host.rules.format import Setting

LOOSE_MIN_WORDS = 3  # shorter wordings ("Art", "Search privacy") must match exactly


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
        )

    def describe(self) -> str:
        return (self.titles or self.names or ["(no label)"])[0]


@dataclass
class Match:
    """The result of looking for one setting among a page's controls."""

    control: Control | None = None
    wording: str | None = None
    fit: Fit = Fit.NONE
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


def best_fit(setting: Setting, control: Control) -> tuple[Fit, str | None]:
    """The best fit of any of the setting's wordings (newest first wins a tie)."""
    if not in_section(setting, control):
        return Fit.NONE, None
    best, best_wording = Fit.NONE, None
    for wording in setting.labels:
        found = fit(wording, control)
        if found > best:
            best, best_wording = found, wording
    return best, best_wording


def find_control(setting: Setting, controls: list[Control], all_settings: tuple[Setting, ...]) -> Match:
    """Find the one control for `setting`, or say that none or several fit."""
    others = [other for other in all_settings if other.id != setting.id]
    scored: list[tuple[Fit, str, Control]] = []
    for control in controls:
        found, wording = best_fit(setting, control)
        if found == Fit.NONE:
            continue
        if found == Fit.LOOSE and any(best_fit(other, control)[0] == Fit.EXACT for other in others):
            continue  # another setting names this control exactly: it is not ours
        scored.append((found, wording or "", control))
    if not scored:
        return Match()
    top = max(found for found, _, _ in scored)
    winners = [(wording, control) for found, wording, control in scored if found == top]
    wording, control = winners[0]
    return Match(control=control, wording=wording, fit=top, rivals=[c for _, c in winners[1:]])
