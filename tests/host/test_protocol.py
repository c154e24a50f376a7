import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from native_host.extension_ids import GECKO_ID
from native_host.messaging.errors import ErrorCode
from native_host.messaging.protocol import (
    PROTOCOL_VERSION,
    AllowedCallers,
    Caller,
    Dispatcher,
    MessageType,
    ProtocolError,
    RequestError,
    caller_from_argv,
    parse_request,
)

COOKIE = {"name": "_pinterest_sess", "value": "v", "domain": ".pinterest.com"}


def body(document: Any) -> bytes:
    return json.dumps(document).encode()


def refusal(document: Any) -> RequestError:
    with pytest.raises(RequestError) as raised:
        parse_request(body(document) if not isinstance(document, bytes) else document)
    return raised.value


@pytest.mark.parametrize(
    "document, params",
    [
        ({"id": "1", "type": "hello"}, {}),
        ({"id": "1", "type": "hello", "protocol": PROTOCOL_VERSION}, {}),
        ({"id": "1", "type": "rules", "platform": "pinterest"}, {"platform": "pinterest", "bundle": None}),
        ({"id": "1", "type": "status", "platform": "pinterest"}, {"platform": "pinterest"}),
        ({"id": "1", "type": "cancel", "run": "r2"}, {"run": "r2"}),
        ({"id": "1", "type": "history"}, {"page": 1, "page_size": 20, "platform": None}),
        (
            {"id": "1", "type": "history", "page": 3, "page_size": 5, "platform": "pinterest"},
            {"page": 3, "page_size": 5, "platform": "pinterest"},
        ),
        (
            {"id": "1", "type": "check", "platform": "pinterest", "cookies": [COOKIE]},
            {
                "platform": "pinterest",
                "settings": [],
                "cookies": [COOKIE],
                "bundle": None,
                "wordings": {},
                "languages": (),
                "origin": None,
            },
        ),
        (
            {"id": "1", "type": "apply", "platform": "pinterest", "cookies": [], "settings": ["a.b"], "bundle": {}},
            {
                "platform": "pinterest",
                "settings": ["a.b"],
                "cookies": [],
                "bundle": {},
                "wordings": {},
                "languages": (),
                "origin": None,
            },
        ),
        (
            {"id": "1", "type": "check", "platform": "pinterest", "cookies": [], "origin": "https://de.pinterest.com"},
            {
                "platform": "pinterest",
                "settings": [],
                "cookies": [],
                "bundle": None,
                "wordings": {},
                "languages": (),
                "origin": "https://de.pinterest.com",
            },
        ),
    ],
)
def test_valid_requests(document: dict, params: dict) -> None:
    request = parse_request(body(document))
    assert request.id == "1"
    assert request.type == MessageType(document["type"])
    assert request.params == params


@pytest.mark.parametrize(
    "document, code, keeps_id",
    [
        (b"\xff\xfe", ErrorCode.BAD_FRAME, False),
        (b"{not json", ErrorCode.BAD_FRAME, False),
        (b"[1, 2]", ErrorCode.BAD_FRAME, False),
        (b'"hello"', ErrorCode.BAD_FRAME, False),
        (b"[" * 100_000 + b"]" * 100_000, ErrorCode.BAD_FRAME, False),
        ({"type": "hello"}, ErrorCode.BAD_REQUEST, False),
        ({"id": "", "type": "hello"}, ErrorCode.BAD_REQUEST, False),
        ({"id": "x" * 65, "type": "hello"}, ErrorCode.BAD_REQUEST, False),
        ({"id": 7, "type": "hello"}, ErrorCode.BAD_REQUEST, False),
        ({"id": "1"}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": 3}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "fly"}, ErrorCode.UNKNOWN_TYPE, True),
        ({"id": "1", "type": "hello", "protocol": PROTOCOL_VERSION + 1}, ErrorCode.UNSUPPORTED_PROTOCOL, True),
        ({"id": "1", "type": "hello", "protocol": "1"}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "hello", "protocol": True}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "rules"}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "status", "platform": 5}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "cancel"}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "cancel", "run": ""}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "history", "page": 0}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "history", "page_size": 101}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "history", "page": True}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "apply", "platform": "pinterest"}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "apply", "platform": "pinterest", "cookies": {}}, ErrorCode.BAD_REQUEST, True),
        ({"id": "1", "type": "apply", "platform": "pinterest", "cookies": [1]}, ErrorCode.BAD_REQUEST, True),
        (
            {"id": "1", "type": "apply", "platform": "pinterest", "cookies": [{"name": "a"}]},
            ErrorCode.BAD_REQUEST,
            True,
        ),
        (
            {"id": "1", "type": "check", "platform": "pinterest", "cookies": [], "settings": "a"},
            ErrorCode.BAD_REQUEST,
            True,
        ),
        (
            {"id": "1", "type": "check", "platform": "pinterest", "cookies": [], "bundle": "signed"},
            ErrorCode.BAD_REQUEST,
            True,
        ),
    ],
)
def test_invalid_requests(document: Any, code: ErrorCode, keeps_id: bool) -> None:
    error = refusal(document)
    assert error.code == code
    assert error.request_id == ("1" if keeps_id else None)
    assert error.message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
