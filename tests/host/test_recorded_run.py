"""The one recorded-run path of the host and the CLI: a typed request, the lock, the sweep, the receipt."""

import json
import threading
from pathlib import Path

import pytest

from native_host.engine.report import RunReport
from native_host.history.recorded_run import OriginError, RecordedRun, RunBusy, RunMode, RunRequest
from native_host.history.store import RunLock, Store
from native_host.rules.format import RulesError, load_shipped_rules, parse_rules
from native_host.rules.paths import shipped_rules_path
from native_host.statuses import RunStatus

RULES = load_shipped_rules("pinterest")
RULES_DOCUMENT = json.loads(shipped_rules_path("pinterest").read_text(encoding="utf-8"))
COOKIES = [
    {"name": "_pinterest_sess", "value": "secret", "domain": ".pinterest.com"},
    {"name": "elsewhere", "value": "other", "domain": ".example.com"},
]


def request(**changes) -> RunRequest:
    arguments = {"mode": "apply", "rules": RULES, "rules_source": "shipped", "settings": None, "cookies": COOKIES}
    arguments.update(changes)
    return RunRequest.parse(**arguments)


def test_a_request_is_parsed_once_into_types() -> None:
    parsed = request(settings=["pinterest.genai.canvas_training", "pinterest.genai.canvas_training"])
    assert parsed.mode is RunMode.APPLY
    assert parsed.settings == ("pinterest.genai.canvas_training",)
    assert [cookie["name"] for cookie in parsed.cookies] == ["_pinterest_sess"]  # only the rules' cookie domain
    assert parsed.practice is False
    assert request(site_map={"https://www.pinterest.com": "http://127.0.0.1:9"}).practice is True
    with pytest.raises(RulesError, match="Unknown setting 'pinterest.nope'"):
        request(settings=["pinterest.nope"])
    with pytest.raises(ValueError):
        request(mode="delete")
    assert parsed.languages == ()  # none given: the browser's own default, never a forced English
    assert request(languages=["de-DE", "de", "de-DE"]).languages == ("de-DE", "de")


def jar(domain: str, value: str, expires: float | None = None, name: str = "_pinterest_sess") -> dict:
    cookie = {"name": name, "value": value, "domain": domain}
    if expires is not None:
        cookie["expirationDate"] = expires
    return cookie


@pytest.mark.parametrize(
    ("cookies", "origin"),
    [
        ([jar(".pinterest.de", "de"), jar(".pinterest.de", "b", name="_b")], "https://www.pinterest.de"),
        ([jar(".pinterest.com", "com")], "https://www.pinterest.com"),
        ([jar("de.pinterest.com", "sub")], "https://de.pinterest.com"),  # a session set on one host only
        ([jar(".pinterest.co.uk", "uk")], "https://www.pinterest.co.uk"),
        ([jar(".example.com", "x")], "https://www.pinterest.com"),  # no Pinterest session: the canonical origin
        ([], "https://www.pinterest.com"),
        # Two jars with a session: the one Pinterest refreshed last, as the extension decides
        ([jar(".pinterest.com", "com", 1000.0), jar(".pinterest.de", "de", 2000.0)], "https://www.pinterest.de"),
        ([jar(".pinterest.com", "com", 3000.0), jar(".pinterest.de", "de", 2000.0)], "https://www.pinterest.com"),
    ],
)
def test_the_origin_is_where_the_session_cookie_is(cookies: list, origin: str) -> None:
    assert request(cookies=cookies).origin == origin


def test_only_the_jar_of_the_runs_origin_is_kept() -> None:
    two_jars = [
        jar(".pinterest.com", "com"),
        jar("www.pinterest.com", "r", name="_routing_id"),
        jar(".pinterest.de", "de"),
    ]
    on_de = request(cookies=two_jars, origin="https://www.pinterest.de")
    assert [cookie["value"] for cookie in on_de.cookies] == ["de"]
    on_subdomain = request(cookies=two_jars, origin="https://de.pinterest.com")
    assert [cookie["value"] for cookie in on_subdomain.cookies] == ["com", "r"]
    assert on_subdomain.origin == "https://de.pinterest.com"


def test_a_practice_run_goes_only_to_an_origin_its_site_map_serves() -> None:
    local = {"https://www.pinterest.com": "http://127.0.0.1:9"}
    assert request(site_map=local).origin == "https://www.pinterest.com"
    with pytest.raises(OriginError, match="no local server stands in for it"):
        request(site_map=local, cookies=[jar(".pinterest.de", "de")])


def test_an_origin_the_rules_do_not_cover_is_refused() -> None:
    with pytest.raises(OriginError, match="https://www.example.com is not one of Pinterest's sites"):
        request(origin="https://www.example.com")
    document = {**RULES_DOCUMENT, "sites": [{"cookie_domain": "pinterest.com", "hosts": ["www.pinterest.com"]}]}
    narrowed = parse_rules(document)
    with pytest.raises(OriginError, match="https://www.pinterest.de is not one of Pinterest's sites"):
        request(rules=narrowed, origin="https://www.pinterest.de")


class Engine:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple] = []

    def __call__(self, mode, rules, cookies, settings, on_progress, cancel, origin) -> RunReport:
        self.calls.append((mode, cookies, settings, origin))
        if self.error:
            raise self.error
        return RunReport(str(mode), rules.platform, RunStatus.DONE, message="Done.")


def test_a_recorded_run_sweeps_holds_the_lock_and_keeps_the_receipt(tmp_path: Path) -> None:
    store = Store(tmp_path / "history.sqlite3")
    orphan = store.start_run(
        platform="pinterest", mode="check", settings=[], rules_version="1", rules_source="shipped", engine_version="1"
    )
    # Its process is gone: no one holds the platform's run lock.
    practice = request(site_map={"https://www.pinterest.com": "http://127.0.0.1:9"})
    recorded = RecordedRun(practice, store, tmp_path)
    run_id = recorded.begin()
    assert store.run(orphan)["status"] == "interrupted"
    with pytest.raises(RunBusy, match="A Pinterest run is already going on"):
        RecordedRun(request(), store, tmp_path).begin()
    engine = Engine()
    report, failure = recorded.finish(engine, lambda event: None, threading.Event())
    assert failure is None and report.practice is True
    assert engine.calls == [(RunMode.APPLY, [COOKIES[0]], [], "https://www.pinterest.com")]
    row = store.run(run_id)
    assert (row["status"], row["practice"], row["origin"]) == ("done", True, "https://www.pinterest.com")
    assert row["settings_requested"] == [setting.id for setting in RULES.select()]
    lock = RunLock("pinterest", tmp_path)
    assert lock.acquire(), "the lock outlived the run"
    lock.release()


def test_an_engine_bug_becomes_a_failed_receipt_and_frees_the_lock(tmp_path: Path) -> None:
    store = Store(tmp_path / "history.sqlite3")
    recorded = RecordedRun(request(mode="check"), store, tmp_path)
    run_id = recorded.begin()
    report, failure = recorded.finish(Engine(RuntimeError("engine exploded")), lambda event: None, threading.Event())
    assert isinstance(failure, RuntimeError)
    assert report.status == RunStatus.FAILED and "engine exploded" in report.message
    assert store.run(run_id)["status"] == "failed"
    lock = RunLock("pinterest", tmp_path)
    assert lock.acquire(), "the lock outlived the failed run"
    lock.release()
