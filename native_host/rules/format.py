"""Rules are data: load a platform's rules file, validate it, and refuse what the engine must not run."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema

from native_host.languages import is_base_language, lookup
from native_host.rules.domains import DomainsError, Site, check_sites, https_host
from native_host.rules.paths import RULES_DIR, SCHEMA_FILENAME, shipped_rules_path
from native_host.version import ENGINE_VERSION, parse_version

SCHEMA_PATH = RULES_DIR / SCHEMA_FILENAME
# Written into a rules document by the signer, inside the signed bytes (docs/rules.md). Not part of what the rules
# say, so two signatures of the same rules have the same content digest.
SIGNING_STAMPS = ("issued", "expires")


class RulesError(Exception):
    """The rules cannot be used; the message says why in words a maintainer can act on."""


@dataclass(frozen=True)
class SettingWordings:
    """How Pinterest words one setting in one language (a setting's `languages` entry). No `labels`: the
    language is named (for the title and explanation) but how Pinterest words the control in it is unknown."""

    labels: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    menu_links: tuple[str, ...] = ()
    title: str | None = None  # Optout's own title in this language, for the extension
    explanation: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageWordings:
    """The buttons and page texts of one language (the top-level `languages` entry)."""

    save_buttons: tuple[str, ...] = ()
    confirm_buttons: tuple[str, ...] = ()
    blocked_texts: tuple[str, ...] = ()
    login_texts: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def _merged(first: tuple[str, ...], then: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + then))


@dataclass(frozen=True)
class Setting:
    id: str
    title: str
    explanation: str
    category: str
    desired: bool  # True: the control should end up on
    default: bool  # part of the default opt-out
    urls: tuple[str, ...]
    menu_links: tuple[str, ...]
    labels: tuple[str, ...]
    section: tuple[str, ...]
    why: str
    sources: tuple[str, ...]
    paused: str | None = None  # the maintainers' reason when the rules pause this setting: the engine skips it
    taught: tuple[str, ...] = ()  # the person's own wordings for the control (wordings.py), on its own pages only
    # Other languages' wordings by BCP 47 tag; English is in the fields above. Not hashed: a dict.
    languages: dict[str, SettingWordings] = field(default_factory=dict, hash=False)

    def wordings_in(self, language: str) -> SettingWordings | None:
        """This setting's wordings for a page in `language` (a tag), None when the rules name no such language."""
        key = lookup(language, self.languages) if language else None
        return self.languages[key] if key is not None else None

    def knows_language(self, language: str) -> bool:
        """True when the rules know how Pinterest words this control in `language` (English always)."""
        if not language or is_base_language(language):
            return True
        wordings = self.wordings_in(language)
        return wordings is not None and bool(wordings.labels)

    def in_language(self, language: str) -> Setting:
        """This setting as read on a page in `language`: that language's wordings first, then the English ones,
        because Pinterest leaves some strings untranslated. A language's `section` narrows where the control may
        be only when the English one does (docs/rules.md): otherwise a heading Optout does not know would hide a
        control it knows."""
        wordings = self.wordings_in(language)
        if wordings is None:
            return self
        return replace(
            self,
            labels=_merged(wordings.labels, self.labels),
            section=_merged(wordings.section, self.section) if self.section else (),
            menu_links=_merged(wordings.menu_links, self.menu_links),
        )


@dataclass(frozen=True)
class RuleSet:
    platform: str
    name: str
    version: str
    updated: str
    min_engine_version: str
    # Every web host the rules may browse, grouped by cookie jar (domains.Site); the first site's home
    # (https://www.pinterest.com) is the canonical origin every page address in the rules is written on.
    sites: tuple[Site, ...]
    menu_page: str
    login_paths: tuple[str, ...]
    blocked_texts: tuple[str, ...]
    save_buttons: tuple[str, ...]
    settings: tuple[Setting, ...]
    issued: str | None = None  # when a signer stamped these rules (ISO 8601, UTC); None for a rules file
    expires: str | None = None  # after this a signed bundle of these rules is refused; None for a rules file
    confirm_buttons: tuple[str, ...] = ()  # the confirming button of a dialog a page shows after a change
    languages: dict[str, PageWordings] = field(default_factory=dict, hash=False)  # by BCP 47 tag; English above

    def in_language(self, language: str) -> RuleSet:
        """These rules as read on a page in `language` (a tag, "" when unknown): each wording list holds that
        language's wordings first, then the English ones. Blocked and login texts hold every language's: a block
        page says nothing about the account's language."""
        settings = tuple(setting.in_language(language) for setting in self.settings)
        key = lookup(language, self.languages) if language else None
        page = self.languages[key] if key is not None else PageWordings()
        return replace(
            self,
            settings=settings,
            save_buttons=_merged(page.save_buttons, self.save_buttons),
            confirm_buttons=_merged(page.confirm_buttons, self.confirm_buttons),
        )

    def blocked_wordings(self) -> tuple[str, ...]:
        """The bot-block texts in every language the rules know."""
        others = tuple(text for page in self.languages.values() for text in page.blocked_texts)
        return _merged(self.blocked_texts, others)

    def login_wordings(self) -> tuple[str, ...]:
        """The login-page texts in every language the rules know."""
        return tuple(dict.fromkeys(text for page in self.languages.values() for text in page.login_texts))

    @property
    def canonical_origin(self) -> str:
        return self.sites[0].home

    def site_for(self, origin: str) -> Site | None:
        """The site of `origin` (https://HOST, no port) among the rules' sites; None when they name no such host."""
        host = https_host(origin)
        return next((site for site in self.sites if host in site.hosts), None)

    def allows(self, url: str) -> bool:
        """True when `url` is on a host of one of the rules' sites (https, no other port)."""
        return self.site_for(origin_of(url)) is not None

    def setting(self, setting_id: str) -> Setting:
        for setting in self.settings:
            if setting.id == setting_id:
                return setting
        raise RulesError(f"Unknown setting '{setting_id}'. Known settings: {', '.join(self.ids())}.")

    def ids(self) -> list[str]:
        return [setting.id for setting in self.settings]

    def select(self, setting_ids: list[str] | None = None) -> list[Setting]:
        """The settings to act on: the named ones, or the default opt-out when none are named."""
        if not setting_ids:
            return [setting for setting in self.settings if setting.default]
        return [self.setting(setting_id) for setting_id in dict.fromkeys(setting_ids)]


def rebase(url: str, origin: str) -> str:
    """`url`'s path and query on `origin`: the rules' canonical addresses moved to the run's origin."""
    parts = urlsplit(url)
    target = urlsplit(origin)
    return parts._replace(scheme=target.scheme, netloc=target.netloc).geturl()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.hostname or ''}"
    if parts.port is not None:
        origin += f":{parts.port}"
    return origin


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate_document(document: Any, source: str = "rules") -> None:
    """Raise RulesError naming the first schema violation."""
    errors = sorted(_schema_validator().iter_errors(document), key=lambda error: list(error.path))
    if errors:
        error = errors[0]
        where = "/".join(str(part) for part in error.path) or "(top level)"
        raise RulesError(f"{source} is not valid rules: at {where}: {error.message}")


