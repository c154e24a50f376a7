"""A stand-in for the rules service's report intake on this computer: it keeps every field report POSTed to
/api/v1/reports and answers 202 with an id, with the CORS answers a browser asks for first. Anything else: 404."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.local_http import serving

REPORTS_PATH = "/api/v1/reports"


@dataclass
class ReportInbox:
    url: str
    reports: list[Any] = field(default_factory=list)
    other_requests: list[str] = field(default_factory=list)


@contextmanager
def report_inbox() -> Iterator[ReportInbox]:
    inbox = ReportInbox(url="")

    class Handler(BaseHTTPRequestHandler):
        def _cors(self) -> None:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")

        def do_OPTIONS(self) -> None:  # noqa: N802 - the name http.server calls
            self.send_response(204)
            self._cors()
            self.end_headers()

        def do_POST(self) -> None:  # noqa: N802
            if self.path != REPORTS_PATH:
                self.do_GET()
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            inbox.reports.append(json.loads(body))
            answer = json.dumps({"id": len(inbox.reports)}).encode()
            self.send_response(202)
            self._cors()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_GET(self) -> None:  # noqa: N802
            inbox.other_requests.append(f"{self.command} {self.path}")
            self.send_response(404)
            self._cors()
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    with serving(Handler) as url:
        inbox.url = url
        yield inbox