request_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=70), json_values),
        "type": st.one_of(st.sampled_from([member.value for member in MessageType]), json_values),
        "protocol": json_values,
        "platform": json_values,
        "cookies": json_values,
        "settings": json_values,
        "run": json_values,
        "page": json_values,
        "page_size": json_values,
        "bundle": json_values,
    },
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(request_like.map(lambda document: json.dumps(document).encode()), st.binary(max_size=64)))
def test_any_body_is_a_request_or_a_request_error(raw: bytes) -> None:
    try:
        request = parse_request(raw)
    except RequestError as error:
        assert isinstance(error.code, ErrorCode)
        assert error.request_id is None or 1 <= len(error.request_id) <= 64
    else:
        assert isinstance(request.params, dict)


@pytest.mark.parametrize(
    "argv, caller",
    [
        (
            ["chrome-extension://dbmmopnamnlgmmmecnjediacchlcdaoi/"],
            Caller("chrome", "dbmmopnamnlgmmmecnjediacchlcdaoi"),
        ),
        (
            ["chrome-extension://dbmmopnamnlgmmmecnjediacchlcdaoi/", "--parent-window=0"],
            Caller("chrome", "dbmmopnamnlgmmmecnjediacchlcdaoi"),
        ),
        (["chrome-extension://not-an-id/"], Caller("chrome", None)),
        (["/home/me/.mozilla/native-messaging-hosts/com.optout.host.json", GECKO_ID], Caller("firefox", GECKO_ID)),
        ([], Caller("unknown", None)),
        (["--help"], Caller("unknown", None)),
    ],
)
def test_caller_from_argv(argv: list[str], caller: Caller) -> None:
    assert caller_from_argv(argv) == caller


