"""Where field reports are kept: SQLite in the data directory, or PostgreSQL when DATABASE_URL names one.

The schema grows by numbered migrations, recorded in `schema_migrations` and applied when the store opens. They
run under one lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock in the same transaction), so workers
starting together apply each step exactly once, and opening an up-to-date database changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SQLITE_FILENAME = "reports.sqlite3"
# Any fixed number: PostgreSQL's advisory locks are named by integers; this one guards the migrations.
MIGRATION_LOCK = 7_402_115_001
BUSY_TIMEOUT_MS = 15_000

NEW, ACCEPTED, REJECTED = "new", "accepted", "rejected"
STATUSES = (NEW, ACCEPTED, REJECTED)

# Each step is a list of statements written for both databases. Never edit a step once shipped: add another.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            dedup_key TEXT NOT NULL UNIQUE,
            received TEXT NOT NULL,
            platform TEXT NOT NULL,
            origin TEXT NOT NULL,
            page TEXT NOT NULL,
            language TEXT NOT NULL,
            engine_version TEXT NOT NULL,
            rules_version TEXT NOT NULL,
            taught_setting TEXT,
            taught_label TEXT,
            status TEXT NOT NULL DEFAULT 'new',
            document TEXT NOT NULL
        )""",
        "CREATE INDEX reports_finding ON reports (platform, taught_setting, language, taught_label)",
        "CREATE INDEX reports_status ON reports (status)",
    ],
    [
        """CREATE TABLE rate_windows (
            client TEXT NOT NULL,
            window_start BIGINT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (client, window_start)
        )""",
    ],
]


class StoreError(Exception):
    """The database cannot be opened or used; the message says which and why, without a trace."""


@dataclass(frozen=True)
class Finding:
    """Reports that taught the same wording for the same setting on pages in the same language."""

    platform: str
    setting: str
    language: str
    wording: str
    count: int
    first_received: str
    last_received: str
    status: str
    report_ids: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return finding_id(self.platform, self.setting, self.language, self.wording)


def finding_id(platform: str, setting: str, language: str, wording: str) -> str:
    """A short stable name for a finding, the same on every machine: what `optout reports` takes."""
    digest = hashlib.sha256("\0".join((platform, setting, language, wording)).encode()).hexdigest()
    return f"f{digest[:10]}"


def sqlite_url(data_dir: str | Path) -> str:
    return f"sqlite:///{Path(data_dir) / SQLITE_FILENAME}"


