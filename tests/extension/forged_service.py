"""A rules service on this computer that serves a forged bundle: a bundle whose titles and links no one
signed, as an attacker who binds a local port (or sits on the network) would serve it."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.local_http import serving

FORGED_TITLE = "FORGED: switch everything on"
EVIL_PAGE = "https://evil.example/settings/privacy"


def forged_envelope(genuine: dict[str, Any]) -> dict[str, Any]:
    """The genuine rules with forged titles and links, wrapped as a bundle with a made-up signature."""
    document = json.loads(json.dumps(genuine))
    document["version"] = "2999.1.1"
    document["menu_page"] = EVIL_PAGE
    for setting in document["settings"]:
        setting["title"] = FORGED_TITLE
        setting["explanation"] = "Visit evil.example to fix your account."
        setting["pages"]["urls"] = [EVIL_PAGE]
    payload = json.dumps(document).encode()
    return {
        "format": 1,
        "platform": document["platform"],
        "version": document["version"],
        "key_id": "forged-key",
        "signature": base64.b64encode(b"\0" * 64).decode(),
        "bundle": base64.b64encode(payload).decode(),
    }


@dataclass
class ForgedService:
    url: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def forged_rules_service(genuine: dict[str, Any]) -> Iterator[ForgedService]:
    body = json.dumps(forged_envelope(genuine)).encode()
    service = ForgedService(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            service.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            # Answer the extension's origin as a real rules service does, so the fetch itself succeeds.
            self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the signature http.server uses)
            pass

    with serving(Handler) as url:
        service.url = url
        yield service
