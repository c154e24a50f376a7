"""The one recorded-run path of the host and the CLI: a typed request, the lock, the sweep, the receipt."""

import threading
from pathlib import Path

import pytest

from native_host.engine.report import RunReport
from native_host.history.recorded_run import RecordedRun, RunBusy, RunMode, RunRequest
from native_host.history.store import RunLock, Store
from native_host.rules.format import RulesError, load_shipped_rules
from native_host.statuses import RunStatus

RULES = load_shipped_rules("pinterest")
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


class Engine:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple] = []

    def __call__(self, mode, rules, cookies, settings, on_progress, cancel) -> RunReport:
        self.calls.append((mode, cookies, settings))
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
    assert engine.calls == [(RunMode.APPLY, [COOKIES[0]], [])]
    row = store.run(run_id)
    assert (row["status"], row["practice"]) == ("done", True)
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
