"""Without the helper installed, the popup links to the welcome page's install steps, and the badge says so."""

import pytest

from .accessibility import audit
from .browser import isolated_env, launch, open_popup, service_worker

pytestmark = pytest.mark.browser


def test_popup_links_to_the_install_steps_when_the_host_is_missing(tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", isolated_env(tmp_path))
        try:
            worker = service_worker(context)
            popup = open_popup(context)
            problem = popup.locator("#problem")
            expect(problem).to_have_attribute("data-kind", "host_missing", timeout=15_000)
            expect(problem).to_contain_text("install the Optout helper")
            link = popup.locator("#problem #welcome-link")
            expect(link).to_have_text("Show me how to install it \u2192")
            expect(link).to_have_attribute("href", "welcome.html")
            expect(popup.locator("#problem")).not_to_contain_text("terminal")
            popup.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'")
            audit(popup, "popup-host-missing")
            # The alert is said once: a redraw (any change in storage) leaves its words untouched.
            popup.evaluate(
                """() => {
                    const count = (name) => (changes) => { globalThis[name] += changes.length; };
                    const watch = { subtree: true, childList: true, characterData: true };
                    globalThis.problemRewrites = 0;
                    globalThis.headlineRewrites = 0;
                    new MutationObserver(count("problemRewrites")).observe(document.querySelector("#problem"), watch);
                    new MutationObserver(count("headlineRewrites")).observe(document.querySelector("#headline"), watch);
                }"""
            )
            worker.evaluate("() => chrome.storage.local.set({ redrawProbe: Date.now() })")
            popup.wait_for_function("() => globalThis.headlineRewrites > 0")  # the popup did redraw
            assert popup.evaluate("() => globalThis.problemRewrites") == 0
            assert worker.evaluate("() => chrome.action.getBadgeText({})") == "!"
        finally:
            context.close()
