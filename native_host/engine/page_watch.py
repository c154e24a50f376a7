"""Watching a page's own requests: whether its data has arrived, and what the writes of one action got.

Plain bookkeeping fed by the page driver (page_driver.py attaches it to Playwright's request events), so the
rules it follows are unit-tested without a browser:
- The page's data requests are its main frame's documents, scripts, XHRs and fetches. Images, fonts, style
  sheets, beacons and other frames never carry the states of its controls, and a tracker that keeps one of them
  open must not hold a run forever.
- A write is any request of the main frame that is not a read (GET, HEAD, OPTIONS), except beacons: those are
  the page's own analytics, never a save.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DATA_TYPES = frozenset({"document", "script", "xhr", "fetch"})
WRITE_TYPES = frozenset({"document", "xhr", "fetch"})


@dataclass
class ActionOutcome:
    """What the writes set off by one action (a click, a Save) got."""

    writes: int = 0  # write requests sent
    accepted: int = 0  # writes answered with a success status
    refusals: list[str] = field(default_factory=list)  # sentences: what went wrong with the others
    pending: int = 0  # writes not answered yet

    def problem(self) -> str | None:
        return "; ".join(dict.fromkeys(self.refusals)) or None


@dataclass
class _Request:
    started: float
    data: bool
    write: bool


class NetworkWatch:
    """The page's data requests in flight, and the writes of the current action."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._open: dict[Hashable, _Request] = {}
        self._last_data_end = clock()
        self._action = ActionOutcome()

    # -- fed by the page driver ------------------------------------------------------------------------------
    def started(self, key: Hashable, method: str, resource_type: str, main_frame: bool) -> None:
        if not main_frame:
            return
        write = method.upper() not in READ_METHODS and resource_type in WRITE_TYPES
        request = _Request(self._clock(), resource_type in DATA_TYPES, write)
        if not (request.data or request.write):
            return
        self._open[key] = request
        if write:
            self._action.writes += 1
            self._action.pending += 1

    def answered(self, key: Hashable, status: int, status_text: str = "") -> None:
        """A response came (the body may still be arriving)."""
        request = self._open.get(key)
        if request is None:
            return
        if request.write:
            request.write = False  # counted once, even when the body's end is reported too
            self._action.pending -= 1
            if status < 400:
                self._action.accepted += 1
            else:
                self._action.refusals.append(f"Pinterest answered {status} {status_text}".strip())
        if status >= 400:
            # Chromium may never report the end of an error body nobody reads: it must not hold the page.
            self.ended(key)

    def ended(self, key: Hashable) -> None:
        request = self._open.pop(key, None)
        if request is None:
            return
        if request.data:
            self._last_data_end = self._clock()
        if request.write:  # ended with no response seen: treat like an answer we could not read
            self._action.pending -= 1

    def failed(self, key: Hashable, reason: str) -> None:
        request = self._open.get(key)
        if request is not None and request.write:
            request.write = False
            self._action.pending -= 1
            self._action.refusals.append(f"the request to save did not complete ({reason or 'no answer'})")
        self.ended(key)

    def navigated(self) -> None:
        """A new document replaced the page: requests of the old one will never be reported as ended."""
        started = self._clock()
        for key in [key for key, request in self._open.items() if request.started < started]:
            self.ended(key)

    # -- asked by the engine ---------------------------------------------------------------------------------
    def begin_action(self) -> None:
        self._action = ActionOutcome()

    def action(self) -> ActionOutcome:
        return self._action

    def quiet_for(self) -> float:
        """Seconds since the page's last data request ended; 0 while one is still open."""
        if any(request.data for request in self._open.values()):
            return 0.0
        return self._clock() - self._last_data_end
