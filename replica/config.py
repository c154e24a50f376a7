"""How a replica instance behaves: which page variant it shows and which faults it injects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

VARIANTS: dict[str, str] = {
    "switch": "Gestalt Switch markup, the app's newest wordings, each change saved at once",
    "checkbox": "Gestalt Checkbox markup, the help article's wordings, nothing saved until Done",
    "legacy": "server-rendered form, the older wordings, checkboxes inside their labels, a Save button",
    "aria": 'button role="switch" with aria-checked and aria-labelledby, each change saved at once',
    "gestalt": "a React app built with Gestalt: switches drawn off, the account's states gestalt_delay later",
}

FAULTS: dict[str, str] = {
    "logged_out": "the session has expired: every settings page redirects to the login page",
    "save_500": "every save request fails with HTTP 500 and persists nothing",
    "slow": "the settings arrive only after slow_seconds",
    "drop_changes": "saves answer 200 but persist nothing (only drop_keys, when given)",
    "minor": "an under-18 account: Canvas training and the ad settings are shown off and disabled",
    "eu": "an EU account: 'Activity for ads reporting' is absent",
    "uk_minor": "a UK minor: the ad and AI training settings are absent",
    "blocked": "every page is Pinterest's bot block",
    "not_rolled_out": "Canvas training is not rolled out to this account: absent",
    "late_states": "every control is drawn off first; the real states follow from a second request (late_seconds)",
    "leaves_site": "a settings page moves itself to leave_to after leave_seconds",
    "reworded": "Canvas training's switch carries a title no rules wording knows (REWORDED_CANVAS)",
    "country_redirect": "every other Pinterest host redirects to `domain`, as Pinterest sends logged-out visitors "
    "of www.pinterest.com to their country's domain; a logged-in session crosses over through a login handshake",
}

LANGUAGES: dict[str, str] = {
    "en": "English, as the facts give it",
    "de": "German: the known wordings (pinterest-world.md), the newest on the newest styles; wordings no rule has "
    "where none is known",
    "es": "Spanish: the known menu, page and section names; wordings no rule has for every setting",
}

SAVE_MODELS: dict[str, str] = {
    "": "the variant's own: instant saves, a Done button from the start, or the legacy form",
    "bar": "nothing is saved on change; a Save bar appears only after the first change",
    "confirm": "each change asks for confirmation in a dialog first; saved once confirmed",
}

SECTION_STYLES: dict[str, str] = {
    "heading": "each section under an h2 heading",
    "fieldset": "each section in a fieldset with a legend",
    "group": 'each section in a role="group" named by aria-labelledby (its title is no heading)',
    "accordion": "each section collapsed behind a button with aria-expanded; opened by a click",
    "disclosure": "each section in a closed <details> element, opened by its <summary>",
    "tab": "each section in a tab panel; only the first tab is shown",
}

PRIVACY_PATHS = ("/settings/privacy", "/settings/privacy-and-data")
GESTALT_SAVES = ("instant", "save_bar")  # gestalt: each change saved at once, or a Save bar after the first change


class ConfigError(ValueError):
    """The replica configuration names something the replica does not have."""


@dataclass(frozen=True)
class ReplicaConfig:
    variant: str = "switch"
    faults: frozenset[str] = frozenset()
    privacy_path: str = PRIVACY_PATHS[0]
    alias_status: int = 302
    slow_seconds: float = 1.5
    drop_keys: frozenset[str] = frozenset()
    blocked_status: int = 429
    save_label: str = ""
    seed: int | None = None
    gestalt_delay: float = 0.5
    gestalt_save: str = GESTALT_SAVES[0]
    late_seconds: float = 1.0
    late_draw_seconds: float = 0.0
    leave_to: str = ""
    leave_seconds: float = 0.3
    save_model: str = ""
    section_style: str = "heading"
    language: str = "en"  # the pages' language (LANGUAGES)
    html_lang: bool = True  # False: pages name no language (<html> without lang), as some pages may
    untranslated: frozenset[str] = frozenset()  # keys whose titles stay English on a page in another language
    # The Pinterest host this replica serves as: www.pinterest.com, a country subdomain (de.pinterest.com, on the
    # pinterest.com jar) or a country domain (www.pinterest.de, with its own jar). Its sessions' cookies are on
    # that host's jar.
    domain: str = "www.pinterest.com"

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", frozenset(self.faults))
        object.__setattr__(self, "drop_keys", frozenset(self.drop_keys))
        object.__setattr__(self, "untranslated", frozenset(self.untranslated))
        if self.variant not in VARIANTS:
            raise ConfigError(f"Unknown variant '{self.variant}'. Variants: {', '.join(VARIANTS)}.")
        unknown = sorted(self.faults - FAULTS.keys())
        if unknown:
            raise ConfigError(f"Unknown fault(s) {', '.join(unknown)}. Faults: {', '.join(FAULTS)}.")
        # Imported here: pages needs this module for its type hints.
        from replica.pages import ALL_KEYS

        unknown_keys = sorted(self.drop_keys - set(ALL_KEYS))
        if unknown_keys:
            raise ConfigError(f"Unknown drop key(s) {', '.join(unknown_keys)}. Keys: {', '.join(ALL_KEYS)}.")
        unknown_keys = sorted(self.untranslated - set(ALL_KEYS))
        if unknown_keys:
            raise ConfigError(f"Unknown untranslated key(s) {', '.join(unknown_keys)}. Keys: {', '.join(ALL_KEYS)}.")
        if self.language not in LANGUAGES:
            raise ConfigError(f"Unknown language '{self.language}'. Languages: {', '.join(LANGUAGES)}.")
        if self.language != "en" and self.variant == "gestalt":
            raise ConfigError("The gestalt pages are in English only; choose another variant for another language.")
        if self.privacy_path not in PRIVACY_PATHS:
            raise ConfigError(f"privacy_path must be one of {', '.join(PRIVACY_PATHS)}.")
        if self.alias_status not in (301, 302, 307, 308):
            raise ConfigError("alias_status must be a redirect status (301, 302, 307 or 308).")
        if self.blocked_status not in (403, 429):
            raise ConfigError("blocked_status must be 403 or 429.")
        if self.gestalt_save not in GESTALT_SAVES:
            raise ConfigError(f"gestalt_save must be one of {', '.join(GESTALT_SAVES)}.")
        for name in ("slow_seconds", "late_seconds", "late_draw_seconds", "leave_seconds", "gestalt_delay"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} cannot be negative.")
        if self.save_model not in SAVE_MODELS:
            raise ConfigError(f"Unknown save_model '{self.save_model}'. Save models: {', '.join(SAVE_MODELS)}.")
        if self.section_style not in SECTION_STYLES:
            raise ConfigError(f"Unknown section_style '{self.section_style}'. Styles: {', '.join(SECTION_STYLES)}.")
        scripted = (self.save_model, self.section_style, self.has("late_states")) != ("", "heading", False)
        if self.variant in ("legacy", "gestalt") and scripted:
            raise ConfigError("save_model, section_style and late_states need a variant drawn by the page script.")
        if self.jar is None:
            raise ConfigError(f"{self.domain!r} is not one of Pinterest's web hosts (native_host/rules/domains.py).")
        if self.has("leaves_site") and not self.leave_to.startswith(("http://", "https://")):
            raise ConfigError("leaves_site needs leave_to, the http(s) origin the page moves itself to.")

    @classmethod
    def from_value(cls, value: ReplicaConfig | Mapping[str, Any] | None) -> ReplicaConfig:
        """A config from a ReplicaConfig, a plain dict (for example parsed JSON) or None (the defaults)."""
        if value is None:
            return cls()
        if isinstance(value, ReplicaConfig):
            return value
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ConfigError(f"Unknown replica option(s) {', '.join(unknown)}. Options: {', '.join(sorted(known))}.")
        options = dict(value)
        for name in ("faults", "drop_keys", "untranslated"):
            if name in options:
                options[name] = _as_names(options[name])
        return cls(**options)

    def has(self, fault: str) -> bool:
        return fault in self.faults

    def with_changes(self, **changes: Any) -> ReplicaConfig:
        for name in ("faults", "drop_keys", "untranslated"):
            if name in changes:
                changes[name] = _as_names(changes[name])
        return replace(self, **changes)

    @property
    def jar(self) -> str | None:
        """The cookie domain serving `domain` (pinterest.de for www.pinterest.de); None when it is not Pinterest's."""
        from native_host.rules.domains import domains_of  # the one list of Pinterest's hosts and jars

        site = domains_of("pinterest").site_for(f"https://{self.domain}")
        return site.cookie_domain if site else None

    def is_pinterest_host(self, host: str) -> bool:
        from native_host.rules.domains import domains_of

        return domains_of("pinterest").site_for(f"https://{host}") is not None

    @property
    def alias_path(self) -> str:
        return next(path for path in PRIVACY_PATHS if path != self.privacy_path)

    @property
    def save_button(self) -> str:
        from replica.languages import ui  # it builds on the pages, which need this module

        words = ui(self.language)
        return self.save_label or (words["save"] if self.variant == "legacy" else words["done"])

    def drops(self, key: str) -> bool:
        """True when a save of `key` is answered as a success but not persisted."""
        return self.has("drop_changes") and (not self.drop_keys or key in self.drop_keys)


def _as_names(value: str | Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(name.strip() for name in value.split(",") if name.strip())
    return frozenset(value)
