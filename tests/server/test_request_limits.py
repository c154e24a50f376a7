"""Both documented deployments refuse big requests from their headers, before buffering any body.

Each test talks to a real server on 127.0.0.1: `optout serve` (waitress) and gunicorn with server/gunicorn.conf.py.
A refusal must arrive while the client is still holding back the body it announced; the socket timeout bounds the
wait, so a server that waits for (and buffers) the body fails instead of hanging.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIG_BODY = 300 * 1024 * 1024  # announced, never sent
CHUNKED_BYTES_AT_MOST = 2 * 1024 * 1024  # more than waitress keeps in memory before it spills to a temporary file
ANSWER_TIMEOUT = 10.0


@dataclass
class RunningServer:
    name: str
    port: int
    process: subprocess.Popen
    temp_dir: Path

    def temporary_files(self) -> list[str]:
        """Files of 64 KiB or more the server holds open in its temporary directory (waitress spills bodies there).

        Small ones are not bodies: gunicorn keeps an empty heartbeat file per worker there.
        """
        fd_dir = Path(f"/proc/{self.process.pid}/fd")
        if not fd_dir.exists():
            pytest.skip("needs /proc to see the server's open files")
        found = []
        for fd in fd_dir.iterdir():
            try:
                target, size = os.readlink(fd), os.stat(fd).st_size
            except OSError:
                continue
            if target.startswith(str(self.temp_dir)) and size >= 64 * 1024:
                found.append(f"{target}: {size} bytes")
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(name: str, tmp: Path) -> RunningServer:
    port = free_port()
    temp_dir = tmp / "tmp"
    temp_dir.mkdir()
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("OPTOUT_")},
        "OPTOUT_DATA_DIR": str(tmp / "data"),
        "TMPDIR": str(temp_dir),
    }
    if name == "waitress":
        command = [sys.executable, "-m", "native_host", "serve", "--port", str(port), "--no-trust"]
    else:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        config = REPO / "server" / "gunicorn.conf.py"
        command = [str(gunicorn), "-c", str(config), "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(
        command, cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    server = RunningServer(name, port, process, temp_dir)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise AssertionError(f"{name} did not start")


def stop(server: RunningServer) -> None:
    os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
    server.process.stderr.close()


@pytest.fixture(scope="module", params=["waitress", "gunicorn"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start(request.param, tmp_path_factory.mktemp(request.param))
    yield running
    stop(running)


def connect(server: RunningServer) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_TIMEOUT)
    connection.settimeout(ANSWER_TIMEOUT)
    return connection


def status_of(connection: socket.socket) -> int:
    """The status code of the answer; socket.timeout when none comes within ANSWER_TIMEOUT."""
    received = b""
    while b"\r\n" not in received:
        part = connection.recv(4096)
        if not part:
            break
        received += part
    assert received.startswith(b"HTTP/1."), received[:200]
    return int(received.split(b" ", 2)[1])


def request_head(*extra_headers: str) -> bytes:
    lines = ["GET /api/v1/rules/pinterest HTTP/1.1", "Host: 127.0.0.1", *extra_headers, "", ""]
    return "\r\n".join(lines).encode("latin-1")


def test_a_plain_request_is_answered(server: RunningServer) -> None:
    extension_like = [f"X-Header-{n}: {'v' * 40}" for n in range(12)]
    with connect(server) as connection:
        connection.sendall(request_head("Origin: chrome-extension://abcdefghijklmnopabcdefghijklmnop", *extension_like))
        assert status_of(connection) == 200


def test_a_huge_announced_body_is_refused_before_it_is_sent(server: RunningServer) -> None:
    with connect(server) as connection:
        connection.sendall(request_head(f"Content-Length: {BIG_BODY}") + b"a few bytes")
        assert status_of(connection) == 413  # answered while 300 MB are still to come
    assert server.temporary_files() == []


def test_a_chunked_body_is_refused_before_it_reaches_the_disk(server: RunningServer) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/api/v1/rules/pinterest", timeout=5) as response:
        etag = response.headers["ETag"]  # a revalidation takes the fast path; with a body it must not
    chunk = b"%x\r\n%s\r\n" % (8192, b"b" * 8192)
    sent = 0
    with connect(server) as connection:
        connection.sendall(request_head("Transfer-Encoding: chunked", f"If-None-Match: {etag}"))
        # A short look for an answer between chunks, so sending stops soon after the server refuses.
        while sent < CHUNKED_BYTES_AT_MOST and not select.select([connection], [], [], 0.002)[0]:
            connection.sendall(chunk)
            sent += 8192
        spilled = server.temporary_files()
        assert status_of(connection) == 413
    assert spilled == [], f"{server.name} buffered the body to {spilled}"


def test_too_many_or_too_large_headers_are_refused(server: RunningServer) -> None:
    many = [f"X-Pad-{n}: {'p' * 200}" for n in range(100)]
    with connect(server) as connection:
        connection.sendall(request_head(*many))
        assert status_of(connection) in (400, 431)
    with connect(server) as connection:
        connection.sendall(request_head(f"X-Big: {'q' * 20000}"))
        assert status_of(connection) in (400, 431)
