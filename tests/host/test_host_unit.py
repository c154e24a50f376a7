"""The host's request handling, in process. Runs use a stand-in for the engine here only, to control timing;
tests/host/test_host_runs.py runs the real engine on the replica."""

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from native_host.engine.report import ProgressEvent, RunReport, SettingResult
from native_host.history.store import RunLock
from native_host.messaging.framing import MAX_REPLY_BYTES, encode_message
from native_host.messaging.host import Host
from native_host.paths import locks_dir
from native_host.rules.format import load_shipped_rules, shipped_rules_path
from native_host.statuses import RunStatus, SettingStatus

COOKIES = [
    {"name": "_pinterest_sess", "value": "secret-session", "domain": ".pinterest.com"},
    {"name": "other", "value": "elsewhere", "domain": ".example.com"},
]


class Recorder:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.condition = threading.Condition()

    def __call__(self, message: dict[str, Any]) -> None:
        encode_message(message)  # every reply must be JSON
        with self.condition:
            self.messages.append(message)
            self.condition.notify_all()

    def wait_for(self, predicate, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"not seen; got {self.messages}"
                self.condition.wait(remaining)

    def final(self, request_id: str) -> dict[str, Any]:
        return self.wait_for(lambda m: m["id"] == request_id and m["event"] in ("result", "error"))


class SlowEngine:
    """Stands in for the engine: reports progress, then waits until cancelled (or `release` is set)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls: list[tuple[str, list[dict], list[str]]] = []
        self.rules: list[Any] = []
        self.origins: list[str] = []

    def __call__(self, mode, rules, cookies, settings, on_progress, cancel, origin) -> RunReport:
        self.calls.append((mode, cookies, settings))
        self.origins.append(origin)
        self.rules.append(rules)
        on_progress(ProgressEvent("launching", "Starting", total=1))
        self.started.set()
        while not cancel.is_set() and not self.release.is_set():
            time.sleep(0.01)
        status = RunStatus.CANCELLED if cancel.is_set() else RunStatus.DONE
        result = SettingResult(
            "pinterest.genai.canvas_training", "AI training", SettingStatus.CHANGED, False, True, False, True
        )
        return RunReport(mode, rules.platform, status, [result], message=str(status), rules_version=rules.version)


@pytest.fixture()
def setup(tmp_path: Path):
    recorder, engine = Recorder(), SlowEngine()
    host = Host(recorder, run_function=engine, base=tmp_path)
    yield host, recorder, engine
    engine.release.set()
    host.shut_down(5)


def handle(host: Host, message: dict[str, Any]) -> None:
    host.dispatcher.handle_frame(encode_message(message))


def apply(request_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": request_id, "type": "apply", "platform": "pinterest", "cookies": COOKIES, **extra}


def test_a_run_streams_progress_then_its_result_and_is_kept_in_history(setup) -> None:
    host, recorder, engine = setup
    handle(host, apply("r1"))
    assert engine.started.wait(5)
    progress = recorder.wait_for(lambda m: m["event"] == "progress")
    assert progress["id"] == "r1" and progress["type"] == "apply" and progress["data"]["step"] == "launching"
    engine.release.set()
    result = recorder.final("r1")
    assert result["event"] == "result" and result["data"]["status"] == "done"
    assert result["data"]["rules_source"] == "shipped"
    mode, cookies, settings = engine.calls[0]
    assert mode == "apply" and [c["value"] for c in cookies] == ["secret-session"] and settings == []
    handle(host, {"id": "h", "type": "history"})
    runs = recorder.final("h")["data"]["runs"]
    assert [(run["run_id"], run["status"]) for run in runs] == [(result["data"]["run_id"], "done")]
    handle(host, {"id": "s", "type": "status", "platform": "pinterest"})
    status = recorder.final("s")["data"]
    assert status["settings"]["pinterest.genai.canvas_training"]["state"] is False


@pytest.mark.parametrize(
    ("extra", "origin", "sent"),
    [
        ({}, "https://www.pinterest.de", ["de-session"]),  # from the jar holding the session cookie
        ({"origin": "https://de.pinterest.com"}, "https://de.pinterest.com", ["com-session"]),
    ],
)
def test_a_run_goes_to_the_origin_asked_for_or_else_the_sessions_with_that_jar_only(
    setup, extra: dict, origin: str, sent: list
) -> None:
    host, recorder, engine = setup
    engine.release.set()
    cookies = [
        {"name": "_pinterest_sess", "value": "com-session", "domain": ".pinterest.com", "expirationDate": 1000.0},
        {"name": "_pinterest_sess", "value": "de-session", "domain": ".pinterest.de", "expirationDate": 2000.0},
    ]
    handle(host, apply("r1", cookies=cookies, **extra))
    result = recorder.final("r1")
    assert result["event"] == "result" and result["data"]["origin"] == origin
    assert engine.origins == [origin]
    assert [cookie["value"] for cookie in engine.calls[0][1]] == sent
    handle(host, {"id": "h", "type": "history"})
    assert recorder.final("h")["data"]["runs"][0]["origin"] == origin


def test_second_run_is_busy_and_cancel_ends_the_first_as_cancelled(setup) -> None:
    host, recorder, engine = setup
    handle(host, apply("r1"))
    assert engine.started.wait(5)
    handle(host, {"id": "r2", "type": "check", "platform": "pinterest", "cookies": []})
    assert recorder.final("r2")["error"]["name"] == "busy"
    handle(host, {"id": "c0", "type": "cancel", "run": "r2"})
    assert recorder.final("c0")["error"]["name"] == "not_running"
    handle(host, {"id": "c1", "type": "cancel", "run": "r1"})
    assert recorder.final("c1")["data"] == {"cancelled": True}
    assert recorder.final("r1")["data"]["status"] == "cancelled"
    assert host.active_runs() == [], "the run was answered before its platform was free"
    engine.started.clear()
    handle(host, apply("r3"))
    assert engine.started.wait(5), "the platform stays locked after a cancelled run"


def test_a_run_held_by_another_process_is_busy(setup, tmp_path: Path) -> None:
    host, recorder, engine = setup
    other = RunLock("pinterest", locks_dir(tmp_path))
    assert other.acquire()
    try:
        handle(host, apply("r1"))
        assert recorder.final("r1")["error"]["name"] == "busy"
        assert engine.calls == []
    finally:
        other.release()


@pytest.mark.parametrize(
    "message, error",
    [
        (apply("r1", platform="myspace"), "unknown_platform"),
        (apply("r1", settings=["pinterest.no_such_setting"]), "unknown_setting"),
        (
            apply("r1", bundle={"format": 1, "platform": "pinterest", "version": "1", "key_id": "0" * 16}),
            "rules_refused",
        ),
        ({"id": "r1", "type": "rules", "platform": "myspace"}, "unknown_platform"),
        ({"id": "r1", "type": "status", "platform": "myspace"}, "unknown_platform"),
    ],
)
def test_refused_runs_never_reach_the_engine(setup, message: dict, error: str) -> None:
    host, recorder, engine = setup
    handle(host, message)
    assert recorder.final("r1")["error"]["name"] == error
    assert engine.calls == []


def test_hello_and_rules(setup) -> None:
    host, recorder, _ = setup
    handle(host, {"id": "h", "type": "hello"})
    hello = recorder.final("h")["data"]
    rules = load_shipped_rules("pinterest")
    assert hello["platforms"]["pinterest"] == {"rules_version": rules.version, "rules_source": "shipped"}
    assert hello["protocol"] == 1 and "apply" in hello["capabilities"]
    handle(host, {"id": "r", "type": "rules", "platform": "pinterest"})
    data = recorder.final("r")["data"]
    assert data["version"] == rules.version and data["rules"]["platform"] == "pinterest"


def test_an_engine_bug_is_an_internal_error_and_a_failed_receipt(tmp_path: Path) -> None:
    recorder = Recorder()

    def broken(*args: Any) -> RunReport:
        raise RuntimeError("engine exploded")

    host = Host(recorder, run_function=broken, base=tmp_path)
    handle(host, apply("r1"))
    error = recorder.final("r1")["error"]
    assert error["name"] == "internal" and "engine exploded" in error["message"]
    host.shut_down(5)
    handle(host, {"id": "h", "type": "history"})
    assert recorder.final("h")["data"]["runs"][0]["status"] == "failed"


def test_history_is_cut_to_fit_the_reply_limit(setup) -> None:
    host, recorder, engine = setup
    big = "x" * 300_000
    for n in range(5):
        run_id = host.store.start_run(
            platform="pinterest",
            mode="check",
            settings=[],
            rules_version="1",
            rules_source="shipped",
            engine_version="1",
        )
        host.store.finish_run(run_id, RunReport("check", "pinterest", RunStatus.DONE, message=big + str(n)))
    handle(host, {"id": "h", "type": "history", "page_size": 5})
    reply = recorder.final("h")
    assert len(encode_message(reply)) <= MAX_REPLY_BYTES
    assert reply["data"]["truncated"] is True and reply["data"]["total"] == 5
    assert 1 <= len(reply["data"]["runs"]) < 5


def test_a_reply_over_the_limit_becomes_an_internal_error(setup) -> None:
    host, recorder, _ = setup
    from native_host.messaging.framing import FrameWriter

    class Sink:
        def __init__(self) -> None:
            self.data = b""

        def write(self, data: bytes) -> None:
            self.data += data

        def flush(self) -> None:
            pass

    sink = Sink()
    limited = Host(FrameWriter(sink).send, base=host.base)
    limited.send({"id": "x", "type": "rules", "event": "result", "data": {"big": "y" * MAX_REPLY_BYTES}, "error": None})
    from native_host.messaging.framing import decode_frames

    [message] = decode_frames(sink.data)
    assert message["id"] == "x" and message["error"]["name"] == "internal"


def test_duplicate_request_is_not_a_second_run(setup) -> None:
    host, recorder, engine = setup
    handle(host, apply("r1"))
    assert engine.started.wait(5)
    handle(host, apply("r1"))
    second = recorder.wait_for(lambda m: m["id"] == "r1" and m["event"] == "error")
    assert second["error"]["name"] == "bad_request"
    assert len(engine.calls) == 1


def signed_bundle(
    base: Path, trusted: bool = True, key=None, issued: datetime | None = None, **changes: Any
) -> dict[str, Any]:
    """The shipped rules (with `changes`) signed as the service signs them, by a key trusted in `base`."""
    import json

    from native_host.rules.signing import generate_private_key, public_key_entry, save_public_keys, sign_rules

    key = key or generate_private_key()
    if trusted:
        save_public_keys([public_key_entry(key.public_key())], base / "trusted_keys.json")
    document = {**json.loads(shipped_rules_path("pinterest").read_text()), **changes}
    return sign_rules(json.dumps(document).encode(), key, lifetime=timedelta(days=7), now=issued).envelope


def test_a_signed_bundle_from_a_trusted_key_is_the_rules_that_run(setup, tmp_path: Path) -> None:
    host, recorder, engine = setup
    handle(host, apply("r1", bundle=signed_bundle(tmp_path)))
    assert engine.started.wait(5)
    engine.release.set()
    result = recorder.final("r1")
    assert result["event"] == "result" and result["data"]["rules_source"] == "bundle"
    handle(host, {"id": "h", "type": "history"})
    assert recorder.final("h")["data"]["runs"][0]["rules_source"] == "bundle"


@pytest.mark.parametrize("damage", ["untrusted key", "changed bundle", "other platform"])
def test_a_bad_bundle_is_refused_never_replaced_by_other_rules(setup, tmp_path: Path, damage: str) -> None:
    host, recorder, engine = setup
    bundle = signed_bundle(tmp_path, trusted=damage != "untrusted key")
    if damage == "changed bundle":
        bundle["bundle"] = bundle["bundle"][:-8] + "AAAAAAA="
    if damage == "other platform":
        bundle["platform"] = "other"
    handle(host, apply("r1", bundle=bundle))
    error = recorder.final("r1")["error"]
    assert error["name"] == "rules_refused" and error["message"]
    assert engine.calls == []


NEWER = load_shipped_rules("pinterest").version + ".1"
NEWEST = load_shipped_rules("pinterest").version + ".2"


def test_an_older_signed_bundle_handed_over_in_an_apply_never_runs(setup, tmp_path: Path) -> None:
    """The reported attack: the host had verified a newer bundle; the extension hands over a validly signed
    older one (which lacks a rule) in an apply request. It used to run."""
    from native_host.rules.signing import generate_private_key

    host, recorder, engine = setup
    key = generate_private_key()
    handle(
        host,
        {
            "id": "new",
            "type": "rules",
            "platform": "pinterest",
            "bundle": signed_bundle(tmp_path, key=key, version=NEWEST),
        },
    )
    assert recorder.final("new")["data"]["version"] == NEWEST
    old_settings = [s for s in load_shipped_rules_document()["settings"] if "canvas" not in s["id"]]
    old = signed_bundle(tmp_path, key=key, version=NEWER, settings=old_settings)
    handle(host, apply("r1", bundle=old))
    error = recorder.final("r1")["error"]
    assert error["name"] == "rules_refused"
    assert f"version {NEWER} is older than version {NEWEST} already verified" in error["message"]
    assert engine.calls == []


def test_the_rules_request_answers_the_verified_copy_and_says_why_a_bundle_was_refused(setup, tmp_path: Path) -> None:
    from native_host.rules.signing import generate_private_key

    host, recorder, _ = setup
    key = generate_private_key()
    good = signed_bundle(tmp_path, key=key, version=NEWEST)
    handle(host, {"id": "a", "type": "rules", "platform": "pinterest", "bundle": good})
    accepted = recorder.final("a")["data"]
    assert (accepted["source"], accepted["version"], accepted["rules"]["version"]) == ("cache", NEWEST, NEWEST)
    assert accepted["expires"] == accepted["rules"]["expires"] and "refused" not in accepted
    forged = signed_bundle(tmp_path / "elsewhere", trusted=False, version="9999.1")
    handle(host, {"id": "b", "type": "rules", "platform": "pinterest", "bundle": forged})
    answer = recorder.final("b")["data"]
    assert (answer["source"], answer["version"]) == ("cache", NEWEST)
    assert "does not trust" in answer["refused"]
    assert answer["rules"] == accepted["rules"]


@pytest.mark.parametrize(
    ("sites", "refusal"),
    [
        (
            [{"cookie_domain": "evil.example", "hosts": ["www.evil.example"]}],
            "cookie domain evil.example, which is not one of pinterest's own domains",
        ),
        (  # a signed bundle cannot widen a jar Pinterest has with a host it does not use
            [{"cookie_domain": "pinterest.com", "hosts": ["www.pinterest.com", "www.evil.example"]}],
            "host www.evil.example, which is not one of pinterest's own hosts",
        ),
    ],
)
def test_a_pinterest_bundle_naming_a_site_not_pinterests_is_refused(
    setup, tmp_path: Path, sites: list, refusal: str
) -> None:
    import json

    host, recorder, engine = setup
    text = shipped_rules_path("pinterest").read_text()
    if sites[0]["cookie_domain"] != "pinterest.com":
        text = text.replace("https://www.pinterest.com", "https://www.evil.example")
    moved = {**json.loads(text), "sites": sites, "version": NEWEST}
    from native_host.rules.signing import generate_private_key, public_key_entry, save_public_keys, sign_bundle, stamp

    key = generate_private_key()
    save_public_keys([public_key_entry(key.public_key())], tmp_path / "trusted_keys.json")
    now = datetime.now(UTC)
    moved.update(issued=stamp(now), expires=stamp(now + timedelta(days=1)))
    bundle = sign_bundle(json.dumps(moved).encode(), "pinterest", NEWEST, key)  # signed, so only the host can refuse
    handle(host, apply("r1", bundle=bundle))
    error = recorder.final("r1")["error"]
    assert error["name"] == "rules_refused"
    assert refusal in error["message"]
    assert engine.calls == []


def test_an_expired_or_future_bundle_is_refused(setup, tmp_path: Path) -> None:
    host, recorder, engine = setup
    expired = signed_bundle(tmp_path, issued=datetime.now(UTC) - timedelta(days=8), version=NEWER)
    handle(host, apply("r1", bundle=expired))
    assert "expired on" in recorder.final("r1")["error"]["message"]
    future = signed_bundle(tmp_path, issued=datetime(2999, 1, 1, tzinfo=UTC), version="2999.1")
    handle(host, {"id": "r2", "type": "rules", "platform": "pinterest", "bundle": future})
    answer = recorder.final("r2")["data"]
    assert answer["source"] == "shipped" and "more than a day ahead" in answer["refused"]
    assert engine.calls == []


def test_hello_reports_a_newer_cached_bundle_and_rules_serves_it(setup, tmp_path: Path) -> None:
    from native_host.rules.sources import accept_bundle

    host, recorder, _ = setup
    accept_bundle(signed_bundle(tmp_path, version=NEWER), "pinterest", data_dir=tmp_path)

    handle(host, {"id": "h", "type": "hello"})
    hello = recorder.final("h")["data"]
    assert hello["platforms"]["pinterest"] == {"rules_version": NEWER, "rules_source": "cache"}
    assert (hello["practice"], hello["site_map"]) == (False, {})
    handle(host, {"id": "r", "type": "rules", "platform": "pinterest"})
    data = recorder.final("r")["data"]
    assert data["source"] == "cache" and data["version"] == NEWER == data["rules"]["version"]


def test_a_practice_host_says_so_in_hello_every_report_and_the_history(tmp_path: Path) -> None:
    recorder, engine = Recorder(), SlowEngine()
    site_map = {"https://www.pinterest.com": "http://127.0.0.1:9"}
    host = Host(recorder, run_function=engine, base=tmp_path, site_map=site_map)
    handle(host, {"id": "h", "type": "hello"})
    hello = recorder.final("h")["data"]
    assert (hello["practice"], hello["site_map"]) == (True, site_map)
    engine.release.set()
    handle(host, apply("r1"))
    assert recorder.final("r1")["data"]["practice"] is True
    host.shut_down(5)
    handle(host, {"id": "hist", "type": "history"})
    assert recorder.final("hist")["data"]["runs"][0]["practice"] is True


def test_the_installed_host_ignores_a_site_map_in_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from native_host.engine import run as engine

    monkeypatch.setenv("OPTOUT_SITE_MAP", "https://www.pinterest.com=http://127.0.0.1:9")
    seen: list[engine.RunOptions] = []

    def fake_check(rules, cookies, settings, options, on_progress, cancel, origin) -> RunReport:
        seen.append(options)
        return RunReport("check", rules.platform, RunStatus.DONE)

    monkeypatch.setattr(engine, "check", fake_check)
    recorder = Recorder()
    host = Host(recorder, base=tmp_path)  # as host.main builds it for the browser
    handle(host, {"id": "h", "type": "hello"})
    assert recorder.final("h")["data"]["practice"] is False
    handle(host, {"id": "c", "type": "check", "platform": "pinterest", "cookies": []})
    assert recorder.final("c")["data"]["practice"] is False
    assert [options.site_map for options in seen] == [{}]


def load_shipped_rules_document() -> dict[str, Any]:
    import json

    return json.loads(shipped_rules_path("pinterest").read_text())


def test_hello_does_not_report_a_cached_bundle_once_it_has_expired(tmp_path: Path) -> None:
    from native_host.rules.paths import peek_rules_version
    from native_host.rules.sources import accept_bundle

    accept_bundle(signed_bundle(tmp_path, version=NEWER), "pinterest", data_dir=tmp_path)
    assert peek_rules_version("pinterest", tmp_path) == (NEWER, "cache")
    later = datetime.now(UTC) + timedelta(days=8)
    assert peek_rules_version("pinterest", tmp_path, now=later) == (load_shipped_rules("pinterest").version, "shipped")


def test_taught_wordings_reach_the_engine_with_the_rules_they_name(setup) -> None:
    host, recorder, engine = setup
    engine.release.set()
    canvas = "pinterest.genai.canvas_training"
    handle(host, apply("r1", wordings={canvas: ["Let Pinterest's AI learn from your Pins"]}))
    assert recorder.final("r1")["event"] == "result"
    taught = {setting.id: setting.taught for setting in engine.rules[0].settings}
    assert taught[canvas] == ("Let Pinterest's AI learn from your Pins",)
    assert not any(words for setting_id, words in taught.items() if setting_id != canvas)


def test_taught_wordings_for_a_setting_the_rules_lack_never_reach_the_engine(setup) -> None:
    host, recorder, engine = setup
    handle(host, apply("r1", wordings={"pinterest.made_up": ["Anything"]}))
    error = recorder.final("r1")["error"]
    assert error["name"] == "unknown_setting" and "'pinterest.made_up'" in error["message"]
    assert engine.calls == []
