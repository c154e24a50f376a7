import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from native_host.engine.report import RunReport, SettingResult
from native_host.history.store import SCHEMA_VERSION, RunLock, Store
from native_host.paths import data_dir, history_db_path, locks_dir
from native_host.statuses import RunStatus, SettingStatus


def report(status: RunStatus = RunStatus.DONE) -> RunReport:
    return RunReport(
        mode="apply",
        platform="pinterest",
        status=status,
        message="Apply finished.",
        rules_version="2026.11.22",
        engine_version="1.0.0",
        browser="Chromium",
        seconds=3.21,
        page_loads=2,
        browser_launches=1,
        clicks=1,
        results=[
            SettingResult("a", "Setting A", SettingStatus.CHANGED, False, before=True, after=False, verified=True),
            SettingResult("b", "Setting B", SettingStatus.NOT_FOUND, False),
        ],
    )


def start(store: Store, platform: str = "pinterest", mode: str = "apply") -> int:
    return store.start_run(
        platform=platform, mode=mode, settings=["a"], rules_version="v1", rules_source="shipped", engine_version="1"
    )


RUN_OWNER = """
import sys, time
from pathlib import Path
from native_host.paths import locks_dir
from native_host.history.store import RunLock, Store
store = Store(Path(sys.argv[1]))
lock = RunLock("pinterest", locks_dir(store.path.parent))
assert lock.acquire()
run_id = store.start_run(
    platform="pinterest", mode="apply", settings=["a"], rules_version="v1", rules_source="shipped", engine_version="1"
)
print(run_id, flush=True)
time.sleep(60)
"""


@contextmanager
def run_in_another_process(store: Store) -> Iterator[tuple[subprocess.Popen, int]]:
    """A process that holds the pinterest run lock and has recorded its run, as a host does; killed at the end."""
    owner = subprocess.Popen([sys.executable, "-c", RUN_OWNER, str(store.path)], stdout=subprocess.PIPE, text=True)
    try:
        yield owner, int(owner.stdout.readline())
    finally:
        owner.kill()
        owner.wait(10)
        owner.stdout.close()


def set_pid(store: Store, run_id: int, pid: int) -> None:
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE runs SET pid = ? WHERE id = ?", (pid, run_id))


