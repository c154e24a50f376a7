"""The history of runs (the receipts): SQLite in the data directory, one row per run and per setting result.

A run is written as `running` when it starts and completed when it ends, each in one transaction (WAL mode), so
a host killed in the middle leaves a readable database. A run is `running` only while its platform's run lock
(RunLock) is held by the process that recorded it; the operating system drops that lock when the process dies,
so a killed run reads as `interrupted`, even once its process id belongs to another process. Cookies are never
written here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from native_host.engine.report import RunReport
from native_host.file_lock import lock_nowait, unlock
from native_host.paths import history_db_path, locks_dir
from native_host.statuses import RunStatus

RUNNING = "running"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT,
    platform TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    settings_requested TEXT NOT NULL DEFAULT '[]',
    rules_version TEXT NOT NULL DEFAULT '',
    rules_source TEXT NOT NULL DEFAULT '',
    engine_version TEXT NOT NULL DEFAULT '',
    browser TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    finished_at TEXT,
    seconds REAL,
    page_loads INTEGER,
    browser_launches INTEGER,
    clicks INTEGER,
    pid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_platform ON runs (platform, id);
CREATE TABLE IF NOT EXISTS results (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    setting_id TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    desired INTEGER NOT NULL,
    before INTEGER,
    after INTEGER,
    verified INTEGER NOT NULL,
    wording TEXT,
    page TEXT,
    message TEXT NOT NULL,
    seconds REAL NOT NULL,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX IF NOT EXISTS results_by_setting ON results (setting_id, run_id);
"""
# Each step takes the database from the version before it (PRAGMA user_version) to its own number, in order.
# Version 1 is _SCHEMA as first released.
_MIGRATIONS: tuple[tuple[int, str], ...] = (
    (2, "ALTER TABLE runs ADD COLUMN practice INTEGER NOT NULL DEFAULT 0"),  # runs on a local replica
    (3, "ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT ''"),  # where the person is logged in
    (4, "ALTER TABLE runs ADD COLUMN redirected_to TEXT NOT NULL DEFAULT ''"),  # where Pinterest moved the run
)
SCHEMA_VERSION = _MIGRATIONS[-1][0]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bool_or_none(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _int_or_none(value: bool | None) -> int | None:
    return None if value is None else int(value)


class Store:
    """The history database. Each method opens its own connection, so threads may share one Store."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else history_db_path()
        self._create()
        # The run locks live beside the database (paths.locks_dir of the same data directory).
        self.locks = locks_dir(self.path.parent)

    def _create(self) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        if os.name == "posix":
            os.chmod(self.path, 0o600)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                # Made and migrated by an earlier start: a write here would only wait for the write lock and end
                # in a checkpoint's disk syncs, which every helper start (each popup's status) would pay.
                return
        with self._transaction() as connection:  # one writer at a time: two processes never migrate twice
            version = connection.execute("PRAGMA user_version").fetchone()[0] or 1  # 0: a new, empty file
            for statement in _SCHEMA.split(";"):  # IF NOT EXISTS: creates only what is missing
                if statement.strip():
                    connection.execute(statement)
            for target, statement in _MIGRATIONS:
                if version < target:
                    connection.execute(statement)
                    version = target
            connection.execute(f"PRAGMA user_version={version}")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA synchronous=NORMAL")
            yield connection
        finally:
            connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    # ---- writing -----------------------------------------------------------------------------------------

    def start_run(
        self,
        *,
        platform: str,
        mode: str,
        settings: list[str],
        rules_version: str,
        rules_source: str,
        engine_version: str,
        request_id: str | None = None,
        practice: bool = False,
        origin: str = "",
    ) -> int:
        """Record a run as `running` owned by this process; returns its id. `practice`: on a local replica;
        `origin`: where the run happens (https://www.pinterest.de)."""
        with self._transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO runs (request_id, platform, mode, status, settings_requested, rules_version,"
                " rules_source, engine_version, started_at, pid, practice, origin)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request_id,
                    platform,
                    mode,
                    RUNNING,
                    json.dumps(settings),
                    rules_version,
                    rules_source,
                    engine_version,
                    utc_now(),
                    os.getpid(),
                    int(practice),
                    origin,
                ),
            )
            return int(cursor.lastrowid)

    def finish_run(self, run_id: int, report: RunReport) -> None:
        """Complete a run with its report, results included, in one transaction."""
        finished_at = utc_now()
        with self._transaction() as connection:
            connection.execute(
                "UPDATE runs SET status = ?, message = ?, rules_version = COALESCE(NULLIF(?, ''), rules_version),"
                " engine_version = COALESCE(NULLIF(?, ''), engine_version), browser = ?, finished_at = ?,"
                " seconds = ?, page_loads = ?, browser_launches = ?, clicks = ?,"
                " origin = COALESCE(NULLIF(?, ''), origin), redirected_to = ? WHERE id = ?",
                (
                    str(report.status),
                    report.message,
                    report.rules_version,
                    report.engine_version,
                    report.browser,
                    finished_at,
                    round(report.seconds, 3),
                    report.page_loads,
                    report.browser_launches,
                    report.clicks,
                    report.origin,
                    report.redirected_to,
                    run_id,
                ),
            )
            connection.execute("DELETE FROM results WHERE run_id = ?", (run_id,))
            connection.executemany(
                "INSERT INTO results (run_id, position, setting_id, title, status, desired, before, after, verified,"
                " wording, page, message, seconds, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        position,
                        result.id,
                        result.title,
                        str(result.status),
                        int(result.desired),
                        _int_or_none(result.before),
                        _int_or_none(result.after),
                        int(result.verified),
                        result.wording,
                        result.page,
                        result.message,
                        round(result.seconds, 3),
                        finished_at,
                    )
                    for position, result in enumerate(report.results)
                ],
            )

    def mark_interrupted(self, platform: str) -> int:
        """Mark `running` runs of this platform that are no longer alive as interrupted; returns how many.

        Called by the holder of the platform's run lock before it records its own run: every run of the platform
        still written as `running` is then a dead one, whatever its process id has become.
        """
        sweeping_own_lock = RunLock.held_here(platform, self.locks)
        with self._transaction() as connection:
            rows = connection.execute(
                "SELECT id, pid, started_at FROM runs WHERE platform = ? AND status = ?", (platform, RUNNING)
            ).fetchall()
            holder = None if sweeping_own_lock else lock_holder(platform, self.locks)
            stale = [row["id"] for row in rows if not _holds(holder, row)]
            connection.executemany(
                "UPDATE runs SET status = ?, message = ? WHERE id = ?",
                [(str(RunStatus.INTERRUPTED), _INTERRUPTED_MESSAGE, run_id) for run_id in stale],
            )
            return len(stale)

    # ---- reading -----------------------------------------------------------------------------------------

    def runs(self, page: int = 1, page_size: int = 20, platform: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """One page of runs, newest first, each with its results; and how many runs there are in all."""
        where, args = ("WHERE platform = ?", [platform]) if platform else ("", [])
        with self._connect() as connection:
            total = connection.execute(f"SELECT COUNT(*) FROM runs {where}", args).fetchone()[0]
            rows = connection.execute(
                f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*args, page_size, (page - 1) * page_size],
            ).fetchall()
            runs = [self._run_json(connection, row) for row in rows]
        return runs, int(total)

    def run(self, run_id: int) -> dict[str, Any] | None:
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
            return None if row is None else self._run_json(connection, row)

    def last_states(self, platform: str) -> dict[str, Any]:
        """The last known state of each setting of a platform, and the last run (the `status` reply)."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT results.* FROM results JOIN runs ON runs.id = results.run_id"
                " WHERE runs.platform = ? ORDER BY results.run_id ASC, results.position ASC",
                (platform,),
            ).fetchall()
            last = connection.execute(
                "SELECT * FROM runs WHERE platform = ? ORDER BY id DESC LIMIT 1", (platform,)
            ).fetchone()
            last_run = None if last is None else self._run_json(connection, last)
        settings: dict[str, Any] = {}
        for row in rows:
            state = row["after"] if row["after"] is not None else row["before"]
            if state is None and row["setting_id"] in settings:
                continue  # a run that could not read the control does not erase what an earlier run saw
            settings[row["setting_id"]] = {
                "state": _bool_or_none(state),
                "status": row["status"],
                "checked_at": row["checked_at"],
            }
        return {"platform": platform, "settings": settings, "last_run": last_run}

    def _run_json(self, connection: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        status = row["status"]
        message = row["message"]
        if status == RUNNING and not _holds(lock_holder(row["platform"], self.locks), row):
            status, message = str(RunStatus.INTERRUPTED), _INTERRUPTED_MESSAGE
        results = connection.execute(
            "SELECT * FROM results WHERE run_id = ? ORDER BY position", (row["id"],)
        ).fetchall()
        return {
            "run_id": row["id"],
            "request_id": row["request_id"],
            "platform": row["platform"],
            "mode": row["mode"],
            "status": status,
            "message": message,
            "settings_requested": json.loads(row["settings_requested"]),
            "rules_version": row["rules_version"],
            "rules_source": row["rules_source"],
            "engine_version": row["engine_version"],
            "browser": row["browser"],
            "started_at": row["started_at"],
            "finished_at": row["finished_at"],
            "seconds": row["seconds"],
            "page_loads": row["page_loads"],
            "browser_launches": row["browser_launches"],
            "clicks": row["clicks"],
            "practice": bool(row["practice"]),
            "origin": row["origin"],
            "redirected_to": row["redirected_to"],
            "results": [
                {
                    "id": result["setting_id"],
                    "title": result["title"],
                    "status": result["status"],
                    "desired": bool(result["desired"]),
                    "before": _bool_or_none(result["before"]),
                    "after": _bool_or_none(result["after"]),
                    "verified": bool(result["verified"]),
                    "wording": result["wording"],
                    "page": result["page"],
                    "message": result["message"],
                    "seconds": result["seconds"],
                    "checked_at": result["checked_at"],
                }
                for result in results
            ],
        }


_INTERRUPTED_MESSAGE = "The run stopped before it finished: Optout was closed or crashed. Run it again."


class RunLock:
    """One run per platform across every host process: an exclusive lock on a file in the data directory.

    The operating system releases the lock when the process dies, even by SIGKILL, so a held lock is the proof
    that a run is alive. The holder writes its process id and the time it took the lock into the file, which
    tells whose run it is.
    """

    _held_here: set[str] = set()  # the lock files this process holds (real paths), for the holder's own sweep

    def __init__(self, platform: str, directory: Path | None = None) -> None:
        self.path = (directory or locks_dir()) / f"{platform}.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting for a run to end; False when another run holds it."""
        if self._fd is not None:
            return False
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _take_lock(fd):
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        # After the first byte: on Windows the lock covers byte 0, and a locked byte cannot even be read.
        os.write(fd, f" {os.getpid()} {utc_now()}".encode())
        self._fd = fd
        RunLock._held_here.add(os.path.realpath(self.path))
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        RunLock._held_here.discard(os.path.realpath(self.path))
        try:
            unlock(fd)
        finally:
            os.close(fd)

    @staticmethod
    def held_here(platform: str, directory: Path) -> bool:
        """True when this very process holds the platform's run lock."""
        return os.path.realpath(directory / f"{platform}.lock") in RunLock._held_here


