"""The engine's decisions and its request bookkeeping, without a browser."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from native_host.engine import browser
from native_host.engine import run as engine
from native_host.engine.decisions import (
    MAX_ITEMS,
    MAX_NAMES,
    MAX_TEXT,
    MAX_URL,
    Button,
    Opener,
    SaveModel,
    SaveRecord,
    Scan,
    Settle,
    button_named,
    off_site_message,
    opener_for,
    read_setting,
    save_model_after_click,
    verdict,
)
from native_host.engine.labels import Control, Match
from native_host.engine.page_driver import Launched
from native_host.engine.page_watch import ActionOutcome, NetworkWatch
from native_host.rules.format import load_shipped_rules
from native_host.statuses import RunStatus, SettingStatus

RULES = load_shipped_rules()
CANVAS = RULES.setting("pinterest.genai.canvas_training")  # desired off
SEARCH = RULES.setting("pinterest.visibility.search_privacy")  # desired on
AI_ART = RULES.setting("pinterest.recommendations.ai_content.art")  # scoped to "GenAI interests"
PRIVACY = "https://www.pinterest.com/settings/privacy"


def control(title: str, checked: bool | None = True, disabled: bool = False, ref: str = "0") -> Control:
    return Control(ref, [title], [], [], checked, disabled, "control")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# -- settling ------------------------------------------------------------------------------------------------


def test_a_page_is_not_read_at_first_sight_but_once_unchanged_for_the_settle_time():
    settle = Settle(settle_seconds=0.25)
    assert not settle.observe(("off",), 0.0, network_quiet_for=5.0)
    assert not settle.observe(("off",), 0.2, network_quiet_for=5.0)
    assert settle.observe(("off",), 0.25, network_quiet_for=5.0)


def test_a_change_restarts_the_settle_time_from_the_change():
    settle = Settle(settle_seconds=0.25)
    settle.observe(("off",), 0.0, 5.0)
    assert not settle.observe(("on",), 0.3, 5.0)  # the real state arrived: counted from here
    assert not settle.observe(("on",), 0.5, 5.0)
    assert settle.observe(("on",), 0.55, 5.0)
    assert settle.changed_at == 0.3


def test_stable_states_wait_for_the_pages_own_requests_and_the_drawing_of_their_answer():
    settle = Settle(settle_seconds=0.25)
    settle.observe(("off",), 0.0, 0.0)
    assert not settle.observe(("off",), 2.0, network_quiet_for=0.0)  # its data request is still open
    assert not settle.observe(("off",), 2.2, network_quiet_for=0.2)  # just ended: the page may still draw it
    assert settle.observe(("off",), 2.25, network_quiet_for=0.25)


def test_a_page_between_two_documents_is_never_ready():
    settle = Settle(settle_seconds=0.0)
    settle.observe(("off",), 0.0, 1.0)
    assert not settle.observe(None, 1.0, 1.0)
    assert not settle.observe(("off",), 1.0, 1.0)  # back: a new first sight


# -- the page's requests -------------------------------------------------------------------------------------


def test_only_the_main_frames_data_requests_hold_the_page():
    clock = Clock()
    watch = NetworkWatch(clock)
    clock.now += 1
    watch.started("img", "GET", "image", True)
    watch.started("ad", "GET", "fetch", False)  # another frame's
    watch.started("beacon", "POST", "ping", True)
    assert watch.quiet_for() == 1.0
    watch.started("data", "GET", "fetch", True)
    assert watch.quiet_for() == 0.0
    clock.now += 2
    watch.ended("data")
    clock.now += 0.5
    assert watch.quiet_for() == 0.5
    assert watch.action().writes == 0  # the beacon is no save


def test_writes_of_an_action_are_counted_with_what_they_got():
    watch = NetworkWatch(Clock())
    watch.begin_action()
    watch.started("ok", "POST", "fetch", True)
    watch.started("refused", "POST", "xhr", True)
    watch.started("lost", "PUT", "fetch", True)
    assert watch.action().pending == 3
    watch.answered("ok", 200)
    watch.ended("ok")
    watch.answered("refused", 500, "Internal Server Error")
    watch.failed("lost", "net::ERR_CONNECTION_RESET")
    outcome = watch.action()
    assert (outcome.writes, outcome.accepted, outcome.pending) == (3, 1, 0)
    assert outcome.problem() == (
        "Pinterest answered 500 Internal Server Error; the request to save did not complete (net::ERR_CONNECTION_RESET)"
    )
    watch.begin_action()
    assert watch.action() == ActionOutcome()


def test_an_error_answer_ends_a_data_request_whose_body_nobody_reads():
    clock = Clock()
    watch = NetworkWatch(clock)
    watch.started("data", "GET", "fetch", True)
    watch.answered("data", 200)
    assert watch.quiet_for() == 0.0  # its body is still coming
    watch.ended("data")
    watch.started("broken", "GET", "xhr", True)
    watch.answered("broken", 503, "Service Unavailable")  # and never a "finished"
    clock.now += 0.5
    assert watch.quiet_for() == 0.5


def test_a_new_document_forgets_the_requests_of_the_old_one():
    clock = Clock()
    watch = NetworkWatch(clock)
    watch.started("old", "GET", "xhr", True)
    clock.now += 1
    watch.navigated()
    assert watch.quiet_for() == 0.0  # ended just now, on navigation
    clock.now += 1
    assert watch.quiet_for() == 1.0


# -- reading -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "disabled", "mode", "status"),
    [
        (False, False, "apply", SettingStatus.ALREADY_OK),
        (False, True, "apply", SettingStatus.ALREADY_OK),
        (True, True, "apply", SettingStatus.LOCKED),
        (True, False, "check", SettingStatus.WOULD_CHANGE),
        (True, False, "apply", None),
        (None, False, "apply", SettingStatus.AMBIGUOUS),
    ],
)
def test_reading_one_control(state, disabled, mode, status):
    reading = read_setting(CANVAS, Match(control=control("x", state, disabled)), mode)
    assert reading.status == status
    assert reading.before == state
    assert reading.verified is (status == SettingStatus.ALREADY_OK)


def test_an_ambiguous_message_names_a_few_rivals_and_stays_short():
    rivals = [control("Ads off Pinterest " + "x" * 5000, ref=str(n)) for n in range(50)]
    reading = read_setting(CANVAS, Match(control=rivals[0], rivals=rivals[1:]), "apply")
    assert reading.status == SettingStatus.AMBIGUOUS
    assert "and 46 more" in reading.message and len(reading.message) < 600


# -- saving and verifying ------------------------------------------------------------------------------------


def scan_with(*buttons: Button, openers: tuple[Opener, ...] = ()) -> Scan:
    return Scan(PRIVACY, [], buttons=list(buttons), openers=list(openers))


def test_how_a_page_saves_is_learnt_from_its_first_click():
    save = Button("1", "Save", False, False)
    assert save_model_after_click(1, scan_with(), RULES.save_buttons) == SaveModel.ON_CHANGE
    assert save_model_after_click(0, scan_with(save), RULES.save_buttons) == SaveModel.SAVE_BUTTON
    assert save_model_after_click(0, scan_with(Button("2", "Edit profile", False, False)), RULES.save_buttons) == (
        SaveModel.NONE
    )


def test_a_button_is_pressed_only_when_exactly_one_enabled_fits():
    save, done = Button("1", "Save", False, False), Button("2", " done ", False, False)
    assert button_named(scan_with(save), RULES.save_buttons) == save
    assert button_named(scan_with(save, done), RULES.save_buttons) is None
    assert button_named(scan_with(Button("1", "Save", True, False)), RULES.save_buttons) is None
    turn_off = Button("3", "Turn off", False, True)
    assert button_named(scan_with(turn_off), RULES.confirm_buttons, in_dialog=True) == turn_off
    assert button_named(scan_with(turn_off), RULES.confirm_buttons, in_dialog=False) is None


def test_only_the_reload_says_changed():
    status, message, verified = verdict(CANVAS, False, SaveRecord())
    assert (status, verified) == (SettingStatus.CHANGED, True)


def test_a_change_that_sent_nothing_and_found_no_save_is_not_saved():
    status, message, verified = verdict(CANVAS, True, SaveRecord())
    assert status == SettingStatus.NOT_SAVED and not verified
    assert message.startswith("Nothing was saved") and "accepted" not in message


def test_acceptance_is_claimed_only_after_a_successful_save_request():
    status, message, _ = verdict(CANVAS, True, SaveRecord(writes=1, accepted=1))
    assert status == SettingStatus.VERIFY_FAILED and "accepted" in message
    status, message, _ = verdict(CANVAS, True, SaveRecord(save_pressed=True))
    assert status == SettingStatus.VERIFY_FAILED and "accepted" not in message and "pressed Save" in message


def test_a_refused_save_is_save_failed():
    status, message, _ = verdict(CANVAS, True, SaveRecord(writes=1, refusals=["Pinterest answered 500"]))
    assert status == SettingStatus.SAVE_FAILED and "500" in message


def test_a_setting_scoped_to_a_section_opens_only_that_section_once():
    openers = (Opener("0", "Interests"), Opener("1", "GenAI interests"))
    assert opener_for(AI_ART, scan_with(openers=openers), set()) == openers[1]
    assert opener_for(AI_ART, scan_with(openers=openers), {"genai interests"}) is None
    assert opener_for(CANVAS, scan_with(openers=openers), set()) is None  # no section: nothing to open


# -- what a page may put into a report -----------------------------------------------------------------------


def test_every_text_of_a_scan_is_capped():
    huge = "Use your data to train Pinterest Canvas " + "y" * 20_000
    raw = {
        "url": PRIVACY,
        "controls": [
            {
                "ref": str(n),
                "click": "control",
                "names": [{"text": huge, "part": "full"}] * 20,
                "sections": [huge] * 20,
                "checked": True,
                "disabled": False,
            }
            for n in range(MAX_ITEMS + 100)
        ],
        "links": [{"text": huge, "href": PRIVACY + "?" + huge}] * 1000,
        "buttons": [{"ref": "1", "text": huge, "disabled": False}] * 1000,
        "openers": [{"ref": "1", "text": huge}] * 1000,
    }
    scan = Scan.from_raw(raw)
    assert len(scan.controls) == MAX_ITEMS
    assert all(len(text) <= MAX_TEXT for c in scan.controls for text in c.names + c.sections)
    assert all(len(c.names) <= MAX_NAMES and len(c.sections) <= MAX_NAMES for c in scan.controls)
    assert len(scan.links) == len(scan.buttons) == len(scan.openers) == MAX_ITEMS
    texts = [link.text for link in scan.links] + [b.text for b in scan.buttons] + [o.text for o in scan.openers]
    assert all(len(text) <= MAX_TEXT for text in texts)
    assert all(len(link.href) <= MAX_URL for link in scan.links)


def test_a_foreign_address_is_refused_in_words():
    assert off_site_message(RULES, PRIVACY) is None
    message = off_site_message(RULES, "https://evil.example/settings/privacy" + "x" * 10_000)
    assert message and "not Pinterest" in message and len(message) < 300


# -- the sandbox ---------------------------------------------------------------------------------------------


def test_chromium_keeps_its_sandbox_unless_running_as_root(monkeypatch):
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    assert browser.sandbox_possible()
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0)
    assert not browser.sandbox_possible()
    assert "--no-sandbox" not in browser.chromium_flags(True)
    assert browser.chromium_flags(False)[0] == "--no-sandbox"


# -- the engine through a fake page driver -------------------------------------------------------------------


@dataclass
class FakePage:
    """A page whose scans are scripted: each entry is shown for `times` scans; the network is always quiet."""

    script: list[tuple[int, Scan]]
    clicks: list[str] = field(default_factory=list)
    scans: int = 0

    def open(self, url: str) -> int | None:
        return 200

    def location(self) -> str:
        return self.current().url

    def current(self) -> Scan:
        seen = 0
        for times, scan in self.script:
            seen += times
            if self.scans < seen:
                return scan
        return self.script[-1][1]

    def scan(self) -> Scan | None:
        scan = self.current()
        self.scans += 1
        return scan

    def body_text(self, limit: int) -> str:
        return ""

    def click_control(self, control: Control) -> None:
        self.clicks.append(control.describe())

    def click_button(self, button: Button) -> None:
        self.clicks.append(button.text)

    def click_opener(self, opener: Opener) -> None:
        self.clicks.append(opener.text)

    def begin_action(self) -> None:
        pass

    def action(self) -> ActionOutcome:
        return ActionOutcome()

    def network_quiet_for(self) -> float:
        return 10.0

    def wait(self, seconds: float) -> None:
        pass

    def wait_for_load(self) -> None:
        pass


def run_on(monkeypatch, page: FakePage, mode: str = "check"):
    @contextmanager
    def fake_launch(*args, on_browser, on_load, **kwargs):
        yield Launched(page, "a fake page", True)

    monkeypatch.setattr(engine, "launch", lambda *a, **k: fake_launch(on_browser=a[5], on_load=a[6]))
    options = engine.RunOptions(settle_seconds=0.05, pause_seconds=0, render_seconds=2)
    return {"check": engine.check, "apply": engine.apply}[mode](RULES, [], [CANVAS.id], options)


def canvas_page(state: bool, url: str = PRIVACY) -> Scan:
    return Scan(url, [control("Use your data to train Pinterest Canvas", state)])


def test_states_drawn_late_without_a_request_are_waited_for(monkeypatch):
    # Placeholders (off) for a few scans, then the real state (on), with no request in between.
    report = run_on(monkeypatch, FakePage([(3, canvas_page(False)), (1, canvas_page(True))]))
    [result] = report.results
    assert result.status == SettingStatus.WOULD_CHANGE and result.before is True


def test_a_page_that_moved_off_pinterest_is_never_read(monkeypatch):
    foreign = canvas_page(False, "https://evil.example/settings/privacy")
    report = run_on(monkeypatch, FakePage([(2, canvas_page(True)), (1, foreign)]), "apply")
    assert report.status == RunStatus.FAILED and "not Pinterest" in report.message
    assert report.results[0].status == SettingStatus.SKIPPED and report.results[0].before is None


def test_nothing_is_clicked_on_a_page_that_moved_off_pinterest_after_the_read(monkeypatch):
    page = FakePage([(0, canvas_page(True))])
    page.location = lambda: "https://evil.example/"  # the document says where it is, whatever the scans said
    report = run_on(monkeypatch, page, "apply")
    assert report.status == RunStatus.FAILED and page.clicks == []