def test_allowed_callers() -> None:
    allowed = AllowedCallers(frozenset({"dbmmopnamnlgmmmecnjediacchlcdaoi"}), frozenset({GECKO_ID}))
    assert allowed.allows(Caller("chrome", "dbmmopnamnlgmmmecnjediacchlcdaoi"))
    assert not allowed.allows(Caller("chrome", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
    assert allowed.allows(Caller("firefox", GECKO_ID))
    assert not allowed.allows(Caller("firefox", "dbmmopnamnlgmmmecnjediacchlcdaoi"))
    assert not allowed.allows(Caller("unknown", None))
    assert AllowedCallers.from_json(allowed.to_json()) == allowed


def test_dispatcher_answers_each_request_once() -> None:
    sent: list[dict] = []

    def broken(request: Any) -> dict:
        raise KeyError("oops")

    def refused(request: Any) -> dict:
        raise ProtocolError(ErrorCode.BUSY, "busy now")

    handlers = {member: (lambda request: {"echo": request.id}) for member in MessageType}
    handlers[MessageType.STATUS] = broken
    handlers[MessageType.CANCEL] = refused
    handlers[MessageType.APPLY] = lambda request: None  # answers later by itself
    dispatcher = Dispatcher(handlers, sent.append)
    dispatcher.handle_frame(body({"id": "h", "type": "hello"}))
    dispatcher.handle_frame(body({"id": "s", "type": "status", "platform": "p"}))
    dispatcher.handle_frame(body({"id": "c", "type": "cancel", "run": "x"}))
    dispatcher.handle_frame(body({"id": "a", "type": "apply", "platform": "p", "cookies": []}))
    dispatcher.handle_frame(b"nope")
    assert [(m["id"], m["event"]) for m in sent] == [
        ("h", "result"),
        ("s", "error"),
        ("c", "error"),
        (None, "error"),
    ]
    assert sent[0]["data"] == {"echo": "h"}
    assert sent[1]["error"]["code"] == ErrorCode.INTERNAL and "oops" in sent[1]["error"]["message"]
    assert sent[2]["error"] == {"code": 5, "name": "busy", "message": "busy now"}
    assert sent[3]["error"]["name"] == "bad_frame" and sent[3]["type"] is None


def test_forbidden_caller_gets_forbidden_for_every_request() -> None:
    sent: list[dict] = []
    dispatcher = Dispatcher({member: (lambda request: {}) for member in MessageType}, sent.append, caller_allowed=False)
    dispatcher.handle_frame(body({"id": "h", "type": "hello"}))
    assert sent[0]["error"]["name"] == "forbidden_caller" and sent[0]["id"] == "h"


def test_taught_wordings_are_checked_once_with_the_request() -> None:
    request = {"id": "1", "type": "check", "platform": "pinterest", "cookies": []}
    taught = parse_request(body({**request, "wordings": {"a.b": ["Let AI learn", "Let AI learn"]}}))
    assert taught.params["wordings"] == {"a.b": ("Let AI learn",)}
    for wordings, words in (
        (["Let AI learn"], "must be an object"),
        ({"a.b": "Let AI learn"}, "must be a list of texts"),
        ({"a.b": ["x" * 301]}, "longer than 300 characters"),
        ({"a.b": [f"w{n}" for n in range(11)]}, "more than 10"),
    ):
        error = refusal({**request, "wordings": wordings})
        assert error.code == ErrorCode.BAD_REQUEST and error.request_id == "1"
        assert error.message.startswith("'wordings': ") and words in error.message


def test_the_persons_languages_are_checked_once_with_the_request() -> None:
    request = {"id": "1", "type": "apply", "platform": "pinterest", "cookies": []}
    given = parse_request(body({**request, "languages": ["de-DE", "de", "en", "de"]}))
    assert given.params["languages"] == ("de-DE", "de", "en")
    assert parse_request(body({**request, "languages": ["zh-Hant-TW", "es-419", "pt-PT"]})).params["languages"] == (
        "zh-Hant-TW",
        "es-419",
        "pt-PT",
    )
    for languages in (
        "de-DE",  # not a list
        ["de-DE", 5],
        ["de_DE"],  # a POSIX locale name, not a language tag
        ["deutsch-land-x"],
        [""],
        ["de;q=0.9"],
        ["x" * 40],
        [f"de-{region}" for region in ("AT", "BE", "CH", "DE", "IT", "LI", "LU", "NL", "DK", "PL", "CZ")],  # 11
    ):
        error = refusal({**request, "languages": languages})
        assert error.code == ErrorCode.BAD_REQUEST and error.request_id == "1"
        assert error.message.startswith("'languages' must be a list of at most 10 language tags"), languages


@pytest.mark.parametrize(
    "origin",
    [
        "https://www.pinterest.com.evil.example",  # a lookalike
        "http://www.pinterest.de",  # not https
        "https://www.pinterest.de:8443",  # another port
        "https://www.pinterest.de/settings",  # not an origin
        "https://evil.pinterest.com",  # a subdomain Pinterest does not use
        "https://pinterest.de",  # a jar, not a web host
        "",
        7,
    ],
)
def test_a_run_origin_must_be_one_of_the_platforms_sites(origin: Any) -> None:
    document = {"id": "1", "type": "apply", "platform": "pinterest", "cookies": [], "origin": origin}
    error = refusal(document)
    assert (error.code, error.request_id) == (ErrorCode.BAD_REQUEST, "1")
    assert "'origin'" in error.message
    if isinstance(origin, str) and origin:
        assert "one of pinterest's own sites" in error.message and "https://www.pinterest.com" in error.message
