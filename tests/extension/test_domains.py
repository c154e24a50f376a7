"""Logged in to Pinterest on two sites: the run goes to the one used last, with its cookies only, and the popup
says which."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from native_host.rules.domains import domains_of
from replica import ReplicaConfig, serve

from .browser import extension_on_replica, log_in, ready_popup, screenshot, service_worker

pytestmark = pytest.mark.browser

COM = "https://www.pinterest.com"
DE = "https://www.pinterest.de"
RUN_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    tmp = tmp_path_factory.mktemp("two-sites")
    with (
        serve(ReplicaConfig(domain="www.pinterest.de")) as replica,
        extension_on_replica(replica, tmp, origins=(COM, DE)) as context,
    ):
        yield replica, context


def test_with_logins_on_two_sites_the_run_goes_to_the_last_used_and_the_popup_names_it(world) -> None:
    from playwright.sync_api import expect

    replica, context = world
    on_com = log_in(context, origin=COM)
    alone = ready_popup(context)
    expect(alone.locator("#domain-note")).to_be_hidden()  # one site: nothing to say
    alone.close()
    time.sleep(1.1)  # the later login's session cookie expires later: the site used most recently
    on_de = log_in(context, origin=DE)
    popup = ready_popup(context)
    expect(popup.locator("#domain-note")).to_have_text(
        "You are logged in to Pinterest on several sites: Optout uses www.pinterest.de, the one you used most recently."
    )
    screenshot(popup, "popup-two-sites.png")
    start = len(replica.store.received())
    popup.click("#opt-out")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
    assert popup.evaluate("() => document.querySelector('main').dataset.finished") == "done"
    assert replica.store.writes(on_de) and not replica.store.writes(on_com)
    during_run = replica.store.received()[start:]
    assert during_run and {host for host, _, _ in during_run} == {"www.pinterest.de"}
    assert all(on_com not in header for _, _, header in during_run)


def test_privacy_signals_cover_every_pinterest_domain_and_nothing_else(world) -> None:
    _, context = world
    worker = service_worker(context)
    rules = worker.evaluate("async () => chrome.declarativeNetRequest.getDynamicRules()")
    assert [rule["condition"]["requestDomains"] for rule in rules] == [
        [site.cookie_domain for site in domains_of("pinterest").sites]
    ]
