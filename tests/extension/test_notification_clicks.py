"""Clicking a notification's body does the notice's action in Chromium too, not only its buttons."""

import pytest

from .browser import EXTENSION_ID, isolated_env, launch, service_worker

pytestmark = pytest.mark.browser


def test_clicking_a_notice_does_its_action(tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", isolated_env(tmp_path))
        try:
            worker = service_worker(context)
            worker.evaluate("() => globalThis.onNotificationClicked('new-settings')")
            # Chromium may open Options in the blank tab it starts with, so ask the browser rather than Playwright.
            tabs = worker.evaluate("async () => (await chrome.tabs.query({})).map((tab) => tab.url || tab.pendingUrl)")
            assert f"chrome-extension://{EXTENSION_ID}/options.html" in tabs, tabs

            # "Fix now" is the drift notice's action: with no helper installed, the opt-out it starts says so.
            worker.evaluate("() => globalThis.onNotificationClicked('drift')")
            problem = worker.evaluate("async () => (await chrome.storage.local.get('problem')).problem")
            assert problem["kind"] == "host_missing", problem
        finally:
            context.close()
