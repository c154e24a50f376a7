"""Only rules the helper verified reach the screen, and rules travel only over https (or loopback http in
development). The real extension and host in Chromium, the replica as Pinterest, and a forged rules service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from replica import ReplicaConfig, serve

from .browser import (
    EXTENSION_ID,
    RECORD_HELPER_PORTS,
    ROOT,
    WORKER_IDLE,
    extension_on_replica,
    log_in,
    open_popup,
    ready_popup,
    screenshot,
    service_worker,
    wait_until,
)
from .forged_service import EVIL_PAGE, FORGED_TITLE, ForgedService, forged_rules_service

pytestmark = pytest.mark.browser

RULES = json.loads((ROOT / "rules" / "pinterest.json").read_text())
DEFAULT_TITLES = [setting["title"] for setting in RULES["settings"] if setting["default"]]
RUN_TIMEOUT_MS = 60_000
# Every message sent to a helper since RECORD_HELPER_PORTS, in order.
SENT_TO_HELPERS = "() => globalThis.helperPorts.flat()"


@dataclass
class World:
    replica: Any
    context: Any
    worker: Any
    forged: ForgedService


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("rules-channel")
    with serve(ReplicaConfig()) as replica, forged_rules_service(RULES) as forged:
        with extension_on_replica(replica, tmp) as context:
            yield World(replica, context, service_worker(context), forged)


def set_preferences(world: World, changes: dict[str, Any]) -> None:
    world.worker.evaluate(
        """async (changes) => {
            const stored = await chrome.storage.local.get("preferences");
            await chrome.storage.local.set({ preferences: { ...(stored.preferences ?? {}), ...changes } });
        }""",
        changes,
    )


def preferences(world: World) -> dict[str, Any]:
    return world.worker.evaluate("async () => (await chrome.storage.local.get('preferences')).preferences ?? {}")


def test_a_forged_bundle_never_reaches_the_popup(world: World) -> None:
    from playwright.sync_api import expect

    world.worker.evaluate(RECORD_HELPER_PORTS)
    set_preferences(world, {"serviceUrl": world.forged.url})
    popup = ready_popup(world.context)

    # The rules fetch is waited for as such, not through the popup's readiness.
    def handed_bundles() -> list[dict[str, Any]]:
        sent = world.worker.evaluate(SENT_TO_HELPERS)
        return [message for message in sent if message["type"] == "rules" and "bundle" in message]

    handed = wait_until(handed_bundles, 20, "the fetched bundle handed to the helper")
    assert world.forged.requests, "the extension never asked the rules service"
    assert handed[0]["bundle"]["key_id"] == "forged-key", "the fetched bundle was not handed to the helper"
    wait_until(lambda: world.worker.evaluate(WORKER_IDLE), 20, "the worker to have stored the rules")

    expect(popup.locator(".setting-title")).to_have_text(DEFAULT_TITLES)
    page_text = popup.locator("main").inner_text()
    assert FORGED_TITLE not in page_text and "evil.example" not in page_text
    stored = world.worker.evaluate("async () => (await chrome.storage.local.get('rules')).rules")
    assert FORGED_TITLE not in json.dumps(stored) and EVIL_PAGE not in json.dumps(stored)

    # A setting Pinterest does not offer links to Pinterest's own page, never to one the forged rules name.
    log_in(world.context)
    world.replica.store.configure(faults=frozenset({"not_rolled_out"}))
    try:
        popup.click("#opt-out")
        popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
    finally:
        world.replica.store.configure(faults=frozenset())
    links = popup.locator("#settings a").evaluate_all("(nodes) => nodes.map((node) => node.href)")
    assert links and all(link.startswith("https://www.pinterest.com/") for link in links), links
    assert "evil.example" not in popup.locator("main").inner_text()
    screenshot(popup, "popup-forged-rules.png")

    runs = [message for message in world.worker.evaluate(SENT_TO_HELPERS) if message["type"] == "apply"]
    assert runs and all("bundle" not in message for message in runs), "a run carried a bundle to the helper"
    popup.close()


def test_options_take_https_refuse_plain_http_and_mark_loopback_as_development(world: World) -> None:
    from playwright.sync_api import expect

    set_preferences(world, {"serviceUrl": None})
    page = world.context.new_page()
    page.goto(f"chrome-extension://{EXTENSION_ID}/options.html")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=30_000)
    status = page.locator("#service-status")
    expect(status).to_have_attribute("data-state", "built_in")
    expect(status).to_contain_text("Optout uses the list that came with its helper app")

    page.fill("#service-url", "http://rules.example.org")
    page.click("#service-form button[type=submit]")
    expect(status).to_have_text(
        "Optout only uses secure addresses (https://), so nobody on the way can swap the list of settings."
    )
    expect(status).to_have_attribute("data-state", "refused")
    assert preferences(world).get("serviceUrl") is None

    page.fill("#service-url", "https://rules.example.org/api")
    page.click("#service-form button[type=submit]")
    wait_until(lambda: preferences(world).get("serviceUrl") == "https://rules.example.org", 10, "the address saved")
    expect(status).to_have_attribute("data-state", "service", timeout=15_000)
    expect(status).to_contain_text("Updates come from https://rules.example.org.")

    page.fill("#service-url", world.forged.url)
    page.click("#service-form button[type=submit]")
    wait_until(lambda: preferences(world).get("serviceUrl") == world.forged.url, 10, "the loopback address saved")
    expect(status).to_contain_text(f"Development: updates come from {world.forged.url} on this computer")
    screenshot(page, "options-advanced.png")

    page.fill("#service-url", "")
    page.click("#service-form button[type=submit]")
    expect(status).to_have_attribute("data-state", "built_in", timeout=15_000)
    assert preferences(world).get("serviceUrl") is None
    page.close()


def test_rules_stored_by_an_earlier_version_are_not_shown(world: World) -> None:
    from playwright.sync_api import expect

    set_preferences(world, {"serviceUrl": None})
    # What an earlier version kept after decoding a fetched bundle itself, marked fresh.
    world.worker.evaluate(
        """async (title) => {
            const { rules } = await chrome.storage.local.get("rules");
            const document = structuredClone(rules.document);
            for (const setting of document.settings) setting.title = title;
            await chrome.storage.local.set({
                rules: { version: "2999.1.1", source: "service", document, envelope: {}, fetchedAt: Date.now() },
            });
        }""",
        FORGED_TITLE,
    )
    popup = open_popup(world.context)
    expect(popup.locator(".setting-title").first).to_be_visible(timeout=30_000)
    assert FORGED_TITLE not in popup.locator("main").inner_text()
    popup.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'", timeout=30_000)
    expect(popup.locator(".setting-title")).to_have_text(DEFAULT_TITLES)
    popup.close()
