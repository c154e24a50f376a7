"""A throwaway PostgreSQL server for the tests and the bench: Debian's binaries, a temporary directory, a unix socket.

It listens on no TCP port at all (only a socket in its own directory), trusts local connections, and is removed
when stopped. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

SUPERUSER = "optout"


def find_binaries() -> Path | None:
    """The newest Debian PostgreSQL bin directory, or one on PATH; None when no PostgreSQL is installed."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda path: int(path.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


class PostgresCluster:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.root = Path(tempfile.mkdtemp(prefix="optout-pg-"))
        self.data = self.root / "data"
        self.port = 5432  # only names the socket file; nothing listens on TCP
        self._owner = "postgres" if os.geteuid() == 0 else None

    @property
    def url_base(self) -> str:
        return f"postgresql://{SUPERUSER}@/%s?host={self.root}&port={self.port}"

    def url(self, database: str = "postgres") -> str:
        return self.url_base % database

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self._owner, "--"] if self._owner else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> PostgresCluster:
        if self._owner:
            account = pwd.getpwnam(self._owner)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run(
            str(self.binaries / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-c listen_addresses='' -k {self.root} -p {self.port} -c fsync=off -c max_connections=200"
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )
        return self

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
