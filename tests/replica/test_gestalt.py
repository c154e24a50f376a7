"""The `gestalt` variant: Pinterest's settings drawn by a React app made of Gestalt's own components.

The browser tests open the replica in a real Chromium and check what the engine will meet: Gestalt's markup,
switches first drawn off and then set to the account's states, saves through the JSON API on change or on Save.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from replica_helpers import Markup, read

from native_host.engine.browser import CHROMIUM_FLAGS, choose_browser
from replica import ConfigError, ReplicaConfig, gestalt_pages, pages, serve
from replica.app import READ_PATH

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BUILD_HINT = f"Build the Gestalt pages first: cd {gestalt_pages.PROJECT_DIR} && {gestalt_pages.BUILD_COMMAND}"


def test_the_variant_and_its_options_are_registered():
    assert ReplicaConfig(variant="gestalt", gestalt_delay=2.5, gestalt_save="save_bar").gestalt_save == "save_bar"
    with pytest.raises(ConfigError, match="gestalt_save"):
        ReplicaConfig(variant="gestalt", gestalt_save="later")
    with pytest.raises(ConfigError, match="gestalt_delay"):
        ReplicaConfig(variant="gestalt", gestalt_delay=-1)


def test_a_missing_bundle_gets_a_page_that_says_how_to_build_it(logged_in, tmp_path, monkeypatch):
    monkeypatch.setattr(gestalt_pages, "BUNDLE_DIR", tmp_path)
    _, client = logged_in(variant="gestalt")
    response = client.get("/settings/privacy")
    assert response.status_code == 503
    text = " ".join(Markup(response.get_data(as_text=True)).text)
    assert "npm ci && npm run build" in text
    assert str(gestalt_pages.PROJECT_DIR) in text
    assert client.get("/static/gestalt/settings.js").status_code == 404


def test_the_page_carries_its_layout_but_never_a_rule_id(logged_in):
    assert gestalt_pages.bundle_ready(), BUILD_HINT
    _, client = logged_in(variant="gestalt", gestalt_delay=0)
    html = client.get("/settings/privacy").get_data(as_text=True)
    assert "Use of partner info" in html  # the switch variant's wording, from pages.py
    assert not any(key in html for key in pages.ALL_KEYS)
    assert client.get("/static/gestalt/settings.js").status_code == 200
    assert client.get("/static/gestalt/settings.css").status_code == 200


def test_the_other_privacy_url_and_the_login_still_redirect(make_app):
    client = make_app(variant="gestalt").test_client()
    assert client.get("/settings/privacy").headers["Location"].startswith("/login/")
    assert client.get("/settings/privacy-and-data").headers["Location"] == "/settings/privacy"


def test_the_settings_resource_refuses_a_delay_it_cannot_honour(logged_in):
    _, client = logged_in(variant="gestalt", gestalt_delay=0)
    for delay in ("soon", "-1", "31", "nan"):
        response = client.get("/resource/UserSettingsResource/get/", query_string={"page": "privacy", "delay": delay})
        assert response.status_code == 400, delay
    assert read(client).status_code == 200


def test_the_bundle_keeps_the_license_comments_esbuild_emits():
    assert gestalt_pages.bundle_ready(), BUILD_HINT
    script = (gestalt_pages.BUNDLE_DIR / "settings.js").read_text()
    for package in ("react.production.js", "react-dom-client.production.js", "scheduler.production.js"):
        assert re.search(r"@license React\s*\*\s*" + re.escape(package), script), package
    assert "Copyright (c) 2018 Jed Watson." in script  # classnames


# --- in a real browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("home")
    env = {name: str(home) for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")}
    with sync_playwright() as playwright:
        executable = choose_browser(None, playwright.chromium.executable_path).executable_path
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS), env=env)
        yield browser
        browser.close()


class Visit:
    """One replica, one logged-in account, one browser page on it."""

    def __init__(self, chromium: Any, server: Any, states: dict[str, bool] | None = None):
        self.server = server
        self.cookies = server.store.new_session(states)
        self.context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        self.context.add_cookies([{"name": c["name"], "value": c["value"], "url": server.url} for c in self.cookies])
        self.page = self.context.new_page()

    def open(self, path: str = "/settings/privacy") -> Any:
        assert gestalt_pages.bundle_ready(), BUILD_HINT
        self.page.goto(self.server.url + path, wait_until="load")
        return self.page

    def state(self) -> dict[str, bool]:
        return self.server.store.state(self.cookies)

    def writes(self) -> list[tuple[str, bool]]:
        return self.server.store.writes(self.cookies)

    def switch(self, title: str) -> Any:
        return self.page.get_by_label(title)

    def wait_for_settings(self) -> None:
        """Until the settings resource has answered and the app has drawn the states it brought."""
        self.page.wait_for_function(
            "path => performance.getEntriesByType('resource').some(e => e.name.includes(path) && e.responseEnd > 0)",
            arg=READ_PATH,
            timeout=15000,
        )
        self.page.wait_for_timeout(300)  # React draws the states it got on its next frame


@pytest.fixture()
def visit(chromium: Any) -> Iterator[Callable[..., Visit]]:
    opened: list[tuple[Visit, Any]] = []

    def make(states: dict[str, bool] | None = None, **config: Any) -> Visit:
        server = serve({"variant": "gestalt", **config})
        made = Visit(chromium, server, states)
        opened.append((made, server))
        return made

    yield make
    for made, server in opened:
        made.context.close()
        server.stop()


def titles(server: Any) -> dict[str, str]:
    return {control["key"]: control["title"] for control in server.store.controls()}


@pytest.mark.browser
def test_switches_are_gestalt_switches_with_a_separate_label(visit):
    account = visit(gestalt_delay=0)
    page = account.open()
    partner = titles(account.server)[pages.PARTNER]
    switch = account.switch(partner)
    switch.wait_for(state="attached", timeout=15000)
    shape = switch.evaluate(
        """input => ({
            tag: input.tagName, type: input.type, id: input.id,
            attributes: ['role', 'aria-checked', 'aria-label'].filter(name => input.hasAttribute(name)),
            opacity: getComputedStyle(input).opacity,
            wrapper: input.parentElement.tagName, siblings: input.parentElement.children.length,
            slider: input.nextElementSibling && input.nextElementSibling.tagName,
            labelOutside: !input.closest('label'),
            labelText: document.querySelector(`label[for="${input.id}"]`).innerText,
        })"""
    )
    assert shape["tag"] == "INPUT" and shape["type"] == "checkbox"
    assert shape["attributes"] == []
    assert shape["opacity"] == "0"  # Gestalt's CSS makes the real input transparent over its track
    assert (shape["wrapper"], shape["siblings"], shape["slider"]) == ("DIV", 2, "DIV")
    assert shape["labelOutside"]
    assert partner in shape["labelText"]
    assert page.locator("[data-test], [data-test-id]").count() == 0
    assert page.get_by_role("heading", name="Privacy and data", level=1).is_visible()

    # The decoy section is a closed Gestalt Accordion: its switch is absent until the section is opened.
    personalized = titles(account.server)[pages.PERSONALIZED]
    account.wait_for_settings()
    assert account.page.get_by_label(personalized).count() == 0
    page.get_by_role("button", name="Show Personalization").click()
    assert account.switch(personalized).is_checked()
    assert account.writes() == []
    rendered = page.content()
    assert not [key for key in pages.ALL_KEYS if key in rendered], "rule ids stay in the app's memory"

    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the header is sticky: a scrolled page would show it mid-picture
    page.screenshot(path=str(ARTIFACTS / "replica-gestalt.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("delay_from", ["config", "query"])
def test_switches_show_the_default_first_and_the_accounts_states_once_they_arrive(visit, delay_from):
    states = {pages.PARTNER: True, pages.SITES: False, pages.CANVAS: True}
    if delay_from == "config":
        account = visit(states, gestalt_delay=1.5)
        page = account.open()
    else:
        account = visit(states, gestalt_delay=0)
        page = account.open("/settings/privacy?delay=1.5")
    names = titles(account.server)
    partner = account.switch(names[pages.PARTNER])
    partner.wait_for(state="attached", timeout=15000)
    assert not partner.is_checked(), "drawn in its default position before the settings arrive"

    account.wait_for_settings()
    shown = {key: account.switch(names[key]).is_checked() for key in states}
    assert shown == states
    for key in pages.AD_KEYS:
        assert account.switch(names[key]).is_checked() == account.state()[key], key
    assert page.get_by_text("Saved").count() == 0


@pytest.mark.browser
def test_a_click_saves_at_once_through_the_api(visit):
    account = visit(gestalt_delay=0.2)
    page = account.open()
    account.wait_for_settings()
    partner = titles(account.server)[pages.PARTNER]
    page.locator(f"label[for='{account.switch(partner).get_attribute('id')}']").click()
    page.get_by_text("Saved", exact=True).wait_for(timeout=5000)
    assert account.writes() == [(pages.PARTNER, False)]
    assert account.state()[pages.PARTNER] is False

    account.open()
    account.wait_for_settings()
    assert not account.switch(partner).is_checked()
    assert account.switch(titles(account.server)[pages.SITES]).is_checked()


@pytest.mark.browser
def test_the_save_bar_appears_after_the_first_change_and_saves_only_on_save(visit):
    account = visit(gestalt_delay=0.2, gestalt_save="save_bar", save_label="Save")
    page = account.open()
    account.wait_for_settings()
    save = page.get_by_role("button", name="Save", exact=True)
    assert save.count() == 0, "no Save bar before a change"

    names = titles(account.server)
    account.switch(names[pages.PARTNER]).click()
    account.switch(names[pages.SITES]).click()
    save.wait_for(timeout=5000)
    page.wait_for_timeout(300)
    assert account.server.store.saves(account.cookies) == [], "nothing is sent before Save"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "replica-gestalt-save-bar.png"))

    save.click()
    page.get_by_text("Saved", exact=True).wait_for(timeout=5000)
    assert sorted(account.writes()) == sorted([(pages.PARTNER, False), (pages.SITES, False)])
    assert save.count() == 0, "the bar goes once everything is saved"


@pytest.mark.browser
def test_reset_puts_the_saved_states_back_and_sends_nothing(visit):
    account = visit(gestalt_delay=0, gestalt_save="save_bar")
    page = account.open()
    account.wait_for_settings()
    partner = account.switch(titles(account.server)[pages.PARTNER])
    partner.click()
    assert not partner.is_checked()
    page.get_by_role("button", name="Reset").click()
    assert partner.is_checked()
    assert page.get_by_role("button", name="Done").count() == 0
    assert account.server.store.saves(account.cookies) == []


@pytest.mark.browser
def test_genai_interests_sit_in_their_own_tab(visit):
    account = visit(gestalt_delay=0)
    page = account.open("/settings/refine-recommendations")
    account.wait_for_settings()
    # Gestalt's Tabs are links; the open one carries aria-current="page".
    interests, genai = (
        page.get_by_role("link", name="Interests", exact=True),
        page.get_by_role("link", name="GenAI interests"),
    )
    assert (interests.get_attribute("aria-current"), genai.get_attribute("aria-current")) == ("page", None)
    travel = page.get_by_role("checkbox", name="Travel")  # ordinary interests are Gestalt Checkboxes
    assert travel.is_checked()
    assert travel.get_attribute("aria-invalid") == "false"
    assert page.locator(f"label[for='{travel.get_attribute('id')}']").inner_text() == "Travel"
    assert page.get_by_label("Show AI content").count() == 0
    genai.click()
    assert genai.get_attribute("aria-current") == "page"
    assert page.get_by_label("Show AI content").is_checked()
    assert page.get_by_label("Travel").count() == 0
    assert account.writes() == []