@dataclass(frozen=True)
class LockHolder:
    pid: int
    since: str  # when it took the lock, in the runs table's time format


def _holds(holder: LockHolder | None, row: sqlite3.Row) -> bool:
    """Whether the run in this row is the lock holder's: same process, recorded since it took the lock.

    The time tells the holder's own run from a dead one whose process id the holder happens to have now.
    """
    return holder is not None and row["pid"] == holder.pid and row["started_at"] >= holder.since


def lock_holder(platform: str, directory: Path) -> LockHolder | None:
    """Who holds the platform's run lock, or None when no live process holds it.

    Testing a lock means taking it for an instant; RunLock.acquire retries briefly so that a history reader
    testing at the same moment is never mistaken for a run.
    """
    path = directory / f"{platform}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        try:
            lock_nowait(fd)
        except OSError:
            os.lseek(fd, 1, os.SEEK_SET)
            pid, _, since = os.read(fd, 64).decode("ascii", "replace").strip().partition(" ")
            return LockHolder(int(pid), since) if pid.isdigit() else None
        unlock(fd)
        return None
    finally:
        os.close(fd)


# A history reader tests the lock for microseconds; a few short retries tell that from a run holding it.
_LOCK_TRIES = 5
_LOCK_RETRY_SECONDS = 0.01


def _take_lock(fd: int) -> bool:
    for attempt in range(_LOCK_TRIES):
        try:
            lock_nowait(fd)
            return True
        except OSError:
            if attempt + 1 < _LOCK_TRIES:
                time.sleep(_LOCK_RETRY_SECONDS)
    return False
