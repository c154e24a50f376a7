"""The engine's decisions over what a page scan saw: when to read, what each setting reads, how a page saves,
and what a reload proves. Plain functions and dataclasses: no browser, no Playwright (page_driver.py is the
only code that touches a page), so every outcome can be reached in a unit test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from native_host.engine.labels import Control, Match, claimed_by_rules, find_control, normalize
from native_host.engine.page_watch import ActionOutcome
from native_host.languages import english_name, is_language_tag
from native_host.rules.format import RuleSet, Setting
from native_host.statuses import SettingReason, SettingStatus

# Caps on what a page can put into a report: the native host's replies are limited to 1 MB, and a page is
# not ours to trust. scan_controls.js caps the same sizes at the source; these hold even if it did not.
MAX_TEXT = 300  # characters of one label, heading, button or link text
MAX_URL = 500
MAX_NAMES = 8  # names and sections kept per control
MAX_ITEMS = 300  # controls, links, buttons and openers kept per scan
MAX_RIVALS = 4  # controls named in an "ambiguous" message


def clip(text: Any, limit: int = MAX_TEXT) -> str:
    """`text` as a string of at most `limit` characters, marked when it was cut."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAX_CANDIDATES = 50  # on/off controls listed for a setting that was not found


def language_tag(value: Any) -> str:
    """A page's `lang` attribute when it is a well-formed language tag, else ""."""
    return value if is_language_tag(value) else ""


# -- what a scan saw -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    ref: str
    text: str
    disabled: bool
    in_dialog: bool  # inside an open dialog (a confirmation)


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Opener:
    """Something that shows a hidden section when pressed: an accordion button, a <summary>, a tab."""

    ref: str
    text: str


@dataclass(frozen=True)
class Scan:
    url: str  # the document's own address when it was scanned
    controls: list[Control]
    links: list[Link] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    openers: list[Opener] = field(default_factory=list)
    password_visible: bool = False
    dialog_open: bool = False
    # the page's language tag (BCP 47): its own `lang`, or the one the engine read from its text; "" unknown
    language: str = ""

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Scan:
        """Parse scan_controls.js's answer, capping every text a page controls."""
        controls = []
        for entry in list(raw.get("controls", []))[:MAX_ITEMS]:
            names = [{"text": clip(name.get("text")), "part": name.get("part")} for name in entry["names"][:MAX_NAMES]]
            sections = [clip(section) for section in entry["sections"][:MAX_NAMES]]
            controls.append(
                Control.from_scan({**entry, "ref": clip(entry["ref"], 20), "names": names, "sections": sections})
            )
        return cls(
            url=clip(raw.get("url", ""), 4 * MAX_URL),
            controls=controls,
            links=[Link(clip(link["text"]), clip(link["href"], MAX_URL)) for link in raw.get("links", [])[:MAX_ITEMS]],
            buttons=[
                Button(clip(b["ref"], 20), clip(b["text"]), bool(b["disabled"]), bool(b.get("inDialog")))
                for b in raw.get("buttons", [])[:MAX_ITEMS]
            ],
            openers=[Opener(clip(o["ref"], 20), clip(o["text"])) for o in raw.get("openers", [])[:MAX_ITEMS]],
            password_visible=bool(raw.get("passwordVisible")),
            dialog_open=bool(raw.get("dialogOpen")),
            language=language_tag(raw.get("lang")),
        )

    def signature(self) -> tuple[Any, ...]:
        """What must stay unchanged for the page to count as settled: every control, its names and state."""
        return tuple((tuple(c.names), tuple(c.sections), c.checked, c.disabled) for c in self.controls)


# -- when a page can be read ---------------------------------------------------------------------------------


class Settle:
    """Decides when a page's control states can be read.

    Ready once the page's own data requests have ended and, since then, its control states have stayed
    unchanged for `settle_seconds`: the window starts at whichever came last, the last change seen or the end
    of the last data request (the page may still be drawing what that request brought). The first sight of a
    page counts as a change: nothing says how long it has looked like this. A page that is already still costs
    one settle time; a page that keeps changing is waited for until it stops.
    """

    def __init__(self, settle_seconds: float):
        self.settle_seconds = settle_seconds
        self._signature: tuple[Any, ...] | None = None
        self._changed_at = 0.0

    def observe(self, signature: tuple[Any, ...] | None, now: float, network_quiet_for: float) -> bool:
        """Note one look at the page (None: it was between documents); True when it is ready to read."""
        if signature is None or signature != self._signature:
            self._signature, self._changed_at = signature, now
            return False
        still_for = min(now - self._changed_at, network_quiet_for)
        return still_for >= self.settle_seconds

    @property
    def changed_at(self) -> float:
        return self._changed_at


# -- where a page may be -------------------------------------------------------------------------------------