def backdate(store: Store, run_id: int) -> None:
    """Make a run older by a minute (a process id comes back after a while, not in the second it died)."""
    with sqlite3.connect(store.path) as connection:
        started = connection.execute("SELECT started_at FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
        earlier = datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ") - timedelta(minutes=1)
        connection.execute("UPDATE runs SET started_at = ? WHERE id = ?", (f"{earlier:%Y-%m-%dT%H:%M:%SZ}", run_id))


def test_data_dir_and_database_are_owner_only(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OPTOUT_DATA_DIR", str(tmp_path / "optout"))
    store = Store(history_db_path())
    assert stat.S_IMODE(os.stat(data_dir()).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_run_is_running_then_complete_with_its_results(tmp_path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    lock = RunLock("pinterest", locks_dir(tmp_path))
    assert lock.acquire()
    run_id = start(store)
    assert store.run(run_id)["status"] == "running"
    store.finish_run(run_id, report())
    lock.release()
    run = store.run(run_id)
    assert run["status"] == "done" and run["seconds"] == 3.21 and run["clicks"] == 1
    assert run["settings_requested"] == ["a"]
    assert [(r["id"], r["status"], r["before"], r["after"], r["verified"]) for r in run["results"]] == [
        ("a", "changed", True, False, True),
        ("b", "not_found", None, None, False),
    ]


def test_runs_are_paged_newest_first_and_filtered_by_platform(tmp_path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    ids = [start(store, platform="pinterest" if n % 2 else "other") for n in range(7)]
    page, total = store.runs(page=1, page_size=2)
    assert total == 7 and [run["run_id"] for run in page] == ids[::-1][:2]
    page, total = store.runs(page=2, page_size=2, platform="pinterest")
    assert total == 3 and [run["run_id"] for run in page] == [ids[1]]
    assert store.runs(page=9, page_size=2)[0] == []


def test_status_keeps_the_last_known_state_of_each_setting(tmp_path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    first = start(store)
    store.finish_run(first, report())
    second = start(store, mode="check")
    later = report(RunStatus.LOGIN_REQUIRED)
    later.results = [SettingResult("a", "Setting A", SettingStatus.SKIPPED, False)]
    store.finish_run(second, later)
    status = store.last_states("pinterest")
    assert status["settings"]["a"]["state"] is False and status["settings"]["a"]["status"] == "changed"
    assert status["settings"]["b"]["state"] is None
    assert status["last_run"]["run_id"] == second and status["last_run"]["status"] == "login_required"
    assert store.last_states("other") == {"platform": "other", "settings": {}, "last_run": None}


def test_a_run_is_running_while_its_process_holds_the_lock_and_interrupted_once_killed(tmp_path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    with run_in_another_process(store) as (owner, run_id):
        assert store.run(run_id)["status"] == "running"
        assert store.runs()[0][0]["status"] == "running"  # `optout history` reads the same
        assert store.mark_interrupted("pinterest") == 0, "a live run was swept by a process without the lock"
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)
        run = store.run(run_id)
    assert run["status"] == "interrupted" and "stopped before it finished" in run["message"]


def test_a_killed_run_stays_interrupted_when_its_process_id_is_reused(tmp_path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    with run_in_another_process(store) as (owner, run_id):
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)
    # The process id now belongs to a live process: this test's own, and then the next run's owner.
    backdate(store, run_id)
    set_pid(store, run_id, os.getpid())
    assert store.run(run_id)["status"] == "interrupted"
    with run_in_another_process(store) as (next_owner, next_run):
        set_pid(store, run_id, next_owner.pid)
        assert store.run(run_id)["status"] == "interrupted"
        assert store.run(next_run)["status"] == "running"


def test_a_run_recorded_without_its_lock_is_not_running(tmp_path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    run_id = start(store)  # this process is alive, but holds no run lock for the run
    assert store.run(run_id)["status"] == "interrupted"


def test_the_lock_holder_sweeps_every_dead_run_even_one_with_its_own_process_id(tmp_path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    orphans = [start(store), start(store)]
    set_pid(store, orphans[1], os.getpid() + 1_000_000)  # a process id no process has
    other_platform = start(store, platform="other")
    lock = RunLock("pinterest", locks_dir(tmp_path))
    assert lock.acquire()
    try:
        assert store.mark_interrupted("pinterest") == 2
        mine = start(store)
        assert store.run(mine)["status"] == "running"
    finally:
        lock.release()
    assert store.run(mine)["status"] == "interrupted"  # its lock is gone: it cannot be running any more
    with sqlite3.connect(store.path) as connection:
        stored = dict(connection.execute("SELECT id, status FROM runs").fetchall())
    assert stored == {orphans[0]: "interrupted", orphans[1]: "interrupted", mine: "running", other_platform: "running"}


def test_run_lock_is_exclusive_and_released(tmp_path) -> None:
    first, second = RunLock("pinterest", tmp_path), RunLock("pinterest", tmp_path)
    assert first.acquire()
    assert not second.acquire()
    assert RunLock("other", tmp_path).acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_a_version_1_history_gains_the_later_columns_and_keeps_its_runs(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as connection:  # the runs table as version 1 wrote it
        connection.executescript(
            """
            CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT, platform TEXT NOT NULL,
                mode TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
                settings_requested TEXT NOT NULL DEFAULT '[]', rules_version TEXT NOT NULL DEFAULT '',
                rules_source TEXT NOT NULL DEFAULT '', engine_version TEXT NOT NULL DEFAULT '',
                browser TEXT NOT NULL DEFAULT '', started_at TEXT NOT NULL, finished_at TEXT, seconds REAL,
                page_loads INTEGER, browser_launches INTEGER, clicks INTEGER, pid INTEGER NOT NULL);
            INSERT INTO runs (platform, mode, status, started_at, pid)
                VALUES ('pinterest', 'check', 'done', '2026-11-01T00:00:00Z', 1);
            PRAGMA user_version=1;
            """
        )
    store = Store(path)
    run_id = store.start_run(
        platform="pinterest",
        mode="apply",
        settings=[],
        rules_version="v1",
        rules_source="shipped",
        engine_version="1",
        practice=True,
        origin="https://www.pinterest.de",
    )
    moved = report()
    moved.redirected_to = "https://www.pinterest.at"
    store.finish_run(run_id, moved)
    runs, total = store.runs()
    assert total == 2 and [run["practice"] for run in runs] == [True, False]
    assert [(run["origin"], run["redirected_to"]) for run in runs] == [
        ("https://www.pinterest.de", "https://www.pinterest.at"),
        ("", ""),  # recorded before runs had an origin
    ]
    Store(path)  # opening it again migrates nothing twice
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4


def test_opening_a_current_history_reads_while_another_process_writes(tmp_path) -> None:
    # Each helper start opens the store for a popup's status; a run in another helper may hold the write lock
    # for its whole transaction. Opening a history that needs no migration must not queue behind it.
    path = tmp_path / "history.sqlite3"
    store = Store(path)
    store.finish_run(start(store), report())
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        opened = datetime.now()
        states = Store(path).last_states("pinterest")
        assert datetime.now() - opened < timedelta(seconds=2)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert states["settings"]["a"]["state"] is False
