"""The native messaging protocol (docs/protocol.md): the reply envelope, request validation, the caller check and
dispatch of each request to its handler.

Nothing here touches the engine, the store or a stream: the host (native_host/messaging/host.py) supplies the handlers
and the function that sends a reply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from native_host.engine.cookies import CookieError, check_cookies
from native_host.extension_ids import GECKO_ID, default_chrome_extension_id, is_chrome_extension_id
from native_host.languages import MAX_LANGUAGES, is_language_tag
from native_host.messaging.errors import ErrorCode
from native_host.rules.domains import DomainsError, domains_of, https_host
from native_host.rules.wordings import WordingsError, parse_wordings

PROTOCOL_VERSION = 1
HOST_NAME = "com.optout.host"
MAX_ID_LENGTH = 64
MAX_PAGE_SIZE = 100
CHROME_ORIGIN_PREFIX = "chrome-extension://"


class MessageType(StrEnum):
    HELLO = "hello"
    RULES = "rules"
    CHECK = "check"
    APPLY = "apply"
    CANCEL = "cancel"
    STATUS = "status"
    HISTORY = "history"


class Event(StrEnum):
    PROGRESS = "progress"
    RESULT = "result"
    ERROR = "error"


CAPABILITIES = ["check", "apply", "cancel", "status", "history", "rules", "progress"]
RUN_TYPES = frozenset({MessageType.CHECK, MessageType.APPLY})


class ProtocolError(Exception):
    """A request the host answers with an `error` reply."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Request:
    id: str
    type: MessageType
    params: dict[str, Any] = field(default_factory=dict)


class RequestError(ProtocolError):
    """A request that failed validation; carries whatever of its id and type could be read, for the reply."""

    def __init__(self, code: ErrorCode, message: str, request_id: str | None, request_type: str | None) -> None:
        super().__init__(code, message)
        self.request_id = request_id
        self.request_type = request_type


# ---- the envelope -------------------------------------------------------------------------------------------