def describe_database(url: str) -> str:
    """The database named without any password, for messages and logs."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    head, at, tail = url.rpartition("@")
    return f"{url.split('://', 1)[0]}://…@{tail}" if at else url


def _use_wal(connection: sqlite3.Connection, attempts: int = 50) -> None:
    """WAL, so readers never wait for the writer. Switching to it needs a moment alone with the file, and SQLite
    answers "database is locked" at once (without its busy timeout) while another process switches too, as two
    server workers starting together do: try again briefly."""
    for attempt in range(attempts):
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


class ReportStore:
    """One database; each thread keeps its own connection (opened on first use, so a forking server is safe)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.kind = "sqlite" if url.startswith("sqlite:///") else "postgresql"
        if self.kind == "postgresql" and not url.startswith(("postgresql://", "postgres://")):
            raise StoreError(f"DATABASE_URL must start with sqlite:/// or postgresql://, not {url.split(':')[0]!r}.")
        self._local = threading.local()

    # -- connections ------------------------------------------------------------------------------------------

    def _connect(self) -> Any:
        try:
            if self.kind == "sqlite":
                path = Path(self.url.removeprefix("sqlite:///"))
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                _use_wal(connection)
                connection.execute("PRAGMA synchronous = NORMAL")
                return connection
            import psycopg

            return psycopg.connect(self.url, autocommit=True)
        except ImportError as error:
            raise StoreError(
                "PostgreSQL needs the psycopg package: pip install 'optout[server]' (or psycopg[binary])."
            ) from error
        except Exception as error:  # noqa: BLE001 - both drivers' errors become one sentence
            raise StoreError(f"Cannot open the reports database {describe_database(self.url)}: {error}") from error

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is not None and self.kind == "postgresql" and (connection.closed or connection.broken):
            connection = None  # the server restarted or dropped us: this request fails, the next one reconnects
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _sql(self, statement: str) -> str:
        return statement if self.kind == "sqlite" else statement.replace("?", "%s")

    def _rows(self, statement: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cursor = self._connection().execute(self._sql(statement), parameters)
        return list(cursor.fetchall()) if cursor.description else []

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        connection = self._connection()
        if self.kind == "postgresql":
            with connection.transaction():
                yield connection
            return
        # BEGIN IMMEDIATE takes SQLite's write lock at once, so two starts cannot both read "step 2 missing".
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    # -- migrations -------------------------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Apply the steps this database lacks, in order, under one lock; returns the step numbers applied."""
        applied = []
        with self._transaction() as connection:
            if self.kind == "postgresql":
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
            )
            done = {row[0] for row in connection.execute("SELECT version FROM schema_migrations").fetchall()}
            for number, statements in enumerate(MIGRATIONS, start=1):
                if number in done:
                    continue
                for statement in statements:
                    connection.execute(statement)
                connection.execute(
                    self._sql("INSERT INTO schema_migrations (version, applied) VALUES (?, ?)"), (number, _now())
                )
                applied.append(number)
        return applied

    def schema_version(self) -> int:
        rows = self._rows("SELECT MAX(version) FROM schema_migrations")
        return int(rows[0][0] or 0)

    # -- reports ----------------------------------------------------------------------------------------------

    def add(self, report: dict[str, Any], dedup_key: str) -> tuple[str, bool]:
        """Store a validated report once per dedup key: (its id, True) or, for a repeat, (the first id, False)."""
        taught = report.get("taught") or {}
        new_id = f"r{secrets.token_hex(8)}"
        rows = self._rows(
            "INSERT INTO reports (id, dedup_key, received, platform, origin, page, language, engine_version, "
            "rules_version, taught_setting, taught_label, status, document) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
            (
                new_id,
                dedup_key,
                _now(),
                report["platform"],
                report["origin"],
                report["page"],
                report["language"],
                report["engine_version"],
                report["rules_version"],
                taught.get("setting"),
                taught.get("label"),
                NEW,
                json.dumps(report, ensure_ascii=False, sort_keys=True),
            ),
        )
        if rows:
            return rows[0][0], True
        existing = self._rows("SELECT id FROM reports WHERE dedup_key = ?", (dedup_key,))
        return existing[0][0], False

    def count(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM reports")[0][0])

    def report_ids(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT id FROM reports")]

    def report(self, report_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT id, received, status, document FROM reports WHERE id = ?", (report_id,))
        if not rows:
            return None
        identifier, received, status, document = rows[0]
        return {"id": identifier, "received": received, "status": status, "report": json.loads(document)}

    def findings(self, status: str | None = NEW) -> list[Finding]:
        """Taught wordings grouped by platform, setting, language and wording, the most reported first."""
        where, parameters = "taught_setting IS NOT NULL", ()
        if status:
            where, parameters = where + " AND status = ?", (status,)
        rows = self._rows(
            "SELECT platform, taught_setting, language, taught_label, COUNT(*), MIN(received), MAX(received), "
            f"status FROM reports WHERE {where} "
            "GROUP BY platform, taught_setting, language, taught_label, status",
            parameters,
        )
        found = [Finding(*row[:5], first_received=row[5], last_received=row[6], status=row[7]) for row in rows]
        return sorted(found, key=lambda finding: (-finding.count, finding.platform, finding.setting, finding.wording))

    def untaught(self, status: str | None = NEW) -> list[tuple[str, str, str, int]]:
        """Settings reported not found with nothing taught: (platform, setting, language, reports)."""
        where, parameters = "taught_setting IS NULL", ()
        if status:
            where, parameters = where + " AND status = ?", (status,)
        counts: dict[tuple[str, str, str], int] = {}
        for platform, language, document in self._rows(
            f"SELECT platform, language, document FROM reports WHERE {where}", parameters
        ):
            for setting in json.loads(document)["not_found"]:
                key = (platform, setting, language)
                counts[key] = counts.get(key, 0) + 1
        return sorted(((*key, count) for key, count in counts.items()), key=lambda entry: (-entry[3], entry[:3]))

    def finding(self, identifier: str, status: str | None = NEW) -> Finding | None:
        """The finding with this id (from `findings`), with the ids of its reports."""
        match = next((found for found in self.findings(status) if found.id == identifier), None)
        if match is None:
            return None
        rows = self._rows(
            "SELECT id FROM reports WHERE platform = ? AND taught_setting = ? AND language = ? AND taught_label = ? "
            "AND status = ? ORDER BY received, id",
            (match.platform, match.setting, match.language, match.wording, match.status),
        )
        return Finding(**{**match.__dict__, "report_ids": [row[0] for row in rows]})

    def documents(self, report_ids: list[str]) -> list[dict[str, Any]]:
        return [found for found in (self.report(report_id) for report_id in report_ids) if found]

    def mark(self, report_ids: list[str], status: str) -> int:
        """Set the status of these reports (only those still new); returns how many changed."""
        changed = 0
        with self._transaction() as connection:
            for report_id in report_ids:
                cursor = connection.execute(
                    self._sql("UPDATE reports SET status = ? WHERE id = ? AND status = ?"), (status, report_id, NEW)
                )
                changed += cursor.rowcount
        return changed

    # -- rate limit -------------------------------------------------------------------------------------------

    def count_request(self, client: str, window_start: int) -> int:
        """Count one request of this client in this window; returns the window's count so far.

        Kept in the database so that every worker process of the service shares one count per client.
        """
        rows = self._rows(
            "INSERT INTO rate_windows (client, window_start, count) VALUES (?, ?, 1) "
            "ON CONFLICT (client, window_start) DO UPDATE SET count = rate_windows.count + 1 RETURNING count",
            (client, window_start),
        )
        count = int(rows[0][0])
        if count == 1:  # the first request of a new window: forget the windows that have passed
            self._rows("DELETE FROM rate_windows WHERE window_start < ?", (window_start,))
        return count


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
