"""The welcome page a first install opens: three steps, each ticked live in real Chromium with the real helper
on the replica (helper missing, then registered, then logged in, then a first opt-out), with axe-core in light and
dark and the pictures to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from native_host.engine.site_map_proxy import SiteMapProxies
from replica import ReplicaConfig, serve

from .accessibility import audit
from .browser import EXTENSION_ID, isolated_env, launch, log_in, ready_popup, register_host, wait_until

pytestmark = pytest.mark.browser

WELCOME = f"chrome-extension://{EXTENSION_ID}/welcome.html"
# The page asks the helper every 4 s: a step is ticked within two checks and a start-up of the helper.
TICK_TIMEOUT_MS = 20_000


def welcome_page(context: Any) -> Any:
    """The tab the extension opened on install (not one the test opened)."""
    page = next((page for page in context.pages if page.url == WELCOME), None)
    page = page or context.wait_for_event("page", lambda page: page.url == WELCOME, timeout=15_000)
    page.set_viewport_size({"width": 900, "height": 900})
    page.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'", timeout=15_000)
    return page


def popup_keeps_its_alert_while_the_page_checks(context: Any) -> None:
    """Each check of the welcome page records "helper missing" again; the popup's alert must not be rewritten
    (and so read out again) for that."""
    popup = ready_popup(context)
    popup.locator("#problem[data-kind='host_missing']").wait_for()
    popup.evaluate(
        """() => {
            globalThis.problemRewrites = 0;
            new MutationObserver((changes) => { globalThis.problemRewrites += changes.length; }).observe(
                document.querySelector("#problem"), { subtree: true, childList: true, characterData: true });
        }"""
    )
    recorded_at = "async () => (await chrome.storage.local.get('problem')).problem.at"
    first = popup.evaluate(recorded_at)
    wait_until(lambda: popup.evaluate(recorded_at) > first, TICK_TIMEOUT_MS / 1000, "the page to check again")
    popup.wait_for_timeout(300)  # the popup's redraw after that storage change
    assert popup.evaluate("() => globalThis.problemRewrites") == 0
    popup.close()


def test_welcome_page_ticks_each_step_as_it_is_done(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    env = isolated_env(tmp_path)
    profile = tmp_path / "profile"
    with serve(ReplicaConfig()) as replica:
        site_map = {"https://www.pinterest.com": replica.url}
        with SiteMapProxies(site_map) as proxies, sync_playwright() as playwright:
            context = launch(playwright, profile, env, proxies.browser_args())
            try:
                page = welcome_page(context)
                helper, login, opt_out = (page.locator(f"#step-{step}") for step in ("helper", "login", "opt-out"))
                expect(helper).to_have_attribute("data-done", "false")
                expect(page.locator("#state-helper")).to_have_text("Waiting for the helper")
                expect(login).to_have_attribute("data-done", "false")
                expect(page.locator("#opt-out")).to_be_disabled()
                # This machine runs Linux: its instructions come first and show, the others one click away.
                systems = page.locator("#systems button")
                expect(systems).to_have_text(["Linux", "macOS", "Windows"])
                expect(systems.first).to_have_attribute("aria-pressed", "true")
                expect(page.locator("#command")).to_have_text(
                    "sudo apt install -y pipx && pipx install ~/Downloads/optout-1.0.0-py3-none-any.whl"
                    " && ~/.local/bin/optout install"
                )
                systems.nth(1).click()
                expect(page.locator("#command")).to_contain_text("python3 -m pip install --user")
                expect(page.locator("#guide-steps")).to_contain_text("python.org")
                systems.first.click()
                page.evaluate(
                    """() => {
                        const write = navigator.clipboard.writeText.bind(navigator.clipboard);
                        navigator.clipboard.writeText = (text) => write((globalThis.copied = text));
                    }"""
                )
                page.click("#copy")
                expect(page.locator("#copy")).to_have_text("Copied")
                assert page.evaluate("() => globalThis.copied") == page.locator("#command").text_content()
                audit(page, "welcome-helper-missing")
                popup_keeps_its_alert_while_the_page_checks(context)

                register_host(profile, tmp_path, env, site_map)  # as `optout install` would
                expect(helper).to_have_attribute("data-done", "true", timeout=TICK_TIMEOUT_MS)
                expect(page.locator("#state-helper")).to_have_text("Done")
                expect(login).to_have_attribute("data-done", "false")

                log_in(context)
                expect(login).to_have_attribute("data-done", "true", timeout=TICK_TIMEOUT_MS)
                expect(page.locator("#opt-out")).to_be_enabled()
                audit(page, "welcome-ready")

                page.click("#opt-out")
                expect(opt_out).to_have_attribute("data-done", "true", timeout=120_000)
                expect(page.locator("#all-done")).to_contain_text("All set")
                audit(page, "welcome-all-done")
            finally:
                context.close()
