"""Whatever a page shows, a run's reply fits the host's 1 MB frame, and each request ends exactly once."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from native_host.engine import run as engine
from native_host.engine.report import ProgressEvent
from native_host.messaging.framing import MAX_REPLY_BYTES, encode_frame, encode_message
from native_host.messaging.host import Host
from native_host.statuses import SettingStatus

OFF_PINTEREST = "pinterest.ads.off_pinterest"
HUGE = "x" * 40_000


def huge_page() -> str:
    """About 6 MB of text: every label, heading, link and button is enormous, and many controls fit one rule."""
    rows = "".join(
        f"<h2>Ads {n} {HUGE}</h2><label><input type=checkbox checked> Ads off Pinterest {n} {HUGE}</label>"
        f"<a href='/settings/x?{HUGE}'>{HUGE}</a><button>{HUGE}</button>"
        for n in range(40)
    )
    return f"<!doctype html><title>{HUGE}</title><h1>Privacy and data</h1>{rows}"


@pytest.fixture()
def huge_site(quiet_home):
    app = Flask(__name__)
    page = huge_page()
    app.add_url_rule("/<path:anything>", "page", lambda anything: page)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class Frames:
    """Stands in for the browser's end of the pipe: refuses what the real frame writer would refuse."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, message: dict[str, Any]) -> None:
        encode_frame(message)  # ReplyTooLarge over 1 MB, exactly as FrameWriter
        with self.lock:
            self.messages.append(message)

    def terminal(self, request_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if m["id"] == request_id and m["event"] in ("result", "error")]

    def wait_for_terminal(self, request_id: str, seconds: float = 120) -> list[dict[str, Any]]:
        deadline = time.monotonic() + seconds
        while not self.terminal(request_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # anything sent after the end would show now
        return self.terminal(request_id)


def start_run(host: Host, request_id: str) -> None:
    request = {"id": request_id, "type": "check", "platform": "pinterest", "cookies": [], "settings": [OFF_PINTEREST]}
    host.dispatcher.handle_frame(encode_message(request))


@pytest.mark.browser
def test_a_page_of_huge_labels_gives_one_result_under_the_frame_limit(huge_site, tmp_path):
    def run_on_huge_site(mode, rules, cookies, settings, on_progress, cancel, origin):
        options = engine.RunOptions(site_map={"https://www.pinterest.com": huge_site}, pause_seconds=0)
        return engine.check(rules, cookies, settings, options, on_progress, cancel, origin)

    frames = Frames()
    host = Host(frames, run_function=run_on_huge_site, base=tmp_path)
    start_run(host, "big")
    [final] = frames.wait_for_terminal("big")
    host.shut_down(5)
    assert final["event"] == "result", final  # not the error that replaces a reply over the limit
    [result] = final["data"]["results"]
    assert result["status"] == SettingStatus.AMBIGUOUS
    assert len(encode_message(final)) < MAX_REPLY_BYTES / 10
    assert len(result["message"]) < 1000


def test_an_engine_that_raises_still_ends_its_request_exactly_once(tmp_path):
    def broken(mode, rules, cookies, settings, on_progress, cancel, origin):
        on_progress(ProgressEvent("launching", "Starting"))
        raise RuntimeError("boom " + HUGE * 50)  # a huge message too

    frames = Frames()
    host = Host(frames, run_function=broken, base=tmp_path)
    start_run(host, "r1")
    [final] = frames.wait_for_terminal("r1", seconds=10)
    host.shut_down(5)
    assert final["event"] == "error" and final["error"]["name"] == "internal", final
