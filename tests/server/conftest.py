"""Fixtures for the rules service: apps built with their own settings, keys, rules directories and servers."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from server_testkit import CHROME_ID, StubService
from werkzeug.serving import make_server

from native_host.rules.format import RULES_DIR
from native_host.rules.signing import generate_private_key, private_key_to_pem
from server import create_app
from server.report_store import sqlite_url
from tools.postgres_cluster import PostgresCluster, find_binaries


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No setting leaks in from the machine running the tests; the data directory is the test's own."""
    import os

    for name in list(os.environ):
        if name.startswith("OPTOUT_"):
            monkeypatch.delenv(name)
    data = tmp_path / "data"
    monkeypatch.setenv("OPTOUT_DATA_DIR", str(data))
    return data


@pytest.fixture
def data_dir(isolated_environment: Path) -> Path:
    return isolated_environment


@pytest.fixture
def signing_key() -> Ed25519PrivateKey:
    return generate_private_key()


@pytest.fixture
def make_app(data_dir: Path, signing_key: Ed25519PrivateKey) -> Callable[..., Flask]:
    def build(**settings: Any) -> Flask:
        config: dict[str, Any] = {"SIGNING_KEY": private_key_to_pem(signing_key).decode(), "EXTENSION_IDS": [CHROME_ID]}
        config.update(settings)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """A copy of the shipped rules that a test may change."""
    target = tmp_path / "rules"
    target.mkdir()
    shutil.copy(RULES_DIR / "pinterest.json", target / "pinterest.json")
    return target


@pytest.fixture
def live_server() -> Iterator[Callable[[Flask], str]]:
    """Serve an app on a loopback port with a real WSGI server; returns its base URL."""
    servers = []

    def start(app: Flask) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def stub_service() -> Iterator[StubService]:
    stub = StubService()
    yield stub
    stub.close()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL where nothing listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL server for the whole session (Debian's binaries, a unix socket in a temp dir)."""
    binaries = find_binaries()
    if binaries is None:
        pytest.skip("No PostgreSQL server is installed here (apt-get install postgresql): PostgreSQL runs skipped.")
    cluster = PostgresCluster(binaries).start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty reports database of each kind: SQLite in the test's directory, a new PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "reports")
    return request.getfixturevalue("postgres_cluster").create_database()
