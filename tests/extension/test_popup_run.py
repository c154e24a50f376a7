"""What the popup says about a run claims only what happened, and Stop ends a run without losing focus."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from replica import ReplicaConfig, serve

from .accessibility import POPUP_AT_200_PERCENT, audit, fully_in_view, nested_scroll_areas
from .browser import ROOT, extension_on_replica, log_in, open_popup, ready_popup, service_worker

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 60_000
RULES = json.loads((ROOT / "rules" / "pinterest.json").read_text())
DEFAULT_SETTINGS = {setting["id"]: setting["desired"] == "on" for setting in RULES["settings"] if setting["default"]}
CANVAS = "pinterest.genai.canvas_training"


@dataclass
class World:
    replica: Any
    context: Any
    session: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("popup-run")
    with serve(ReplicaConfig()) as replica, extension_on_replica(replica, tmp) as context:
        yield World(replica, context, log_in(context))


def opt_out(popup: Any) -> str:
    popup.click("#opt-out")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
    return popup.evaluate("() => document.querySelector('main').dataset.finished")


def active_id(popup: Any) -> str:
    return popup.evaluate("() => document.activeElement?.id ?? ''")


def test_when_nothing_was_saved_the_popup_says_nothing_changed(world: World) -> None:
    from playwright.sync_api import expect

    world.replica.store.configure(faults=frozenset({"save_500"}))
    try:
        popup = ready_popup(world.context)
        assert opt_out(popup) == "partial"
    finally:
        world.replica.store.configure(faults=frozenset())
    summary = popup.locator("#summary")
    expect(summary.locator("h2")).to_have_text("Nothing was changed")
    expect(summary).to_contain_text(f"{len(DEFAULT_SETTINGS)} need you")
    expect(summary).not_to_contain_text("Mostly")
    row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
    expect(row.locator(".pill")).to_have_text("Needs you")
    link = row.locator("a")
    expect(link).to_have_text("Turn off \u201cUse your data to train Pinterest Canvas\u201d on Pinterest")
    assert link.get_attribute("href") == "https://www.pinterest.com/settings/privacy"
    audit(popup, "popup-nothing-saved")
    popup.close()
    assert all(world.replica.store.state(world.session)[key] != wanted for key, wanted in DEFAULT_SETTINGS.items())


def test_a_recheck_never_says_changed_back_about_settings_optout_never_confirmed(world: World) -> None:
    # After the run above nothing was ever confirmed: a re-check finds all eight on, which is not drift.
    worker = service_worker(world.context)
    worker.evaluate(
        """() => {
            globalThis.createdNotifications = [];
            const create = chrome.notifications.create.bind(chrome.notifications);
            chrome.notifications.create = (id, options) => {
                globalThis.createdNotifications.push({ id, options });
                return create(id, options);
            };
        }"""
    )
    worker.evaluate(
        """async () => {
            const { preferences } = await chrome.storage.local.get("preferences");
            await chrome.storage.local.set({ preferences: { ...(preferences ?? {}), recheckMinutes: 0.05 } });
        }"""
    )
    deadline = time.monotonic() + 60
    while worker.evaluate("async () => (await chrome.storage.local.get('lastRun')).lastRun?.mode") != "check":
        assert time.monotonic() < deadline, "no re-check ran"
        time.sleep(0.25)
    last_run = worker.evaluate("async () => (await chrome.storage.local.get('lastRun')).lastRun")
    # the pages' language and each result's reason are kept for the popup to explain an unknown wording
    assert last_run["language"] == "en" and {result["reason"] for result in last_run["results"]} == {""}
    worker.evaluate(
        """async () => {
            const { preferences } = await chrome.storage.local.get("preferences");
            await chrome.storage.local.set({ preferences: { ...preferences, recheck: "off", recheckMinutes: null } });
        }"""
    )
    while worker.evaluate("async () => Boolean((await chrome.storage.session.get('run')).run)"):
        assert time.monotonic() < deadline + 60, "the re-check did not end"
        time.sleep(0.25)
    time.sleep(1)  # notifyFindings runs right after the check
    created = worker.evaluate("() => globalThis.createdNotifications")
    assert [entry for entry in created if entry["id"] == "drift"] == []
    assert worker.evaluate("() => chrome.action.getBadgeText({})") == str(len(DEFAULT_SETTINGS))


def test_settings_pinterest_does_not_offer_are_neutral(world: World) -> None:
    from playwright.sync_api import expect

    world.replica.store.configure(faults=frozenset({"uk_minor"}))
    try:
        popup = ready_popup(world.context)
        opt_out(popup)
    finally:
        world.replica.store.configure(faults=frozenset())
    summary = popup.locator("#summary")
    expect(summary.locator("h2")).to_have_text("Nothing needed changing")
    expect(summary).not_to_contain_text("need you")
    expect(popup.locator(".pill.bad")).to_have_count(0)
    expect(popup.locator(".pill", has_text="Not offered").first).to_be_visible()
    audit(popup, "popup-not-offered")
    popup.close()


def test_stop_cancels_the_run_and_focus_returns_to_the_main_button(world: World) -> None:
    from playwright.sync_api import expect

    popup = ready_popup(world.context)
    stop = popup.locator("#stop")
    expect(stop).to_be_hidden()

    popup.focus("#opt-out")
    popup.keyboard.press("Enter")
    popup.locator(".pill.busy").first.wait_for(timeout=RUN_TIMEOUT_MS)
    expect(stop).to_be_visible()
    assert active_id(popup) == "stop"  # the disabled main button does not drop focus to the page
    stop.click()
    expect(stop).to_have_text("Stopping\u2026")
    assert active_id(popup) == "stop"  # while it stops, Stop keeps the focus rather than dropping it to the page
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)

    assert popup.evaluate("() => document.querySelector('main').dataset.finished") == "cancelled"
    summary = popup.locator("#summary")
    expect(summary.locator("h2")).to_have_text("Stopped")
    # Announced once, at the end, from a status region that the progress redraws never touch.
    expect(popup.locator("#announce")).to_contain_text("Stopped")
    assert popup.locator("#headline[aria-live], #summary[aria-live]").count() == 0
    expect(stop).to_be_hidden()
    assert active_id(popup) == "opt-out"
    audit(popup, "popup-stopped")
    state = world.replica.store.state(world.session)
    done = [key for key, wanted in DEFAULT_SETTINGS.items() if state[key] == wanted]
    assert len(done) < len(DEFAULT_SETTINGS), "the run went on to the end despite Stop"
    popup.close()


def test_at_200_percent_zoom_the_main_button_and_the_result_stay_on_screen(world: World) -> None:
    from playwright.sync_api import expect

    popup = open_popup(world.context)
    popup.set_viewport_size(POPUP_AT_200_PERCENT)
    popup.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'", timeout=30_000)
    expect(popup.locator(".setting")).to_have_count(len(DEFAULT_SETTINGS))
    assert popup.evaluate("() => document.documentElement.scrollHeight > innerHeight"), "the list fits: nothing tested"
    assert nested_scroll_areas(popup) == []
    assert fully_in_view(popup, "#opt-out")
    audit(popup, "popup-zoom-200", whole=False)

    popup.click("#opt-out")
    popup.locator(".pill.busy").first.wait_for(timeout=RUN_TIMEOUT_MS)
    assert fully_in_view(popup, "#stop")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
    assert fully_in_view(popup, "#opt-out")
    assert fully_in_view(popup, "#summary")
    assert nested_scroll_areas(popup) == []
    audit(popup, "popup-zoom-200-after", whole=False)
    popup.close()
