"""Teaching Optout in the popup, end to end: the replica renames Canvas training's switch, the popup offers the
switches it found, the person picks one, the next opt-out finds it by that name and turns it off on the server.
The field report is shown exactly as it would be sent, sent only on request, and only to a configured service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from replica import ReplicaConfig, pages, serve

from .browser import EXTENSION_ID, extension_on_replica, log_in, ready_popup, screenshot, service_worker
from .report_inbox import ReportInbox, report_inbox

pytestmark = pytest.mark.browser

CANVAS = "pinterest.genai.canvas_training"
RUN_TIMEOUT_MS = 60_000


@dataclass
class World:
    replica: Any
    context: Any
    worker: Any
    inbox: ReportInbox
    session: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("extension-teach")
    with serve(ReplicaConfig(faults=frozenset({"reworded"}))) as replica, report_inbox() as inbox:
        with extension_on_replica(replica, tmp) as context:
            worker = service_worker(context)
            yield World(replica, context, worker, inbox, log_in(context))


def opt_out(popup: Any) -> None:
    popup.evaluate("() => delete document.querySelector('main').dataset.finished")
    popup.click("#opt-out")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)


def local(world: World, key: str) -> Any:
    return world.worker.evaluate("async (key) => (await chrome.storage.local.get(key))[key]", key)


def test_a_setting_not_found_is_taught_in_the_popup_then_opted_out(world: World) -> None:
    from playwright.sync_api import expect

    assert world.replica.store.state(world.session)[CANVAS] is True
    popup = ready_popup(world.context)
    opt_out(popup)
    row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
    expect(row.locator(".pill")).to_have_text("Not offered")
    choices = row.locator(".teach-candidates")
    expect(row.locator(".teach-question")).to_have_text("Is it one of these?")
    assert choices.get_attribute("aria-labelledby") == row.locator(".teach-question").get_attribute("id")
    candidate = choices.locator(f'button[data-label="{pages.REWORDED_CANVAS}"]')
    expect(candidate).to_have_accessible_name(f"{pages.REWORDED_CANVAS} (checkbox, now on)")
    expect(choices.get_by_role("button", name="Use info from sites you visit")).to_have_count(0)  # a rule names it

    # Before teaching: the report is opt-in, shows the exact document, and with no service there is nowhere to send.
    row.locator(".report-toggle").click()
    shown = json.loads(row.locator(".report-document").inner_text())
    assert shown["not_found"] == [CANVAS] and shown["taught"] is None
    assert (shown["origin"], shown["page"], shown["language"]) == (
        "https://www.pinterest.com",
        "/settings/privacy",
        "en",
    )
    assert {"label": pages.REWORDED_CANVAS, "kind": "checkbox", "state": True} in shown["candidates"]
    expect(row.locator(".report-nowhere")).to_contain_text("nowhere to send")
    expect(row.locator(".report-send")).to_have_count(0)
    screenshot(popup, "popup-teach-offer.png")

    candidate.click()
    expect(row.locator(".taught-note")).to_contain_text(f"Taught by you: \u201c{pages.REWORDED_CANVAS}\u201d")
    assert local(world, "taught") == {CANVAS: [pages.REWORDED_CANVAS]}
    assert world.inbox.reports == []  # nothing is ever sent on its own

    # With a rules service configured, Send posts exactly the document shown, the taught choice included.
    world.worker.evaluate(
        """async (url) => {
            const stored = await chrome.storage.local.get("preferences");
            await chrome.storage.local.set({ preferences: { ...(stored.preferences ?? {}), serviceUrl: url } });
        }""",
        world.inbox.url,
    )
    popup.close()
    popup = ready_popup(world.context)
    row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
    row.locator(".report-toggle").click()
    shown_text = row.locator(".report-document").inner_text()
    assert world.inbox.reports == []
    row.locator(".report-send").click()
    expect(row.locator(".report-sent")).to_contain_text("Sent")
    assert world.inbox.reports == [json.loads(shown_text)]
    sent = world.inbox.reports[0]
    assert set(sent) == {
        "format", "platform", "origin", "page", "language", "engine_version", "rules_version", "not_found",
        "candidates", "taught",
    }  # fmt: skip
    assert sent["taught"] == {"setting": CANVAS, "label": pages.REWORDED_CANVAS}
    assert {"label": pages.REWORDED_CANVAS, "kind": "checkbox", "state": True} in sent["candidates"]

    opt_out(popup)
    row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
    expect(row.locator(".pill")).to_have_text("Opted out")
    expect(row.locator(".taught-note")).to_contain_text("taught by you")
    assert world.replica.store.state(world.session)[CANVAS] is False
    screenshot(popup, "popup-taught.png")
    popup.close()


def test_a_taught_wording_is_listed_and_removable_in_the_options(world: World) -> None:
    from playwright.sync_api import expect

    world.worker.evaluate("async (taught) => chrome.storage.local.set({ taught })", {CANVAS: [pages.REWORDED_CANVAS]})
    options = world.context.new_page()
    options.goto(f"chrome-extension://{EXTENSION_ID}/options.html")
    options.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=30_000)
    item = options.locator("#taught-list li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(pages.REWORDED_CANVAS)
    expect(item).to_contain_text("taught by you")
    screenshot(options, "options-taught.png")
    item.get_by_role("button", name=f"Remove \u201c{pages.REWORDED_CANVAS}\u201d", exact=False).click()
    expect(options.locator("#taught-list li")).to_have_count(0)
    expect(options.locator("#taught-empty")).to_be_visible()
    assert local(world, "taught") == {}
    options.close()


def test_a_paused_setting_shows_the_maintainers_reason_neutrally(world: World) -> None:
    from playwright.sync_api import expect

    reason = "Paused by Optout's maintainers: Pinterest changed this page; a fix is on its way."
    # No re-check may overwrite the state this test sets: stop the alarms, and let any run still going end.
    world.worker.evaluate("() => chrome.alarms.clearAll()")
    world.worker.evaluate(
        """async () => {
            for (let tries = 0; tries < 600; tries += 1) {
                if (!(await chrome.storage.session.get("run")).run) return;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            throw new Error("a run was still going on after 60 s");
        }"""
    )
    world.worker.evaluate(
        """async ([id, message]) => {
            const stored = (await chrome.storage.local.get("settingStates")).settingStates ?? {};
            // as a paused run leaves it: the state and time of the last read kept, the status and message new
            const checkedAt = new Date().toISOString();
            stored[id] = { state: false, confirmed: true, status: "paused", checkedAt, message, candidates: [] };
            await chrome.storage.local.set({ settingStates: stored });
        }""",
        [CANVAS, reason],
    )
    popup = ready_popup(world.context)
    row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
    expect(row.locator(".pill")).to_have_text("Paused")
    expect(row.locator(".pill")).to_have_class("pill")  # neither good, warn nor bad
    expect(row.locator(".setting-meta")).to_have_text(reason)
    expect(row.locator(".teach")).to_have_count(0)
    screenshot(popup, "popup-paused.png")
    popup.close()
