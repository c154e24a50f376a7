"""Helpers for the host's tests: a host subprocess whose stdout is parsed strictly as frames."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from native_host.extension_ids import default_chrome_extension_id
from native_host.messaging.framing import HEADER, MAX_REPLY_BYTES, encode_message
from tests.support import practice_host

ROOT = Path(__file__).resolve().parents[2]
TEST_EXTENSION_ID = "dbmmopnamnlgmmmecnjediacchlcdaoi"  # fixed by the key in native_test_extension/manifest.json
SERVED_ID = default_chrome_extension_id() or TEST_EXTENSION_ID
ORIGIN = f"chrome-extension://{SERVED_ID}/"
ENVELOPE_KEYS = {"id", "type", "event", "data", "error"}


def frame(message: Any) -> bytes:
    body = message if isinstance(message, bytes) else encode_message(message)
    return HEADER.pack(len(body)) + body


def host_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPTOUT_")}
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env.update(
        OPTOUT_DATA_DIR=str(tmp / "data"),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    if default_chrome_extension_id() is None:  # no extension next to this copy: serve the test extension
        callers = tmp / "data" / "native-host" / "callers.json"
        callers.parent.mkdir(parents=True, exist_ok=True)
        callers.write_text(json.dumps({"chrome_ids": [TEST_EXTENSION_ID], "gecko_ids": []}))
    return env


class HostProcess:
    """`python -m native_host.messaging.host` as the browser starts it. A reader thread parses stdout strictly: any byte
    that is not part of a well-formed frame carrying one envelope is recorded in `stray`."""

    def __init__(
        self,
        env: dict[str, str],
        args: list[str] | None = None,
        stderr_path: Path | None = None,
        site_map: dict[str, str] | None = None,
    ) -> None:
        self.stderr_path = stderr_path or Path(env["OPTOUT_DATA_DIR"]).parent / f"host-{time.monotonic_ns()}.err"
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in close()
        # A site map needs the test-only entry point: the installed host never takes one.
        start = (
            practice_host.command(sys.executable, site_map)
            if site_map
            else [sys.executable, "-m", "native_host.messaging.host"]
        )
        self.proc = subprocess.Popen(
            [*start, *(args if args is not None else [ORIGIN])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=ROOT,
            env=env,
        )
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stray: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        try:
            while True:
                header = stdout.read(HEADER.size)
                if not header:
                    return
                if len(header) < HEADER.size:
                    self.stray.append(f"{len(header)} stray bytes at the end: {header!r}")
                    return
                (length,) = HEADER.unpack(header)
                if length > MAX_REPLY_BYTES:
                    self.stray.append(f"a frame of {length} bytes (over the 1 MB limit), header {header!r}")
                    return
                body = stdout.read(length)
                try:
                    message = json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    self.stray.append(f"a body that is not JSON: {body[:80]!r}")
                    return
                if not isinstance(message, dict) or set(message) != ENVELOPE_KEYS:
                    self.stray.append(f"a message outside the envelope: {str(message)[:80]}")
                    return
                self.replies.put(message)
        finally:
            self.replies.put(None)

    def send(self, message: Any) -> None:
        self.send_raw(frame(message))

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def recv(self, timeout: float = 10.0) -> dict[str, Any]:
        try:
            message = self.replies.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no reply within {timeout} s; stderr: {self.stderr_tail()}") from None
        if message is None:
            raise AssertionError(f"the host closed stdout; stray={self.stray}; stderr: {self.stderr_tail()}")
        return message

    def recv_final(self, request_id: str, timeout: float = 30.0) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The `result` or `error` ending `request_id`, and the progress events before it (other ids skipped)."""
        deadline = time.monotonic() + timeout
        progress = []
        while True:
            message = self.recv(max(0.1, deadline - time.monotonic()))
            if message["id"] != request_id:
                continue
            if message["event"] == "progress":
                progress.append(message)
                continue
            return message, progress

    def request(self, message: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        self.send(message)
        reply, _ = self.recv_final(message["id"], timeout)
        return reply

    def close_stdin(self) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def finish(self, timeout: float = 30.0) -> int:
        """Close stdin and wait for a clean exit; the return code."""
        self.close_stdin()
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code

    def stderr_tail(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")[-1500:]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def close(self) -> None:
        self.kill()
        self._stderr.close()


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return host_env(tmp_path)


@pytest.fixture()
def host(env: dict[str, str]) -> Iterator[HostProcess]:
    process = HostProcess(env)
    yield process
    process.close()


def descendants(pid: int) -> list[tuple[int, str]]:
    """Every live process below `pid`, as (pid, command name), read from /proc."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append((int(entry.name), name))
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child[0])
    return found