def parse_rules(raw: bytes | str | dict[str, Any], source: str = "rules") -> RuleSet:
    """Validate and load one platform's rules; refuse newer-engine rules and off-origin URLs."""
    if isinstance(raw, dict):
        document = raw
    else:
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise RulesError(f"{source} is not valid JSON: {error}") from error
    validate_document(document, source)
    needed = document["min_engine_version"]
    if parse_version(needed) > parse_version(ENGINE_VERSION):
        raise RulesError(f"{source} needs Optout engine {needed} or newer; this is {ENGINE_VERSION}. Update Optout.")
    settings = tuple(_setting(entry) for entry in document["settings"])
    ids = [setting.id for setting in settings]
    duplicates = sorted({setting_id for setting_id in ids if ids.count(setting_id) > 1})
    if duplicates:
        raise RulesError(f"{source} defines these setting ids twice: {', '.join(duplicates)}")
    rules = RuleSet(
        platform=document["platform"],
        name=document["name"],
        version=document["version"],
        updated=document["updated"],
        min_engine_version=needed,
        sites=tuple(Site(site["cookie_domain"], frozenset(site["hosts"])) for site in document["sites"]),
        menu_page=document["menu_page"],
        login_paths=tuple(document["login_paths"]),
        blocked_texts=tuple(document["blocked_texts"]),
        save_buttons=tuple(document["save_buttons"]),
        confirm_buttons=tuple(document.get("confirm_buttons", ())),
        settings=settings,
        issued=document.get("issued"),
        expires=document.get("expires"),
        languages={tag: _page_wordings(entry) for tag, entry in document.get("languages", {}).items()},
    )
    try:
        check_sites(rules.platform, rules.sites)
    except DomainsError as error:
        raise RulesError(f"{source}: {error} Refused.") from None
    _refuse_foreign_urls(rules, source)
    return rules


