"""Helpers shared by the rules service tests: rules documents and a stand-in rules service."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from native_host.rules.format import shipped_rules_path
from native_host.rules.signing import stamp, utc_now

CHROME_ID = "abcdefghijklmnopabcdefghijklmnop"


def rules_document(**changes: Any) -> dict[str, Any]:
    document = json.loads(shipped_rules_path("pinterest").read_text(encoding="utf-8"))
    document.update(changes)
    return document


def dated(raw: bytes, issued: datetime | None = None, lifetime: timedelta = timedelta(days=7)) -> bytes:
    """`raw` with the signer's dates written in, as signing.sign_rules does, but without checking the rules: tests
    also sign rules that no client may run, to see them refused."""
    issued = issued or utc_now()
    document = {**json.loads(raw), "issued": stamp(issued), "expires": stamp(issued + lifetime)}
    return json.dumps(document, indent=2).encode()


def write_rules(directory: Path, document: dict[str, Any], name: str | None = None) -> Path:
    path = directory / (name or f"{document['platform']}.json")
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


class StubService:
    """A stand-in rules service that answers whatever the test sets: a body and a status."""

    def __init__(self) -> None:
        self.body = b"{}"
        self.status = 200
        self.requests: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                stub.requests.append(self.path)
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(stub.body)))
                self.end_headers()
                self.wfile.write(stub.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, envelope: dict[str, Any] | bytes, status: int = 200) -> None:
        self.body = envelope if isinstance(envelope, bytes) else json.dumps(envelope).encode()
        self.status = status

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
