"""The replica's server-side state: sessions by `_pinterest_sess` cookie, each with its settings and history.

Tests reach it as `app.extensions["replica"]` (also `ReplicaServer.store`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from replica import pages
from replica.config import ReplicaConfig
from replica.names import GeneratedNames

SESSION_COOKIE = "_pinterest_sess"
CSRF_COOKIE = "csrftoken"
COOKIE_LIFETIME = 365 * 24 * 3600
RECEIVED_KEPT = 1000  # the last requests' Cookie headers kept for tests; a long-running replica stays small

SessionRef = str | Iterable[Mapping[str, Any]]


class UnknownSession(KeyError):
    """No session has this `_pinterest_sess` value."""


@dataclass
class Session:
    value: str
    csrf: str
    logged_in: bool
    states: dict[str, bool]
    writes: list[tuple[str, bool]] = field(default_factory=list)
    saves: list[dict[str, Any]] = field(default_factory=list)
    notice: str = ""
    browser_id: str = field(default_factory=lambda: secrets.token_hex(8))
    routing_id: str = field(default_factory=lambda: secrets.token_hex(12))


@dataclass(frozen=True)
class SaveOutcome:
    status: int
    persisted: list[tuple[str, bool]]
    message: str = ""


class ReplicaStore:
    """Sessions and settings of one replica instance. Safe to use from tests while the server runs."""

    def __init__(self, config: ReplicaConfig) -> None:
        self._config = config
        self.names = GeneratedNames(config.seed)
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._languages: list[str] = []  # the Accept-Language of every request, in order
        self._received: deque[tuple[str, str, str]] = deque(maxlen=RECEIVED_KEPT)
        self._handshakes: dict[str, str] = {}  # one-time token -> session value, for country_redirect

    @property
    def config(self) -> ReplicaConfig:
        return self._config

    def configure(self, **changes: Any) -> ReplicaConfig:
        """Change the running replica's configuration, for example its faults, between two page loads."""
        with self._lock:
            self._config = self._config.with_changes(**changes)
            return self._config

    def new_session(self, states: Mapping[str, bool] | None = None) -> list[dict[str, Any]]:
        """Log a fresh account in and return its cookies as Chrome's `chrome.cookies.getAll` lists them."""
        session = self._create(logged_in=True, states=states)
        return chrome_cookies(session, self._config.domain, self._config.jar or "pinterest.com")

    def received(self) -> list[tuple[str, str, str]]:
        """(host, path, Cookie header) of each request received, oldest first: what the browser sent where."""
        with self._lock:
            return list(self._received)

    def record(self, host: str, path: str, cookie_header: str) -> None:
        with self._lock:
            self._received.append((host, path, cookie_header))

    def handshake(self, session: Session) -> str:
        """A one-time token that carries `session` to another Pinterest domain (country_redirect)."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._handshakes[token] = session.value
        return token

    def redeem(self, token: str) -> Session | None:
        with self._lock:
            value = self._handshakes.pop(token, "")
            return self._sessions.get(value)

    def state(self, session: SessionRef) -> dict[str, bool]:
        """Every setting as the account sees it (a minor's locked settings read as off)."""
        with self._lock:
            found = self._get(session)
            return self._effective(found.states)

    def writes(self, session: SessionRef) -> list[tuple[str, bool]]:
        """Every change the server persisted for this session, in order. Unchanged values are not writes."""
        with self._lock:
            return list(self._get(session).writes)

    def saves(self, session: SessionRef) -> list[dict[str, Any]]:
        """Every save request received for this session: the values sent and the HTTP status answered."""
        with self._lock:
            return [dict(save) for save in self._get(session).saves]

    def set_state(self, session: SessionRef, key: str, value: bool) -> None:
        """Change a setting behind the user's back (drift); not recorded as a write."""
        _check_key(key)
        with self._lock:
            self._get(session).states[key] = bool(value)

    def controls(self) -> list[dict[str, Any]]:
        """The controls this configuration shows: key, page path, section heading, title, help text, disabled."""
        config = self._config
        shown = []
        for page in pages.all_pages(config):
            for section in page.sections:
                for control in section.controls:
                    shown.append(
                        {
                            "key": control.key,
                            "page": page_path(page.name, config),
                            "section": section.heading,
                            "title": control.title,
                            "help": control.help,
                            "disabled": control.disabled,
                        }
                    )
        return shown

    def session_values(self) -> list[str]:
        with self._lock:
            return list(self._sessions)

    # The rest serves the web app.

    def anonymous(self) -> Session:
        return self._create(logged_in=False, states=None)

    def login(self) -> Session:
        return self._create(logged_in=True, states=None)

    def logout(self, value: str) -> None:
        with self._lock:
            session = self._sessions.get(value)
            if session:
                session.logged_in = False

    def find(self, value: str | None) -> Session | None:
        with self._lock:
            return self._sessions.get(value or "")

    def logged_in(self, value: str | None) -> Session | None:
        session = self.find(value)
        if session is None or not session.logged_in or self._config.has("logged_out"):
            return None
        return session

    def values_for(self, session: Session) -> dict[str, bool]:
        with self._lock:
            return self._effective(session.states)

    def note_languages(self, accept_language: str) -> None:
        with self._lock:
            self._languages.append(accept_language)

    def accept_languages(self) -> list[str]:
        """The Accept-Language header of every request so far, in order ("" where a request sent none)."""
        with self._lock:
            return list(self._languages)

    def take_notice(self, session: Session) -> str:
        with self._lock:
            notice, session.notice = session.notice, ""
            return notice

    def save(self, session: Session, options: Mapping[str, bool], notice: str = "") -> SaveOutcome:
        """Apply a save request: refuse it whole when it names a control the account cannot change."""
        config = self._config
        changeable = {c["key"] for c in self.controls() if not c["disabled"]}
        with self._lock:
            record: dict[str, Any] = {"options": dict(options), "time": time.time()}
            session.saves.append(record)
            refused = [key for key in options if key not in changeable]
            if refused:
                record["status"] = 400
                return SaveOutcome(400, [], "This setting can't be changed for your account.")
            if config.has("save_500"):
                record["status"] = 500
                return SaveOutcome(500, [], "Something went wrong on our end. Please try again.")
            persisted = []
            for key, value in options.items():
                if session.states.get(key) == value or config.drops(key):
                    continue
                session.states[key] = value
                session.writes.append((key, value))
                persisted.append((key, value))
            record["status"] = 200
            if notice:
                session.notice = notice
            return SaveOutcome(200, persisted)

    def _create(self, logged_in: bool, states: Mapping[str, bool] | None) -> Session:
        initial = dict(pages.DEFAULT_STATES)
        for key, value in (states or {}).items():
            _check_key(key)
            initial[key] = bool(value)
        session = Session(value=_session_value(), csrf=secrets.token_hex(16), logged_in=logged_in, states=initial)
        with self._lock:
            self._sessions[session.value] = session
        return session

    def _get(self, ref: SessionRef) -> Session:
        value = ref if isinstance(ref, str) else _session_cookie_value(ref)
        session = self._sessions.get(value)
        if session is None:
            raise UnknownSession(value)
        return session

    def _effective(self, states: Mapping[str, bool]) -> dict[str, bool]:
        locked = pages.locked_off(self._config)
        return {key: (False if key in locked else value) for key, value in states.items()}


def page_path(name: str, config: ReplicaConfig) -> str:
    return config.privacy_path if name == pages.PRIVACY else pages.PAGE_PATHS[name]


def chrome_cookies(
    session: Session, host: str = "www.pinterest.com", jar: str = "pinterest.com"
) -> list[dict[str, Any]]:
    """Cookies in the shape of `chrome.cookies.getAll`: some for the whole jar (`.pinterest.com`, as saved jars
    show; on a country domain `.pinterest.de`, whose exact Domain attribute no source shows), one host-only."""
    expires = float(int(time.time()) + COOKIE_LIFETIME)

    def cookie(name: str, value: str, http_only: bool, same_site: str, host_only: bool = False) -> dict[str, Any]:
        return {
            "name": name,
            "value": value,
            "domain": host if host_only else f".{jar}",
            "hostOnly": host_only,
            "path": "/",
            "secure": True,
            "httpOnly": http_only,
            "sameSite": same_site,
            "session": False,
            "expirationDate": expires,
            "storeId": "0",
        }

    return [
        cookie(SESSION_COOKIE, session.value, True, "no_restriction"),
        cookie(CSRF_COOKIE, session.csrf, False, "lax"),
        cookie("_auth", "1", True, "no_restriction"),
        cookie("_b", f'"{session.browser_id}"', True, "no_restriction"),
        cookie("_routing_id", f'"{session.routing_id}"', False, "strict", host_only=True),
    ]


def _session_value() -> str:
    return "TWc9PSZ" + secrets.token_urlsafe(48)


def _session_cookie_value(cookies: Iterable[Mapping[str, Any]]) -> str:
    for cookie in cookies:
        if cookie.get("name") == SESSION_COOKIE:
            return str(cookie.get("value", ""))
    raise UnknownSession("no _pinterest_sess cookie")


def _check_key(key: str) -> None:
    if key not in pages.ALL_KEYS:
        raise KeyError(f"Unknown setting key '{key}'.")
