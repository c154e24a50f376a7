"""Watching a page's own requests: when a save has gone through, and whether Pinterest refused it."""

from __future__ import annotations

import time
from typing import Any

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class NetworkWatch:
    """Counts the page's requests in flight and notes every write the server refused."""

    def __init__(self, page: Any, limit_seconds: float = 10.0):
        self.limit_seconds = limit_seconds
        self.in_flight: set[Any] = set()
        self.last_activity = time.monotonic()
        self.requests_seen = 0
        self.refusals: list[str] = []
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)

    def start(self) -> None:
        """Begin watching for the requests of one action."""
        self.requests_seen = 0
        self.refusals = []

    def idle(self) -> bool:
        return not self.in_flight

    def problem(self) -> str | None:
        return "; ".join(dict.fromkeys(self.refusals)) or None

    def wait_for_saves(self, page: Any, quiet_seconds: float = 0.01, no_request_seconds: float = 0.4) -> None:
        """Wait until the requests the action started have ended (or, if it started none, a short while)."""
        started = time.monotonic()
        while time.monotonic() - started < self.limit_seconds:
            page.wait_for_timeout(10)
            now = time.monotonic()
            if self.in_flight:
                continue
            if self.requests_seen and now - self.last_activity >= quiet_seconds:
                return
            if not self.requests_seen and now - started >= no_request_seconds:
                return

    def _started(self, request: Any) -> None:
        self.in_flight.add(request)
        self.requests_seen += 1
        self.last_activity = time.monotonic()

    def _ended(self, request: Any) -> None:
        self.in_flight.discard(request)
        self.last_activity = time.monotonic()

    def _failed(self, request: Any) -> None:
        self._ended(request)
        if request.method not in READ_METHODS:
            self.refusals.append(f"the request to save did not complete ({request.failure or 'no answer'})")

    def _answered(self, response: Any) -> None:
        # An answered request counts as ended: Chromium may never report the end of an error body nobody reads.
        self._ended(response.request)
        if response.request.method not in READ_METHODS and response.status >= 400:
            self.refusals.append(f"Pinterest answered {response.status} {response.status_text}".strip())
