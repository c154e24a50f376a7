"""The real extension, the real host registered in the browser's profile, and the replica served as
https://www.pinterest.com: what a person does in the popup reaches their account on the server side."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from replica import ReplicaConfig, serve

from .accessibility import audit
from .browser import (
    EXTENSION_ID,
    ROOT,
    extension_on_replica,
    log_in,
    ready_popup,
    service_worker,
    wait_until,
)

pytestmark = pytest.mark.browser

RULES = json.loads((ROOT / "rules" / "pinterest.json").read_text())
DEFAULT_SETTINGS = {setting["id"]: setting["desired"] == "on" for setting in RULES["settings"] if setting["default"]}
CANVAS = "pinterest.genai.canvas_training"
RUN_TIMEOUT_MS = 60_000


@dataclass
class RequestLog:
    """WSGI middleware around the replica: the privacy headers of every request it receives."""

    app: Callable[..., Any]
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.lock:
            self.requests.append(
                {
                    "method": environ["REQUEST_METHOD"],
                    "path": environ.get("PATH_INFO", ""),
                    "gpc": environ.get("HTTP_SEC_GPC"),
                    "dnt": environ.get("HTTP_DNT"),
                }
            )
        return self.app(environ, start_response)

    def since(self, start: int) -> list[dict[str, Any]]:
        with self.lock:
            return self.requests[start:]


@dataclass
class World:
    replica: Any
    log: RequestLog
    context: Any
    worker: Any


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("extension-e2e")
    with serve(ReplicaConfig()) as replica:
        log = RequestLog(replica.app.wsgi_app)
        replica.app.wsgi_app = log
        with extension_on_replica(replica, tmp) as context:
            yield World(replica, log, context, service_worker(context))


@pytest.fixture(scope="module")
def session(world: World) -> str:
    """Log in through the replica's own login form in the extension's browser; the session cookie's value."""
    value = log_in(world.context)
    assert world.replica.store.state(value)[CANVAS] is True  # the replica starts with Canvas training on
    return value


def badge(world: World) -> str:
    return world.worker.evaluate("() => chrome.action.getBadgeText({})")


def set_preferences(world: World, changes: dict[str, Any]) -> None:
    world.worker.evaluate(
        """async (changes) => {
            const stored = await chrome.storage.local.get("preferences");
            await chrome.storage.local.set({ preferences: { ...(stored.preferences ?? {}), ...changes } });
        }""",
        changes,
    )


def test_logged_out_popup_links_to_pinterest_login(world: World) -> None:
    from playwright.sync_api import expect

    popup = ready_popup(world.context)
    popup.click("#opt-out")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
    problem = popup.locator("#problem")
    expect(problem).to_have_attribute("data-kind", "login_required")
    expect(problem).to_contain_text("Log in to Pinterest")
    assert popup.locator("#problem a").get_attribute("href") == "https://www.pinterest.com/login/"
    audit(popup, "popup-logged-out")
    assert badge(world) == "?"
    popup.close()