def off_site_message(rules: RuleSet, url: str) -> str | None:
    """A sentence when `url` is not on one of the platform's sites: nothing from such a page may be read or clicked."""
    if rules.allows(url):
        return None
    return f"The page moved to {clip(url, 120)}, which is not {rules.name}. Optout stopped and read nothing from it."


def login_path(rules: RuleSet, url: str) -> bool:
    path = "/" + url.split("://", 1)[-1].partition("/")[2]
    return any(path.startswith(login) for login in rules.login_paths)


def blocked(rules: RuleSet, status: int | None, text: str) -> bool:
    """Pinterest's bot or rate-limit page, in any language the rules know."""
    folded = normalize(text)
    return status == 429 or any(normalize(words) in folded for words in rules.blocked_wordings())


def login_page(rules: RuleSet, text: str, scan: Scan | None) -> bool:
    """A page with no settings on it whose text only the login page shows (the rules' login_texts)."""
    if scan is not None and scan.controls:
        return False
    folded = f" {normalize(text)} "
    return any(f" {normalize(words)} " in folded for words in rules.login_wordings() if normalize(words))


# -- reading -------------------------------------------------------------------------------------------------


def not_found(setting: Setting, language: str) -> tuple[str, SettingReason]:
    """The message and reason for a setting no control on its pages carries; `language` is the pages' ("" unknown).
    When the rules know no wording for it in that language, say that rather than guess: Pinterest may well show it."""
    if not setting.knows_language(language):
        return (
            f"Optout does not know yet how Pinterest words this setting in {english_name(language)}.",
            SettingReason.UNKNOWN_LANGUAGE,
        )
    shown = setting.in_language(language).labels[0]
    return (
        f"Could not find '{shown}' on your settings pages. Pinterest may not offer it to your account or region, "
        "or may have renamed it.",
        SettingReason.NONE,
    )


def word(state: bool | None) -> str:
    return {True: "on", False: "off", None: "unknown"}[state]


@dataclass(frozen=True)
class Reading:
    """What one setting's control said. `status` None: apply must change it."""

    status: SettingStatus | None
    message: str
    before: bool | None = None
    after: bool | None = None
    verified: bool = False


def read_setting(setting: Setting, match: Match, mode: str) -> Reading:
    """Decide one found setting from its control's state (match.control must not be None)."""
    control = match.control
    assert control is not None
    if match.ambiguous:
        rivals = [control, *match.rivals]
        names = "; ".join(clip(c.describe(), 80) for c in rivals[:MAX_RIVALS])
        more = f" and {len(rivals) - MAX_RIVALS} more" if len(rivals) > MAX_RIVALS else ""
        return Reading(
            SettingStatus.AMBIGUOUS, f"Several controls look like this setting ({names}{more}); none touched."
        )
    if control.checked is None:
        return Reading(SettingStatus.AMBIGUOUS, "Its on/off state cannot be read; not touched.")
    state = control.checked
    if state == setting.desired:
        locked = " Pinterest has locked it." if control.disabled else ""
        return Reading(SettingStatus.ALREADY_OK, f"Already {word(state)}.{locked}", state, state, True)
    if control.disabled:
        return Reading(
            SettingStatus.LOCKED,
            f"Pinterest does not let this account change it (it is {word(state)} and locked).",
            state,
            state,
        )
    if mode == "check":
        return Reading(
            SettingStatus.WOULD_CHANGE, f"It is {word(state)}; you chose {word(setting.desired)}.", state, state
        )
    return Reading(None, "", state)


def find(setting: Setting, scan: Scan, rules: RuleSet, own_page: bool = False) -> Match:
    """The setting's control on `scan`; the person's taught wordings count only on the setting's `own_page`."""
    return find_control(setting, scan.controls, rules.settings, taught=own_page)


@dataclass(frozen=True)
class Candidate:
    """An on/off control no rule names: offered to the person when a setting on its page was not found."""

    label: str  # as the page shows it (its title line, else its name), capped
    kind: str  # "switch", "checkbox", "radio" or "other"
    state: bool | None

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "kind": self.kind, "state": self.state}


def candidates(scan: Scan, rules: RuleSet) -> list[Candidate]:
    """The on/off controls on `scan` that none of the rules' settings names, each once, at most MAX_CANDIDATES."""
    found: dict[tuple[str, str], Candidate] = {}
    for control in scan.controls:
        label = clip((control.titles or control.names or [""])[0])
        if not normalize(label) or claimed_by_rules(control, rules.settings):
            continue
        found.setdefault((normalize(label), control.kind), Candidate(label, control.kind, control.checked))
        if len(found) >= MAX_CANDIDATES:
            break
    return list(found.values())


