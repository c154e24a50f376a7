"""`optout publish DIR`: the service's answers as static files, served by a plain static server to the rules client."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask

from native_host.cli.main import main
from native_host.rules.format import load_shipped_rules
from native_host.rules.signing import key_id, private_key_to_pem
from native_host.rules.sources import resolve_rules
from server.publish import publish


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def static_server() -> Iterator[Callable[[Path], str]]:
    """A plain static file server on 127.0.0.1 (Python's http.server): no app, no headers file, just files."""
    servers: list[ThreadingHTTPServer] = []

    def serve(directory: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def signing_settings(signing_key: Ed25519PrivateKey) -> dict[str, Any]:
    return {"SIGNING_KEY": private_key_to_pem(signing_key).decode()}


def test_every_file_is_the_service_answer_at_the_service_path(
    tmp_path: Path, make_app: Callable[..., Flask], signing_settings: dict[str, Any]
) -> None:
    site = tmp_path / "site"
    files, _ = publish(site, signing_settings)
    client = make_app().test_client()
    for path in ("/api/v1/rules/pinterest", "/api/v1/platforms", "/api/v1/keys"):
        answer = client.get(path)
        assert (site / path.lstrip("/")).read_bytes() == answer.data, path
    published = {file.url_path: file for file in files}
    rules = client.get("/api/v1/rules/pinterest")
    assert published["/api/v1/rules/pinterest"].headers["ETag"] == rules.headers["ETag"]
    assert published["/api/v1/rules/pinterest"].headers["Cache-Control"] == rules.headers["Cache-Control"]
    assert published["/api/v1/rules/pinterest"].headers["X-Optout-Key-Id"] == rules.headers["X-Optout-Key-Id"]
    assert (
        published["/api/v1/platforms"].headers["Cache-Control"]
        == client.get("/api/v1/platforms").headers["Cache-Control"]
    )
    openapi = json.loads((site / "api/v1/openapi.json").read_bytes())
    assert openapi == client.get("/api/v1/openapi.json").get_json()


def test_the_headers_file_gives_each_path_its_type_lifetime_etag_and_digest(
    tmp_path: Path, signing_settings: dict[str, Any]
) -> None:
    import base64
    import hashlib

    site = tmp_path / "site"
    publish(site, signing_settings)
    blocks = {}
    for block in (site / "_headers").read_text().strip().split("\n\n"):
        path, *lines = block.splitlines()
        assert all(line.startswith("  ") for line in lines)
        blocks[path] = dict(line.strip().split(": ", 1) for line in lines)
    assert set(blocks) == {"/api/v1/rules/pinterest", "/api/v1/platforms", "/api/v1/keys", "/api/v1/openapi.json"}
    for path, headers in blocks.items():
        body = (site / path.lstrip("/")).read_bytes()
        assert headers["Content-Type"] == "application/json"
        assert headers["Cache-Control"].startswith("public, max-age=")
        assert headers["ETag"].startswith('"') and headers["ETag"].endswith('"')
        assert headers["Content-Digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(body).digest()).decode()}:"
    listing = json.loads((site / "headers.json").read_text())["files"]
    assert {entry["path"]: entry["headers"] for entry in listing} == blocks


def test_the_rules_client_resolves_rules_from_a_plain_static_server(
    tmp_path: Path, signing_key: Ed25519PrivateKey, signing_settings: dict[str, Any], static_server
) -> None:
    site = tmp_path / "site"
    publish(site, signing_settings)
    url = static_server(site)
    public = signing_key.public_key()
    resolved = resolve_rules("pinterest", url, data_dir=tmp_path / "client", trusted_keys={key_id(public): public})
    assert resolved.source == "service" and resolved.refused is None
    assert resolved.rules.version == load_shipped_rules("pinterest").version

    envelope = json.loads((site / "api/v1/rules/pinterest").read_bytes())
    envelope["signature"] = envelope["signature"][::-1]  # a CDN copy changed on the way is still refused
    (site / "api/v1/rules/pinterest").write_text(json.dumps(envelope))
    tampered = resolve_rules("pinterest", url, data_dir=tmp_path / "client", trusted_keys={key_id(public): public})
    assert tampered.refused is not None and tampered.source != "service"
    assert tampered.rules.version == resolved.rules.version  # the rules held since keep running


def test_optout_publish_writes_the_site_and_drops_platforms_no_longer_published(
    tmp_path: Path, signing_key: Ed25519PrivateKey, capsys
) -> None:
    key_file = tmp_path / "signing.pem"
    key_file.write_bytes(private_key_to_pem(signing_key))
    site = tmp_path / "site"
    (site / "api/v1/rules").mkdir(parents=True)
    (site / "api/v1/rules/retired-platform").write_text("{}")
    assert main(["publish", str(site), "--key", str(key_file)]) == 0
    assert not (site / "api/v1/rules/retired-platform").exists()
    envelope = json.loads((site / "api/v1/rules/pinterest").read_bytes())
    assert envelope["key_id"] == key_id(signing_key.public_key())
    assert f"{site}/api/v1/rules/pinterest" in capsys.readouterr().out


def test_optout_publish_refuses_what_the_service_would_refuse(tmp_path: Path, capsys) -> None:
    bundles = tmp_path / "empty-bundles"
    bundles.mkdir()
    assert main(["publish", str(tmp_path / "site"), "--bundles", str(bundles)]) != 0
    assert "nothing to serve" in capsys.readouterr().err
    assert not (tmp_path / "site" / "api").exists()
