"""Runs through the host process with the real engine and a real headless Chromium, on the replica."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from native_host.history.store import RunLock
from native_host.paths import locks_dir
from replica import ReplicaConfig, serve

from .conftest import ROOT, HostProcess, descendants, host_env

pytestmark = pytest.mark.browser

STEPS = {"launching", "loading", "reading", "changing", "saving", "verifying", "setting_done", "finished"}
SLOW = ReplicaConfig(faults=frozenset({"slow"}), slow_seconds=15.0)


@pytest.fixture()
def replica() -> Iterator[object]:
    with serve(ReplicaConfig()) as server:
        yield server


@pytest.fixture()
def slow_replica() -> Iterator[object]:
    with serve(SLOW) as server:
        yield server


def practice(server: object) -> dict[str, str]:
    """The site map that makes the replica stand in for Pinterest (given to the test-only entry point)."""
    return {"https://www.pinterest.com": server.url}


def browsers_below(pid: int) -> list[int]:
    return [child for child, name in descendants(pid) if "chrom" in name.lower()]


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def wait_for_step(host: HostProcess, request_id: str, step: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        message = host.recv(max(0.1, deadline - time.monotonic()))
        assert message["id"] == request_id and message["event"] == "progress", message
        if message["data"]["step"] == step:
            return


def files_containing(directory: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name} holds {secret[:6]}..." for secret in secrets if secret.encode() in data]
    return found


def test_apply_through_the_host_changes_the_account_and_keeps_a_receipt_without_cookies(tmp_path, replica) -> None:
    cookies = replica.store.new_session()
    env, site_map = host_env(tmp_path), practice(replica)
    host = HostProcess(env, site_map=site_map)
    try:
        hello = host.request({"id": "hi", "type": "hello"})["data"]
        assert (hello["practice"], hello["site_map"]) == (True, site_map)
        host.send({"id": "a1", "type": "apply", "platform": "pinterest", "cookies": cookies, "protocol": 1})
        result, progress = host.recv_final("a1", timeout=60)
        assert result["event"] == "result", result
        report = result["data"]
        assert report["status"] == "done", report["message"]
        assert report["practice"] is True
        assert report["results"] and all(entry["status"] == "changed" for entry in report["results"])
        assert {event["data"]["step"] for event in progress} <= STEPS
        assert progress[-1]["data"]["step"] == "finished"
        session = next(cookie["value"] for cookie in cookies if cookie["name"] == "_pinterest_sess")
        state = replica.store.state(session)
        assert {entry["id"]: state[entry["id"]] for entry in report["results"]} == {
            entry["id"]: entry["desired"] for entry in report["results"]
        }
        assert len(replica.store.writes(session)) == len(report["results"])

        history = host.request({"id": "h", "type": "history"})["data"]
        assert history["total"] == 1 and history["runs"][0]["run_id"] == report["run_id"]
        assert history["runs"][0]["status"] == "done" and history["runs"][0]["practice"] is True
        assert [entry["status"] for entry in history["runs"][0]["results"]] == [
            entry["status"] for entry in report["results"]
        ]
        status = host.request({"id": "s", "type": "status", "platform": "pinterest"})["data"]
        assert {entry["state"] for entry in status["settings"].values()} == {False}
        assert host.finish() == 0
        assert host.stray == []
    finally:
        host.close()
    secrets = [cookie["value"] for cookie in cookies if len(cookie["value"]) >= 8]
    assert secrets
    assert files_containing(Path(env["OPTOUT_DATA_DIR"]), secrets) == []


def test_the_extensions_languages_reach_the_browser_and_the_report_names_the_pages_language(tmp_path) -> None:
    with serve(ReplicaConfig(language="de")) as german:
        cookies = german.store.new_session()
        host = HostProcess(host_env(tmp_path), site_map=practice(german))
        try:
            settings = ["pinterest.ads.partner_info", "pinterest.genai.canvas_training"]
            request = {"id": "c1", "type": "check", "platform": "pinterest", "cookies": cookies, "settings": settings}
            host.send({**request, "languages": ["de-CH", "de", "fr-CH"]})
            result, _ = host.recv_final("c1", timeout=60)
        finally:
            host.close()
        asked = [header for header in german.store.accept_languages() if header]
    report = result["data"]
    assert report["language"] == "de" and report["status"] == "partial", report["message"]
    partner, canvas = report["results"]
    assert partner["status"] == "would_change" and partner["wording"] == "Partner-Infos verwenden"
    assert canvas["status"] == "not_found" and canvas["reason"] == "unknown_language"
    assert asked and all(header.startswith("de-CH,de;q=0.9,fr-CH;q=0.8") for header in asked), asked


def test_busy_across_processes_and_cancel_closes_the_browser(tmp_path, slow_replica) -> None:
    cookies = slow_replica.store.new_session()
    env, site_map = host_env(tmp_path), practice(slow_replica)
    first, second = HostProcess(env, site_map=site_map), HostProcess(env, site_map=site_map)
    try:
        first.send({"id": "run", "type": "apply", "platform": "pinterest", "cookies": cookies})
        wait_for_step(first, "run", "loading")
        assert wait_until(lambda: browsers_below(first.proc.pid), 10), "no browser was started"

        busy = second.request({"id": "other", "type": "apply", "platform": "pinterest", "cookies": cookies})
        assert busy["error"]["name"] == "busy"
        same = first.request({"id": "again", "type": "check", "platform": "pinterest", "cookies": cookies})
        assert same["error"]["name"] == "busy"

        started = time.monotonic()
        first.send({"id": "stop", "type": "cancel", "run": "run"})
        cancelled, _ = first.recv_final("stop", timeout=10)
        assert cancelled["data"] == {"cancelled": True}
        result, _ = first.recv_final("run", timeout=20)
        assert result["data"]["status"] == "cancelled"
        # The engine looks at the cancel while it waits for the page's controls (up to 10 s on this slow page),
        # so the run ends well before that wait would.
        assert time.monotonic() - started < 6
        assert wait_until(lambda: not browsers_below(first.proc.pid), 10), "the browser outlived its run"

        runs = second.request({"id": "h", "type": "history"})["data"]["runs"]
        assert runs[0]["status"] == "cancelled"
        assert first.finish() == 0 and second.finish() == 0
        assert first.stray == [] and second.stray == []
    finally:
        first.close()
        second.close()


def test_browser_going_away_mid_run_cancels_it_closes_the_browser_and_exits_cleanly(tmp_path, slow_replica) -> None:
    cookies = slow_replica.store.new_session()
    env, site_map = host_env(tmp_path), practice(slow_replica)
    host = HostProcess(env, site_map=site_map)
    try:
        host.send({"id": "orphan", "type": "apply", "platform": "pinterest", "cookies": cookies})
        wait_for_step(host, "orphan", "loading")
        assert wait_until(lambda: browsers_below(host.proc.pid), 10)
        browsers = browsers_below(host.proc.pid)
        host.send_raw(b"\x10\x00")  # the stream ends inside a frame header
        assert host.finish(timeout=30) == 0
        assert host.stray == []
        assert wait_until(lambda: not any(alive(pid) for pid in browsers), 10)
    finally:
        host.close()
    runs = HostProcess(env, site_map=site_map)
    try:
        [run] = runs.request({"id": "h", "type": "history"})["data"]["runs"]
        assert run["status"] == "cancelled"
        assert runs.finish() == 0
    finally:
        runs.close()


def test_sigkill_mid_run_leaves_a_readable_history_with_the_run_interrupted(tmp_path, slow_replica) -> None:
    cookies = slow_replica.store.new_session()
    env, site_map = host_env(tmp_path), practice(slow_replica)
    host = HostProcess(env, site_map=site_map)
    children: list[int] = []
    try:
        host.send({"id": "doomed", "type": "apply", "platform": "pinterest", "cookies": cookies})
        wait_for_step(host, "doomed", "loading")
        children = [pid for pid, _ in descendants(host.proc.pid)]
        os.kill(host.proc.pid, signal.SIGKILL)
        host.proc.wait(10)
    finally:
        host.close()
        wait_until(lambda: not any(alive(pid) for pid in children), 5)
        for pid in children:  # the driver and browser this test started, if they outlived their host
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    database = Path(env["OPTOUT_DATA_DIR"]) / "history.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    exported = subprocess.run(
        [sys.executable, "-m", "native_host", "history", "--json"],
        capture_output=True,
        timeout=30,
        cwd=ROOT,
        env=env,
        check=True,
    )
    runs = json.loads(exported.stdout)["runs"]
    assert [(run["request_id"], run["status"]) for run in runs] == [("doomed", "interrupted")]

    lock = RunLock("pinterest", locks_dir(Path(env["OPTOUT_DATA_DIR"])))
    assert lock.acquire(), "the dead host's lock was not released"
    lock.release()