def opener_for(setting: Setting, scan: Scan, opened: Iterable[str]) -> Opener | None:
    """The collapsed section or tab named like the setting's section, not opened yet on this page."""
    if not setting.section:
        return None
    wanted = {normalize(name) for name in setting.section}
    done = set(opened)
    for opener in scan.openers:
        if normalize(opener.text) in wanted and normalize(opener.text) not in done:
            return opener
    return None


def menu_target(
    pending: list[Setting], scan: Scan, rules: RuleSet, visited: set[str]
) -> tuple[str, list[Setting]] | None:
    """The first settings-menu link, named as a pending setting's menu link, that leads somewhere new."""
    for setting in pending:
        for name in setting.menu_links:
            for link in scan.links:
                url = link.href.split("#")[0]
                if normalize(link.text) == normalize(name) and rules.allows(url) and url not in visited:
                    return url, [s for s in pending if name in s.menu_links]
    return None


# -- saving --------------------------------------------------------------------------------------------------


class SaveModel(StrEnum):
    """How a page keeps a change, learnt from what the first click on it set off."""

    UNKNOWN = "unknown"  # nothing clicked on this page yet
    ON_CHANGE = "on_change"  # the click itself sent a save request
    SAVE_BUTTON = "save_button"  # nothing sent; a Save/Done button (there from the start or just shown)
    NONE = "none"  # nothing sent and no way to save seen


def button_named(scan: Scan, words: Iterable[str], in_dialog: bool | None = None) -> Button | None:
    """The one enabled button whose text is one of `words` (None when there is none or several)."""
    wanted = {normalize(text) for text in words}
    found = [
        button
        for button in scan.buttons
        if normalize(button.text) in wanted and (in_dialog is None or button.in_dialog == in_dialog)
    ]
    return found[0] if len(found) == 1 and not found[0].disabled else None


def save_model_after_click(writes: int, scan: Scan | None, save_words: Iterable[str]) -> SaveModel:
    """What a page's first click says about how it saves: `writes` is how many save requests it (and any
    confirmation) sent; `scan` is the page right after."""
    if writes:
        return SaveModel.ON_CHANGE
    if scan is not None and button_named(scan, save_words, in_dialog=False) is not None:
        return SaveModel.SAVE_BUTTON
    return SaveModel.NONE


@dataclass
class SaveRecord:
    """What Optout saw while changing one setting: the basis for its final status, together with the reload."""

    writes: int = 0
    accepted: int = 0
    refusals: list[str] = field(default_factory=list)
    save_pressed: bool = False
    problem: str | None = None  # Optout itself could not go on (the control changed, the button vanished)

    def add(self, outcome: ActionOutcome) -> None:
        self.writes += outcome.writes
        self.accepted += outcome.accepted
        self.refusals += outcome.refusals


def verdict(setting: Setting, after: bool | None, record: SaveRecord) -> tuple[SettingStatus, str, bool]:
    """The final status of a changed setting: (status, message, verified). Only the reload can say `changed`."""
    if after == setting.desired:
        return SettingStatus.CHANGED, f"Turned {word(setting.desired)} and checked.", True
    if record.refusals:
        return (
            SettingStatus.SAVE_FAILED,
            f"Pinterest did not save it: {clip('; '.join(dict.fromkeys(record.refusals)))}",
            False,
        )
    if record.problem:
        return SettingStatus.NOT_SAVED, f"Nothing was saved: {record.problem}", False
    if not record.writes and not record.save_pressed:
        return (
            SettingStatus.NOT_SAVED,
            "Nothing was saved: the page sent no save request and showed no Save button, and the reload still "
            f"shows it {word(after)}.",
            False,
        )
    shown = "cannot be read" if after is None else f"still shows it {word(after)}"
    if record.accepted:
        return (
            SettingStatus.VERIFY_FAILED,
            f"Pinterest accepted the change but the page {shown} after a reload.",
            False,
        )
    return (
        SettingStatus.VERIFY_FAILED,
        f"Optout pressed Save, but no save request was seen to succeed and the page {shown} after a reload.",
        False,
    )


def unsettled_verdict() -> tuple[SettingStatus, str, bool]:
    return (
        SettingStatus.VERIFY_FAILED,
        "The reloaded page did not finish loading your settings in time, so the change could not be checked.",
        False,
    )


def summary(mode: str, counts: dict[str, int], unknown_language: int = 0, language: str = "") -> str:
    """One sentence for the run; `unknown_language` settings were not read because their wording in `language` is
    not known yet, which the sentence says, so that nobody reads the run as done."""
    parts = [f"{count} {status.replace('_', ' ')}" for status, count in sorted(counts.items())]
    text = f"{mode.capitalize()} finished: " + ", ".join(parts) + "."
    if unknown_language:
        settings = "this setting" if unknown_language == 1 else f"{unknown_language} settings"
        text += f" Optout does not know yet how Pinterest words {settings} in {english_name(language)}."
    return text
