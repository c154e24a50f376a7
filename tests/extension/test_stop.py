"""The Stop button ends a run on the helper, the popup says what happened, and focus is never lost."""

from __future__ import annotations

import json
from typing import Any

import pytest

from replica import ReplicaConfig, serve

from .browser import ROOT, extension_on_replica, log_in, open_popup, screenshot

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 60_000
RULES = json.loads((ROOT / "rules" / "pinterest.json").read_text())
DEFAULT_SETTINGS = {setting["id"]: setting["desired"] == "on" for setting in RULES["settings"] if setting["default"]}


def active_id(popup: Any) -> str:
    return popup.evaluate("() => document.activeElement?.id ?? ''")


def test_stop_cancels_the_run_and_focus_returns_to_the_main_button(tmp_path: Any) -> None:
    from playwright.sync_api import expect

    with serve(ReplicaConfig()) as replica, extension_on_replica(replica, tmp_path) as context:
        session = log_in(context)
        popup = open_popup(context)
        popup.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'", timeout=30_000)
        stop = popup.locator("#stop")
        expect(stop).to_be_hidden()

        popup.focus("#opt-out")
        popup.keyboard.press("Enter")
        popup.locator(".pill.busy").first.wait_for(timeout=RUN_TIMEOUT_MS)
        expect(stop).to_be_visible()
        assert active_id(popup) == "stop"  # the disabled main button does not drop focus to the page
        stop.click()
        popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)

        assert popup.evaluate("() => document.querySelector('main').dataset.finished") == "cancelled"
        summary = popup.locator("#summary")
        expect(summary.locator("h2")).to_have_text("Stopped")
        # Announced once, at the end, from a status region that the progress redraws never touch.
        expect(popup.locator("#announce")).to_contain_text("Stopped")
        assert popup.locator("#headline[aria-live], #summary[aria-live]").count() == 0
        expect(stop).to_be_hidden()
        assert active_id(popup) == "opt-out"
        screenshot(popup, "popup-stopped.png")
        state = replica.store.state(session)
        done = [key for key, wanted in DEFAULT_SETTINGS.items() if state[key] == wanted]
        assert len(done) < len(DEFAULT_SETTINGS), "the run went on to the end despite Stop"
