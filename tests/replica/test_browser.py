"""One real browser on the mapped origin: log in through the form, click a switch's label, see the server change."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from native_host.engine.browser import CHROMIUM_FLAGS, choose_browser
from native_host.engine.site_map_proxy import SiteMapProxies
from replica import pages, serve

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PINTEREST = "https://www.pinterest.com"


@pytest.fixture()
def quiet_env(tmp_path, monkeypatch):
    """Chromium writes outside its profile; keep that in this test's temp dir."""
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(name, str(tmp_path))


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.browser
def test_log_in_and_toggle_a_switch_by_its_label(quiet_env):
    from playwright.sync_api import sync_playwright

    executable = choose_browser(None, None).executable_path
    with serve({"variant": "switch", "seed": 7}) as server, SiteMapProxies({PINTEREST: server.url}) as proxies:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=[*CHROMIUM_FLAGS, *proxies.browser_args()]
            )
            try:
                context = browser.new_context(ignore_https_errors=True, locale="en-US")
                page = context.new_page()
                page.goto(f"{PINTEREST}/settings/privacy", timeout=15000)
                assert page.url.startswith(f"{PINTEREST}/login/")
                page.get_by_label("Email").fill("me@example.com")
                page.get_by_label("Password").fill("secret")
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(f"{PINTEREST}/settings/privacy", timeout=15000)

                switch = page.get_by_label("Use of partner info")
                switch.wait_for(state="attached", timeout=15000)
                assert switch.is_checked()
                for attribute in ("role", "aria-checked", "aria-label"):
                    assert switch.get_attribute(attribute) is None, attribute
                assert page.locator("[data-test], [data-test-id]").count() == 0

                session = next(c["value"] for c in context.cookies() if c["name"] == "_pinterest_sess")
                store = server.store
                assert store.state(session)[pages.PARTNER] is True
                page.locator(f"label[for='{switch.get_attribute('id')}']").click()
                assert wait_for(lambda: store.writes(session) == [(pages.PARTNER, False)]), store.saves(session)
                assert store.state(session)[pages.PARTNER] is False
                assert not switch.is_checked()

                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "replica-switch.png"), full_page=True)
            finally:
                browser.close()