def envelope(
    request_id: str | None,
    request_type: str | None,
    event: Event,
    data: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {"id": request_id, "type": request_type, "event": str(event), "data": data, "error": error}


def result_reply(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    return envelope(request.id, str(request.type), Event.RESULT, data=data)


def progress_reply(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    return envelope(request.id, str(request.type), Event.PROGRESS, data=data)


def error_reply(request_id: str | None, request_type: str | None, code: ErrorCode, message: str) -> dict[str, Any]:
    return envelope(
        request_id, request_type, Event.ERROR, error={"code": int(code), "name": code.slug, "message": message}
    )


# ---- request validation -------------------------------------------------------------------------------------


def parse_request(body: bytes) -> Request:
    """Validate one frame's body into a Request; RequestError says what is wrong and carries the id if readable."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RequestError(ErrorCode.BAD_FRAME, "The message is not UTF-8 JSON.", None, None) from None
    if not isinstance(document, dict):
        raise RequestError(ErrorCode.BAD_FRAME, "The message is not a JSON object.", None, None)
    raw_id = document.get("id")
    request_id = raw_id if _is_valid_id(raw_id) else None
    raw_type = document.get("type")
    request_type = raw_type if raw_type in MessageType.__members__.values() else None
    if request_id is None:
        raise RequestError(
            ErrorCode.BAD_REQUEST, f"'id' must be a string of 1 to {MAX_ID_LENGTH} characters.", None, request_type
        )
    if not isinstance(raw_type, str):
        raise RequestError(ErrorCode.BAD_REQUEST, "'type' must be a string.", request_id, None)
    if request_type is None:
        known = ", ".join(member.value for member in MessageType)
        raise RequestError(
            ErrorCode.UNKNOWN_TYPE, f"Unknown type '{raw_type[:64]}'. Known types: {known}.", request_id, None
        )
    message_type = MessageType(request_type)
    try:
        _check_protocol(document)
        params = _VALIDATORS[message_type](document)
    except ProtocolError as error:
        raise RequestError(error.code, error.message, request_id, request_type) from None
    return Request(id=request_id, type=message_type, params=params)


def _is_valid_id(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= MAX_ID_LENGTH


def _bad(message: str) -> ProtocolError:
    return ProtocolError(ErrorCode.BAD_REQUEST, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_protocol(document: dict[str, Any]) -> None:
    if "protocol" not in document:
        return
    version = document["protocol"]
    if not _is_int(version):
        raise _bad("'protocol' must be an integer.")
    if version > PROTOCOL_VERSION:
        raise ProtocolError(
            ErrorCode.UNSUPPORTED_PROTOCOL,
            f"The extension speaks protocol {version}; this host speaks {PROTOCOL_VERSION}. Update Optout.",
        )


def _string(document: dict[str, Any], name: str, required: bool) -> str | None:
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise _bad(f"'{name}' must be a non-empty string.")
    return value


def _integer(document: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = document.get(name, default)
    if not _is_int(value) or not low <= value <= high:
        raise _bad(f"'{name}' must be an integer from {low} to {high}.")
    return value


def _no_fields(document: dict[str, Any]) -> dict[str, Any]:
    return {}


def _platform_only(document: dict[str, Any]) -> dict[str, Any]:
    return {"platform": _string(document, "platform", required=True)}


def _rules_fields(document: dict[str, Any]) -> dict[str, Any]:
    return {"platform": _string(document, "platform", required=True), "bundle": _bundle(document)}


def _bundle(document: dict[str, Any]) -> dict[str, Any] | None:
    bundle = document.get("bundle")
    if bundle is not None and not isinstance(bundle, dict):
        raise _bad("'bundle' must be an object (a signed rules bundle).")
    return bundle


def _run_fields(document: dict[str, Any]) -> dict[str, Any]:
    platform = _string(document, "platform", required=True)
    settings = document.get("settings")
    if settings is None:
        settings = []
    if not isinstance(settings, list) or not all(isinstance(item, str) and item for item in settings):
        raise _bad("'settings' must be a list of setting ids.")
    try:
        cookies = check_cookies(document.get("cookies"))
    except CookieError as error:
        raise _bad(f"'cookies': {error}.") from None
    try:
        wordings = parse_wordings(document.get("wordings"))
    except WordingsError as error:
        raise _bad(f"'wordings': {error}") from None
    return {
        "platform": platform,
        "settings": settings,
        "cookies": cookies,
        "bundle": _bundle(document),
        "wordings": wordings,
        "languages": _languages(document),
        "origin": _origin(document, platform),
    }


def _languages(document: dict[str, Any]) -> tuple[str, ...]:
    """The person's browser languages (navigator.languages), most wanted first; none given: ()."""
    languages = document.get("languages")
    if languages is None:
        return ()
    if (
        not isinstance(languages, list)
        or len(languages) > MAX_LANGUAGES
        or not all(is_language_tag(tag) for tag in languages)
    ):
        raise _bad(f"'languages' must be a list of at most {MAX_LANGUAGES} language tags such as \"de-DE\".")
    return tuple(dict.fromkeys(languages))


def _origin(document: dict[str, Any], platform: str) -> str | None:
    """The origin the run goes to, one of the platform's own sites; None: the host reads it from the cookies."""
    origin = _string(document, "origin", required=False)
    if origin is None:
        return None
    try:
        domains = domains_of(platform)
    except DomainsError as error:
        raise _bad(f"'origin': {error}") from None
    if domains.site_for(origin) is None:
        raise _bad(
            f"'origin' must be one of {platform}'s own sites, written https://HOST, such as "
            f"{domains.sites[0].home}; {origin[:100]!r} is not."
        )
    return f"https://{https_host(origin)}"


def _cancel_fields(document: dict[str, Any]) -> dict[str, Any]:
    run = document.get("run")
    if not _is_valid_id(run):
        raise _bad("'run' must be the id of the running request.")
    return {"run": run}


def _history_fields(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "page": _integer(document, "page", 1, 1, 1_000_000),
        "page_size": _integer(document, "page_size", 20, 1, MAX_PAGE_SIZE),
        "platform": _string(document, "platform", required=False),
    }


_VALIDATORS: dict[MessageType, Callable[[dict[str, Any]], dict[str, Any]]] = {
    MessageType.HELLO: _no_fields,
    MessageType.RULES: _rules_fields,
    MessageType.CHECK: _run_fields,
    MessageType.APPLY: _run_fields,
    MessageType.CANCEL: _cancel_fields,
    MessageType.STATUS: _platform_only,
    MessageType.HISTORY: _history_fields,
}


# ---- the caller ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """Who started the host: a Chrome-family extension (by id) or a Firefox add-on (by gecko id)."""

    browser_family: str  # "chrome", "firefox" or "unknown"
    extension_id: str | None


@dataclass(frozen=True)
class AllowedCallers:
    chrome_ids: frozenset[str]
    gecko_ids: frozenset[str]

    def allows(self, caller: Caller) -> bool:
        if caller.extension_id is None:
            return False
        if caller.browser_family == "chrome":
            return caller.extension_id in self.chrome_ids
        if caller.browser_family == "firefox":
            return caller.extension_id in self.gecko_ids
        return False

    def to_json(self) -> dict[str, list[str]]:
        return {"chrome_ids": sorted(self.chrome_ids), "gecko_ids": sorted(self.gecko_ids)}

    @classmethod
    def from_json(cls, document: Any) -> AllowedCallers:
        if not isinstance(document, dict):
            raise ValueError("the list of served extensions is not a JSON object")
        chrome_ids = document.get("chrome_ids", [])
        gecko_ids = document.get("gecko_ids", [])
        if not all(isinstance(item, str) for item in [*chrome_ids, *gecko_ids]):
            raise ValueError("extension ids must be strings")
        return cls(frozenset(chrome_ids), frozenset(gecko_ids))

    @classmethod
    def defaults(cls) -> AllowedCallers:
        chrome_id = default_chrome_extension_id()
        return cls(frozenset([chrome_id] if chrome_id else []), frozenset([GECKO_ID]))


def caller_from_argv(args: list[str]) -> Caller:
    """Chrome passes `chrome-extension://ID/` (and on Windows `--parent-window=N`); Firefox passes the path of
    the app manifest and then the add-on id."""
    if args and args[0].startswith(CHROME_ORIGIN_PREFIX):
        extension_id = args[0][len(CHROME_ORIGIN_PREFIX) :].rstrip("/")
        return Caller("chrome", extension_id if is_chrome_extension_id(extension_id) else None)
    if len(args) >= 2 and not args[1].startswith("--"):
        return Caller("firefox", args[1] or None)
    return Caller("unknown", None)


# ---- dispatch ------------------------------------------------------------------------------------------------

Handler = Callable[[Request], "dict[str, Any] | None"]
"""Answers a request: the result's data, or None when the handler replies later itself (a run)."""


class Dispatcher:
    """Routes each frame to its handler and makes sure every request ends in exactly one reply or a run."""

    def __init__(
        self,
        handlers: Mapping[MessageType, Handler],
        send: Callable[[dict[str, Any]], None],
        caller_allowed: bool = True,
    ) -> None:
        self._handlers = handlers
        self._send = send
        self._caller_allowed = caller_allowed

    def handle_frame(self, body: bytes) -> None:
        try:
            request = parse_request(body)
        except RequestError as error:
            self._send(error_reply(error.request_id, error.request_type, error.code, error.message))
            return
        self.handle(request)

    def handle(self, request: Request) -> None:
        if not self._caller_allowed:
            self.send_error(
                request, ErrorCode.FORBIDDEN_CALLER, "This host does not serve the extension that started it."
            )
            return
        try:
            data = self._handlers[request.type](request)
        except ProtocolError as error:
            self.send_error(request, error.code, error.message)
            return
        except Exception as error:  # a bug in a handler: answer it and keep serving
            self.send_error(request, ErrorCode.INTERNAL, f"Internal error: {type(error).__name__}: {error}")
            return
        if data is not None:
            self._send(result_reply(request, data))

    def send_error(self, request: Request, code: ErrorCode, message: str) -> None:
        self._send(error_reply(request.id, str(request.type), code, message))

    def too_large(self, message: str) -> None:
        self._send(error_reply(None, None, ErrorCode.TOO_LARGE, message))