def test_opt_me_out_changes_every_chosen_setting_on_the_server(world: World, session: str) -> None:
    from playwright.sync_api import expect

    popup = ready_popup(world.context)
    expect(popup.locator(".setting")).to_have_count(len(DEFAULT_SETTINGS))
    expect(popup.locator("#problem")).to_be_hidden()  # logging in cleared the earlier "log in first"
    expect(popup.locator("#headline-title")).to_have_text("Not checked yet")
    audit(popup, "popup-before")
    popup.click("#opt-out")
    popup.locator(".pill.busy").first.wait_for(timeout=RUN_TIMEOUT_MS)
    audit(popup, "popup-during")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)

    summary = popup.locator("#summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("data-status", "done")
    expect(summary).to_contain_text("you\u2019re opted out")
    expect(popup.locator(".pill.good")).to_have_count(len(DEFAULT_SETTINGS))
    audit(popup, "popup-after")

    state = world.replica.store.state(session)
    assert {key: state[key] for key in DEFAULT_SETTINGS} == DEFAULT_SETTINGS
    assert badge(world) == "\u2713"
    popup.close()


def test_privacy_signals_reach_pinterest_and_stop_when_turned_off(world: World, session: str) -> None:
    login_posts = [r for r in world.log.requests if r["method"] == "POST" and r["path"] == "/login/"]
    assert login_posts and all(r["gpc"] == "1" and r["dnt"] == "1" for r in login_posts), login_posts

    page = world.context.new_page()
    set_preferences(world, {"privacySignals": False})
    wait_until(
        lambda: world.worker.evaluate(
            "async () => (await chrome.declarativeNetRequest.getDynamicRules()).length === 0"
        ),
        10,
        "the rule to go",
    )
    start = len(world.log.requests)
    page.goto("https://www.pinterest.com/settings/privacy")
    # Only this page's own requests: the favicon of the page before can arrive late, with the headers of then.
    without = [r for r in world.log.since(start) if r["path"] != "/favicon.ico"]
    assert without and all(r["gpc"] is None and r["dnt"] is None for r in without), without

    set_preferences(world, {"privacySignals": True})
    wait_until(
        lambda: world.worker.evaluate(
            "async () => (await chrome.declarativeNetRequest.getDynamicRules()).length === 1"
        ),
        10,
        "the rule to return",
    )
    start = len(world.log.requests)
    page.goto("https://www.pinterest.com/settings/privacy")
    with_signals = [r for r in world.log.since(start) if r["path"] != "/favicon.ico"]
    assert with_signals and all(r["gpc"] == "1" and r["dnt"] == "1" for r in with_signals), with_signals
    page.close()


def test_recheck_alarm_notices_drift_and_fix_now_fixes_it(world: World, session: str) -> None:
    world.worker.evaluate(
        """() => {
            globalThis.createdNotifications = [];
            const create = chrome.notifications.create.bind(chrome.notifications);
            chrome.notifications.create = (id, options) => {
                globalThis.createdNotifications.push({ id, options });
                return create(id, options);
            };
        }"""
    )
    world.replica.store.set_state(session, CANVAS, True)
    set_preferences(world, {"recheckMinutes": 0.05})

    def drift_notices() -> list[dict[str, Any]]:
        created = world.worker.evaluate("() => globalThis.createdNotifications")
        return [entry for entry in created if entry["id"] == "drift"]

    wait_until(drift_notices, 60, "a drift notification")
    time.sleep(4)  # let the alarm fire again: the same finding must not notify twice
    set_preferences(world, {"recheck": "off", "recheckMinutes": None})
    wait_until(
        lambda: world.worker.evaluate("async () => !(await chrome.storage.session.get('run')).run"), 60, "checks to end"
    )
    notices = drift_notices()
    assert len(notices) == 1, notices
    options = notices[0]["options"]
    assert options["message"] == "Pinterest turned \u201cUse your data to train Pinterest Canvas\u201d back on."
    assert options["buttons"] == [{"title": "Fix now"}]
    assert badge(world) == "1"

    world.worker.evaluate("() => globalThis.onNotificationButton('drift', 0)")
    assert world.replica.store.state(session)[CANVAS] is False
    wait_until(lambda: badge(world) == "\u2713", 15, "the badge to show every setting as chosen")


SEARCH_PRIVACY = "pinterest.visibility.search_privacy"
OFF_PINTEREST = "pinterest.ads.off_pinterest"


def test_new_settings_are_offered_once_and_one_that_hides_the_person_is_never_enforced_from_a_notice(
    world: World, session: str
) -> None:
    # As if the rules had gained two settings since the person last looked: one Optout may offer, and
    # "Hide your profile from search engines", which would make an artist harder to find.
    world.worker.evaluate(
        """async (added) => {
            const { knownSettings, preferences } = await chrome.storage.local.get(["knownSettings", "preferences"]);
            const choices = { ...preferences.choices };
            for (const id of added) delete choices[id];
            await chrome.storage.local.set({
                knownSettings: knownSettings.filter((id) => !added.includes(id)),
                preferences: { ...preferences, choices },
            });
        }""",
        [SEARCH_PRIVACY, OFF_PINTEREST],
    )
    world.replica.store.set_state(session, OFF_PINTEREST, True)
    assert world.replica.store.state(session)[SEARCH_PRIVACY] is False
    set_preferences(world, {"recheckMinutes": 0.05})

    def offers() -> list[dict[str, Any]]:
        created = world.worker.evaluate("() => globalThis.createdNotifications")
        return [entry for entry in created if entry["id"] == "new-settings"]

    wait_until(offers, 60, "a notification offering the new settings")
    time.sleep(4)
    set_preferences(world, {"recheck": "off", "recheckMinutes": None})
    wait_until(
        lambda: world.worker.evaluate("async () => !(await chrome.storage.session.get('run')).run"), 60, "checks to end"
    )
    assert len(offers()) == 1
    options = offers()[0]["options"]
    assert options["title"] == "A new setting Optout can look after"
    assert "turn off" not in f"{options['title']} {options['message']}".lower()
    assert "\u201cAds about you on other sites\u201d" in options["message"]
    assert "\u201cHide your profile from search engines\u201d would make your work harder to find" in options["message"]
    assert options["buttons"] == [{"title": "Add to my opt-out"}, {"title": "Not now"}]

    world.worker.evaluate("() => globalThis.onNotificationButton('new-settings', 0)")
    state = world.replica.store.state(session)
    assert state[OFF_PINTEREST] is False
    assert state[SEARCH_PRIVACY] is False  # never turned on without the person choosing it
    choices = world.worker.evaluate("async () => (await chrome.storage.local.get('preferences')).preferences.choices")
    assert choices[OFF_PINTEREST] is True
    assert SEARCH_PRIVACY not in choices


def test_a_missing_setting_links_to_pinterest_and_a_block_says_try_later(world: World, session: str) -> None:
    from playwright.sync_api import expect

    world.replica.store.configure(faults=frozenset({"not_rolled_out"}))
    try:
        popup = ready_popup(world.context)
        popup.click("#opt-out")
        popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
        expect(popup.locator("#summary")).to_have_attribute("data-status", "partial")
        row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
        # Pinterest not offering a setting is nobody's fault: a neutral word, and what to look for.
        expect(row.locator(".pill")).to_have_text("Not offered")
        expect(row.locator(".pill")).not_to_have_class("pill bad")
        expect(row).to_contain_text("Pinterest doesn\u2019t offer this on your account")
        expect(row).to_contain_text("\u201cUse your data to train Pinterest Canvas\u201d")
        assert row.locator("a").get_attribute("href") == "https://www.pinterest.com/settings/privacy"
        summary = popup.locator("#summary")
        expect(summary.locator("h2")).to_have_text("Nothing needed changing")
        expect(summary).to_contain_text("1 not offered on your account")
        expect(summary).not_to_contain_text("need you")
        audit(popup, "popup-not-found")
        popup.close()

        world.replica.store.configure(faults=frozenset({"blocked"}))
        popup = ready_popup(world.context)
        popup.click("#opt-out")
        popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
        problem = popup.locator("#problem")
        expect(problem).to_have_attribute("data-kind", "blocked")
        expect(problem).to_contain_text("try again later")
        # Nothing was read in the blocked run: no setting shows an earlier run's green "Opted out".
        expect(popup.locator(".setting .pill.good")).to_have_count(0)
        blocked_row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
        expect(blocked_row.locator(".pill")).to_have_text("Couldn\u2019t check")
        expect(blocked_row.locator(".setting-meta")).to_have_text("Last checked just now")
        audit(popup, "popup-blocked")
        popup.close()
    finally:
        world.replica.store.configure(faults=frozenset())


def test_logged_out_rechecks_notify_at_most_once_a_day(world: World, session: str) -> None:
    world.replica.store.configure(faults=frozenset({"logged_out"}))
    try:
        set_preferences(world, {"recheckMinutes": 0.05})

        def notices() -> list[dict[str, Any]]:
            created = world.worker.evaluate("() => globalThis.createdNotifications")
            return [entry for entry in created if entry["id"] == "logged-out"]

        wait_until(notices, 60, "a logged-out notification")
        wait_until(
            lambda: world.worker.evaluate("async () => !(await chrome.storage.session.get('run')).run"), 30, "a run"
        )
        wait_until(
            lambda: world.worker.evaluate("async () => !!(await chrome.storage.session.get('run')).run"), 30, "a rerun"
        )
        set_preferences(world, {"recheck": "off", "recheckMinutes": None})
        wait_until(
            lambda: world.worker.evaluate("async () => !(await chrome.storage.session.get('run')).run"),
            60,
            "checks to end",
        )
        assert len(notices()) == 1
        assert badge(world) == "?"
    finally:
        world.replica.store.configure(faults=frozenset())


def test_options_page_shows_choices_and_history_and_exports_it(world: World, session: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = world.context.new_page()
    page.goto(f"chrome-extension://{EXTENSION_ID}/options.html")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=30_000)
    boxes = page.locator("#setting-groups input[type=checkbox]")
    expect(boxes).to_have_count(len(RULES["settings"]))
    checked = page.locator("#setting-groups input[type=checkbox]:checked")
    chosen = checked.evaluate_all("(nodes) => nodes.map((n) => n.dataset.settingId)")
    assert sorted(chosen) == sorted(DEFAULT_SETTINGS)
    expect(page.locator(f'label[for="choice-{SEARCH_PRIVACY}"]')).to_contain_text("harder to find")
    rows = page.locator("#history-rows tr")
    assert rows.count() >= 3  # the logged-out run, the opt-out, the re-check and its fix
    expect(page.locator("#recheck")).to_have_value("off")
    audit(page, "options")

    with page.expect_download() as download:
        page.click("#export")
    exported = json.loads(Path(download.value.path()).read_text())
    assert len(exported["runs"]) >= rows.count()
    assert {run["status"] for run in exported["runs"]} >= {"login_required", "done"}
    assert all(isinstance(run["practice"], bool) for run in exported["runs"])

    page.uncheck(f'[data-setting-id="{CANVAS}"]')
    wait_until(
        lambda: (
            world.worker.evaluate(
                "async () => (await chrome.storage.local.get('preferences')).preferences.choices"
            ).get(CANVAS)
            is False
        ),
        10,
        "the choice to be saved",
    )
    page.close()