def content_digest(document: dict[str, Any]) -> str:
    """SHA-256 of what the rules say (the signer's stamps left out), to tell two rules of one version apart."""
    content = {key: value for key, value in document.items() if key not in SIGNING_STAMPS}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _setting(entry: dict[str, Any]) -> Setting:
    return Setting(
        id=entry["id"],
        title=entry["title"],
        explanation=entry["explanation"],
        category=entry["category"],
        desired=entry["desired"] == "on",
        default=entry["default"],
        urls=tuple(entry["pages"]["urls"]),
        menu_links=tuple(entry["pages"]["menu_links"]),
        labels=tuple(entry["labels"]),
        section=tuple(entry["section"]),
        why=entry["why"],
        sources=tuple(entry["sources"]),
        paused=entry["paused"]["reason"] if "paused" in entry else None,
        languages={tag: _setting_wordings(wordings) for tag, wordings in entry.get("languages", {}).items()},
    )


def _setting_wordings(entry: dict[str, Any]) -> SettingWordings:
    return SettingWordings(
        labels=tuple(entry["labels"]),
        section=tuple(entry.get("section", ())),
        menu_links=tuple(entry.get("menu_links", ())),
        title=entry.get("title"),
        explanation=entry.get("explanation"),
        sources=tuple(entry["sources"]),
    )


def _page_wordings(entry: dict[str, Any]) -> PageWordings:
    return PageWordings(
        save_buttons=tuple(entry.get("save_buttons", ())),
        confirm_buttons=tuple(entry.get("confirm_buttons", ())),
        blocked_texts=tuple(entry.get("blocked_texts", ())),
        login_texts=tuple(entry.get("login_texts", ())),
        sources=tuple(entry["sources"]),
    )


def _refuse_foreign_urls(rules: RuleSet, source: str) -> None:
    """Every page the rules name is on their canonical origin; the engine moves it to the run's origin."""
    urls = [rules.menu_page] + [url for setting in rules.settings for url in setting.urls]
    for url in urls:
        if origin_of(url) != rules.canonical_origin:
            raise RulesError(
                f"{source}: {url} is outside {rules.name}'s canonical origin ({rules.canonical_origin}), on which "
                "the rules write every page address; refused."
            )


def load_shipped_rules(platform: str = "pinterest") -> RuleSet:
    """The rules that ship with this copy of Optout."""
    return load_rules_file(shipped_rules_path(platform))


def load_rules_file(path: str | Path) -> RuleSet:
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise RulesError(f"Cannot read the rules file {path}: {error.strerror}") from error
    return parse_rules(raw, source=str(path))
