"""The opt-out engine: reads and changes settings through one page driver, deciding with decisions.py.

`check` reads every selected setting; `apply` brings each one to its desired state: it changes only what
differs, saves (pages that save on change, pages with a Save/Done button from the start or only after a change,
pages that ask to confirm), then loads the page again and reads it. A change counts as `changed` only once the
fresh page shows it. Nothing is read before the page has settled: its own data requests ended and its controls
unchanged for `settle_seconds`. Nothing is read from, or clicked on, a page off the platform's sites.
One browser per run; each page is loaded once, whatever the number of settings on it.

A run has one origin, where the person is logged in (https://www.pinterest.de): the browser gets only that
origin's site's cookie jar, and the rules' page addresses, written on the canonical origin, are opened at the
same path on the run's origin. When Pinterest moves the run to another of its hosts (a redirect to a country
domain), the run follows it, opens the next pages there and reports it as `redirected_to`.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from native_host.engine import decisions, page_language
from native_host.engine.browser import BrowserMissing
from native_host.engine.cookies import session_cookies, session_origin
from native_host.engine.decisions import SaveModel, SaveRecord, Scan, Settle, clip
from native_host.engine.labels import normalize
from native_host.engine.page_driver import MARKER, SCAN_CONTROLS, ClickFailed, PageDriver, launch
from native_host.engine.page_watch import ActionOutcome
from native_host.engine.report import ProgressEvent, RunReport, SettingResult
from native_host.rules.format import RulesError, RuleSet, Setting, origin_of, rebase
from native_host.statuses import RunStatus, SettingReason, SettingStatus
from native_host.version import ENGINE_VERSION

__all__ = ["MARKER", "SCAN_CONTROLS", "RunOptions", "RunStopped", "apply", "check"]

POLL_SECONDS = 0.025
ACTION_LIMIT_SECONDS = 10.0  # the longest a save request may take before Optout stops waiting for it
BODY_TEXT_LIMIT = 4000  # enough to spot a block page

Progress = Callable[[ProgressEvent], None]


@dataclass
class RunOptions:
    site_map: dict[str, str] = field(default_factory=dict)  # real origin -> loopback server (tests, demo)
    browser_path: str | None = None
    headed: bool = False
    timeout_seconds: float = 20.0  # for one page to load
    render_seconds: float = 10.0  # for a loaded page to settle
    # A page is read once its own data requests have ended and its controls stayed unchanged this long since
    # (decisions.Settle). Long waits for data are covered by watching those requests; the settle time covers
    # what a page does without one: drawing what a request brought, timers, a framework's batched rendering.
    settle_seconds: float = 0.25
    pause_seconds: float = 0.2  # between two clicks: human pace
    save_wait_seconds: float = 0.5  # how long a page's first click may take to send its save request
    # The person's languages, most wanted first (BCP 47 tags): the browser's locale is the first, its
    # Accept-Language the list. Empty: the browser's own default. Never the account's language setting.
    languages: tuple[str, ...] = ()


class RunStopped(Exception):
    """Ends a run early with a run-level status."""

    def __init__(self, status: RunStatus, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def check(
    rules: RuleSet,
    cookies: list[dict[str, Any]] | None,
    settings: list[str] | None = None,
    options: RunOptions | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
    origin: str | None = None,
) -> RunReport:
    """Read each selected setting (the default opt-out when none are named); change nothing.

    `origin` is where the person is logged in; None: the one their session cookie names (cookies.session_origin).
    """
    return _run("check", rules, cookies, settings, options, on_progress, cancel, origin)


def apply(
    rules: RuleSet,
    cookies: list[dict[str, Any]] | None,
    settings: list[str] | None = None,
    options: RunOptions | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
    origin: str | None = None,
) -> RunReport:
    """Bring each selected setting to its desired state, save, and verify on a fresh load of the page."""
    return _run("apply", rules, cookies, settings, options, on_progress, cancel, origin)


def _run(
    mode: str,
    rules: RuleSet,
    cookies: list[dict[str, Any]] | None,
    setting_ids: list[str] | None,
    options: RunOptions | None,
    on_progress: Progress | None,
    cancel: threading.Event | None,
    origin: str | None,
) -> RunReport:
    options = options or RunOptions()
    selected = rules.select(setting_ids)  # an unknown id is the caller's mistake: RulesError
    origin = origin or session_origin(rules, cookies)
    site = rules.site_for(origin)
    if site is None:  # the caller's mistake too: the front doors check the origin first
        raise RulesError(f"{origin} is not one of the sites the rules for {rules.name} name.")
    origin = origin_of(origin)  # https://www.pinterest.de/ and https://www.pinterest.de are one origin
    browser_cookies = session_cookies(cookies, site.cookie_domain)  # malformed cookies: CookieError
    report = RunReport(
        mode=mode,
        platform=rules.platform,
        origin=origin,
        status=RunStatus.FAILED,
        rules_version=rules.version,
        engine_version=ENGINE_VERSION,
        started_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        results=[SettingResult(s.id, s.title, SettingStatus.SKIPPED, s.desired) for s in selected],
    )
    run = _Run(mode, rules, origin, selected, options, report, on_progress, cancel or threading.Event())
    started = time.monotonic()
    try:
        run.skip_paused()
        if run.pending:
            run.execute(browser_cookies)
        report.status = report.finish_status()
        unknown = sum(1 for result in report.results if result.reason == SettingReason.UNKNOWN_LANGUAGE)
        report.message = decisions.summary(report.mode, report.counts(), unknown, report.language)
    except RunStopped as stop:
        report.status, report.message = stop.status, clip(stop.message, 1000)
    except BrowserMissing as error:
        report.status, report.message = RunStatus.BROWSER_MISSING, clip(str(error), 1000)
    except Exception as error:  # noqa: BLE001 - any other failure becomes a report, never a crash
        report.status, report.message = _classify(error)
    report.seconds = time.monotonic() - started
    for result in report.results:
        if result.status == SettingStatus.SKIPPED and not result.message:
            result.message = "Not reached: the run stopped first."
    run.emit("finished", report.message)
    return report


def _classify(error: Exception) -> tuple[RunStatus, str]:
    name = type(error).__name__
    if name == "TimeoutError":
        return RunStatus.TIMEOUT, "Pinterest took too long to answer. Check your connection and try again later."
    text = str(error)
    first_line = clip(text.splitlines()[0] if text else name)
    if "Executable doesn't exist" in text or "Failed to launch" in text:
        return RunStatus.BROWSER_MISSING, f"The browser could not start: {first_line}"
    return RunStatus.FAILED, f"Something went wrong: {first_line}"


class _Run:
    """One check or apply: the pages it visits and what it found on them."""

    def __init__(
        self,
        mode: str,
        rules: RuleSet,
        origin: str,
        selected: list[Setting],
        options: RunOptions,
        report: RunReport,
        on_progress: Progress | None,
        cancel: threading.Event,
    ):
        self.mode = mode
        self.rules = rules
        self.origin = origin  # where the next page opens: the run's origin, or where Pinterest moved the run
        self.options = options
        self.report = report
        self.on_progress = on_progress
        self.cancel = cancel
        self.pending = list(selected)
        self.results = {result.id: result for result in report.results}
        self.visited: set[str] = set()
        self.opened: set[str] = set()  # sections opened on the current document, by normalized name
        self.own: set[str] = set()  # settings whose own page the current document is: taught wordings count
        self.looked: dict[str, decisions.Scan] = {}  # each setting's own page as last scanned, for not_found
        self.last_scan: Scan | None = None
        # The current document's language ("" unknown) and the rules as read in it (RuleSet.in_language).
        self.language = ""
        self.view = rules
        self.vocabularies = page_language.vocabularies(rules)

    # -- progress -------------------------------------------------------------------------------------------
    def emit(self, step: str, message: str, setting: Setting | None = None, page: str | None = None) -> None:
        if not self.on_progress:
            return
        result = self.results.get(setting.id) if setting else None
        done = sum(1 for r in self.results.values() if r.status != SettingStatus.SKIPPED)
        event = ProgressEvent(
            step=step,
            message=message,
            setting_id=setting.id if setting else None,
            status=result.status if result and step == "setting_done" else None,
            page=page,
            done=done,
            total=len(self.results),
        )
        try:
            self.on_progress(event)
        except Exception:  # noqa: BLE001 - a listener's failure must not break the run
            pass

    def finish(self, setting: Setting, status: SettingStatus, message: str, started: float) -> None:
        result = self.results[setting.id]
        result.status, result.message = status, message
        result.seconds = round(time.monotonic() - started, 3)
        self.emit("setting_done", f"{setting.title}: {message[0].lower()}{message[1:]}", setting, result.page)

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise RunStopped(RunStatus.CANCELLED, "Stopped at your request. Nothing more was changed.")

    def skip_paused(self) -> None:
        """The settings the rules pause are not touched, not even read: the reason is the rules' own."""
        for setting in [s for s in self.pending if s.paused]:
            self.pending.remove(setting)
            result = self.results[setting.id]
            result.status = SettingStatus.PAUSED
            result.message = clip(f"Paused by Optout's maintainers: {setting.paused}", 1000)
            self.emit("setting_done", f"{setting.title}: paused", setting)

    # -- the run --------------------------------------------------------------------------------------------
    def execute(self, cookies: list[dict[str, Any]]) -> None:
        self.emit("launching", "Starting a private browser window")
        with launch(
            self.options.site_map,
            self.options.browser_path,
            self.options.headed,
            self.options.timeout_seconds,
            cookies,
            self.options.languages,
            self._browser_started,
            self._count_load,
        ) as launched:
            self.driver: PageDriver = launched.driver
            self.visit_pages()

    def _browser_started(self, description: str, sandbox: bool) -> None:
        self.report.browser_launches += 1
        self.report.browser = description
        self.report.sandbox = sandbox

    def _count_load(self) -> None:
        self.report.page_loads += 1

    def visit_pages(self) -> None:
        for url in self.known_urls():
            if not self.pending:
                return
            if url not in self.visited and any(url in setting.urls for setting in self.pending):
                self.visit(url, [s for s in self.pending if url in s.urls])
        self.follow_menu()
        for setting in self.pending:
            result = self.results[setting.id]
            looked = self.looked.get(setting.id)
            language = looked.language if looked is not None else self.report.language
            result.status, result.language = SettingStatus.NOT_FOUND, language
            result.message, result.reason = decisions.not_found(setting, language)
            if looked is not None:
                result.page = clip(looked.url, decisions.MAX_URL)
                in_language = self.rules.in_language(language)
                result.candidates = [candidate.to_json() for candidate in decisions.candidates(looked, in_language)]
            self.emit("setting_done", f"{setting.title}: not found", setting)
        self.pending.clear()

    def known_urls(self) -> list[str]:
        return list(dict.fromkeys(url for setting in self.pending for url in setting.urls))

    def follow_menu(self) -> None:
        """Reach settings with no known address through the settings menu, by the links' names."""
        while any(setting.menu_links for setting in self.pending):
            if self.last_scan is None:
                self.visit(self.rules.menu_page, [])
                continue
            pending = [self.here(setting) for setting in self.pending]
            target = decisions.menu_target(pending, self.last_scan, self.view, self.visited)
            if target is None:
                return
            url, expected = target
            self.visit(url, expected)

    def here(self, setting: Setting) -> Setting:
        """`setting` with the wordings of the current document's language first (RuleSet.in_language)."""
        return self.view.setting(setting.id)

    # -- reading a page --------------------------------------------------------------------------------------
    def visit(self, url: str, expected: list[Setting]) -> None:
        self.check_cancel()
        if not self.rules.allows(url):
            raise RunStopped(RunStatus.FAILED, f"Refused to open {clip(url, 120)}: it is not on {self.rules.name}.")
        self.visited.add(url)
        url = rebase(url, self.origin)
        self.emit("loading", f"Opening {url}", page=url)
        self.visited.add(url)
        self.own = {setting.id for setting in expected}
        scan = self.load(url)
        if scan is None:
            raise RunStopped(
                RunStatus.TIMEOUT,
                f"{self.rules.name}'s page kept loading or changing for {self.options.render_seconds:g} seconds, "
                "so Optout read nothing from it. Try again later.",
            )
        self.visited.add(scan.url.split("#")[0])
        if scan.password_visible and not scan.controls:
            raise self.login_required()
        if scan.language:
            self.report.language = scan.language
        scan = self.reveal(expected, scan)
        self.looked.update({setting.id: scan for setting in expected})
        self.emit("reading", f"Reading the settings on {scan.url}", page=scan.url)
        to_change = self.read_settings(scan)
        if to_change:
            self.change(to_change, scan)

    def load(self, url: str) -> Scan | None:
        """Open `url`, stop at a login or block page, and return its settled scan (None: it never settled), in the
        page's language (its `lang`, else its text's: page_language.py)."""
        self.opened.clear()
        self.language, self.view = "", self.rules
        status = self.driver.open(url)
        self.guard(self.driver.location())
        self.follow_move(self.driver.location())
        if status == 429:
            raise self.blocked()
        scan = self.settled_scan()
        text = self.driver.body_text(BODY_TEXT_LIMIT)
        self.check_gate(scan.url if scan else self.driver.location(), text, scan)
        if scan is not None:
            self.language = scan.language or page_language.guess(text, self.vocabularies)
            self.view = self.rules.in_language(self.language)
            scan = dataclasses.replace(scan, language=self.language)
        self.last_scan = scan
        return scan

    def check_gate(self, url: str, text: str, scan: Scan | None) -> None:
        """Stop at Pinterest's login page or its bot/rate-limit block, in any language the rules know."""
        if decisions.blocked(self.rules, None, text):
            raise self.blocked()
        if decisions.login_path(self.rules, url) or decisions.login_page(self.rules, text, scan):
            raise self.login_required()

    def blocked(self) -> RunStopped:
        return RunStopped(
            RunStatus.BLOCKED,
            "Pinterest is blocking automated visits for now (its bot or rate-limit page). Try again later; "
            "blocks last from minutes to a day.",
        )

    def login_required(self) -> RunStopped:
        return RunStopped(
            RunStatus.LOGIN_REQUIRED,
            f"You are not logged in. Log in to {self.rules.name} in this browser, then try again.",
        )

    def guard(self, url: str) -> None:
        """Nothing is read from, or clicked on, a page that is not on one of the platform's sites."""
        message = decisions.off_site_message(self.rules, url)
        if message:
            raise RunStopped(RunStatus.FAILED, message)

    def follow_move(self, url: str) -> None:
        """Pinterest moved the run to another of its hosts (guard allowed it): the next pages open there too."""
        landed = origin_of(url)
        if landed != self.origin:
            self.origin = landed
            self.report.redirected_to = landed if landed != self.report.origin else ""

    def scan_now(self) -> Scan | None:
        scan = self.driver.scan()
        if scan is not None:
            self.guard(scan.url)
            if self.language and not scan.language:
                scan = dataclasses.replace(scan, language=self.language)  # the language load() found from its text
        return scan

    def settled_scan(self) -> Scan | None:
        """The page's scan once it has settled (decisions.Settle); None when it did not within render_seconds."""
        settle = Settle(self.options.settle_seconds)
        deadline = time.monotonic() + self.options.render_seconds
        while True:
            self.check_cancel()
            scan = self.scan_now()
            now = time.monotonic()
            signature = scan.signature() + tuple(scan.openers) if scan is not None else None
            if settle.observe(signature, now, self.driver.network_quiet_for()) and scan is not None:
                return scan
            if now >= deadline:
                return None
            self.driver.wait(POLL_SECONDS)

    def reveal(self, settings: list[Setting], scan: Scan) -> Scan:
        """Open the collapsed sections or tabs named as the settings' sections; opening writes nothing."""
        while True:
            hidden = [self.here(s) for s in settings if self.find(s, scan).control is None]
            opener = next((o for s in hidden if (o := decisions.opener_for(s, scan, self.opened))), None)
            if opener is None:
                return scan
            self.opened.add(normalize(opener.text))
            self.guard(self.driver.location())
            try:
                self.driver.click_opener(opener)
            except ClickFailed:
                continue
            settled = self.settled_scan()
            if settled is None:
                return scan
            scan = settled

    def find(self, setting: Setting, scan: Scan) -> decisions.Match:
        return decisions.find(self.here(setting), scan, self.view, own_page=setting.id in self.own)

    def read_settings(self, scan: Scan) -> list[Setting]:
        """Record what each pending setting found here; return those apply must change."""
        to_change = []
        for setting in list(self.pending):
            started = time.monotonic()
            match = self.find(setting, scan)
            if match.control is None:
                continue
            self.pending.remove(setting)
            result = self.results[setting.id]
            result.page, result.wording = clip(scan.url, decisions.MAX_URL), match.wording
            result.wording_source = str(match.source) if match.source else None
            result.language = scan.language
            reading = decisions.read_setting(setting, match, self.mode)
            result.before, result.after, result.verified = reading.before, reading.after, reading.verified
            if reading.status is None:
                to_change.append(setting)
            else:
                self.finish(setting, reading.status, reading.message, started)
        return to_change

    # -- changing and saving ---------------------------------------------------------------------------------
    def change(self, to_change: list[Setting], scan: Scan) -> None:
        started = time.monotonic()
        url = scan.url
        model = SaveModel.UNKNOWN
        records = {setting.id: SaveRecord() for setting in to_change}
        for index, setting in enumerate(to_change):
            self.check_cancel()
            if index and self.options.pause_seconds:
                self.driver.wait(self.options.pause_seconds)
            shown = self.here(setting).labels[0]  # in the page's language where the rules know it
            self.emit("changing", f"Turning {decisions.word(setting.desired)} '{shown}'", setting, url)
            model = self.toggle(setting, model, records[setting.id])
        unsaved = [s for s in to_change if not records[s.id].writes and not records[s.id].problem]
        if unsaved:
            self.press_save([records[s.id] for s in unsaved])
        try:
            self.verify(url, to_change, records, started)
        except RunStopped:
            for setting in to_change:
                result = self.results[setting.id]
                if result.status == SettingStatus.SKIPPED:
                    result.after = None
                    result.message = "Optout clicked it, but the run stopped before Optout could check it."
            raise

    def toggle(self, setting: Setting, model: SaveModel, record: SaveRecord) -> SaveModel:
        """Click the setting's control (found afresh), confirm when the page asks; return the page's save model."""
        scan = self.scan_now()
        scan = self.reveal([setting], scan) if scan is not None else None
        match = self.find(setting, scan) if scan is not None else None
        if match is None or match.control is None or match.ambiguous or match.control.disabled:
            record.problem = "the control changed while Optout was working; nothing was clicked."
            return model
        self.guard(self.driver.location())
        self.driver.begin_action()
        try:
            self.driver.click_control(match.control)
        except ClickFailed as error:
            record.problem = str(error)
            return model
        self.report.clicks += 1
        record.add(self.wait_for_action(expect_write=model != SaveModel.SAVE_BUTTON, watch_page=True))
        self.confirm_if_asked(record)
        if model == SaveModel.UNKNOWN:
            after = self.scan_now()
            model = decisions.save_model_after_click(record.writes, after, self.view.save_buttons)
        return model

    def confirm_if_asked(self, record: SaveRecord) -> None:
        scan = self.scan_now()
        if scan is None or not scan.dialog_open:
            return
        button = decisions.button_named(scan, self.view.confirm_buttons, in_dialog=True)
        if button is None:
            return
        self.guard(self.driver.location())
        self.driver.begin_action()
        try:
            self.driver.click_button(button)
        except ClickFailed as error:
            record.problem = str(error)
            return
        self.report.clicks += 1
        record.add(self.wait_for_action(expect_write=True, watch_page=False))

    def press_save(self, records: list[SaveRecord]) -> None:
        """Press the page's Save/Done button for the changes that sent nothing; none there: they stay unsaved."""
        scan = self.scan_now()
        button = decisions.button_named(scan, self.view.save_buttons, in_dialog=False) if scan else None
        if button is None:
            return
        self.emit("saving", "Saving your choices", page=scan.url if scan else None)
        self.guard(self.driver.location())
        self.driver.begin_action()
        try:
            self.driver.click_button(button)
        except ClickFailed as error:
            for record in records:
                record.problem = str(error)
            return
        self.report.clicks += 1
        outcome = self.wait_for_action(expect_write=True, watch_page=False)
        self.driver.wait_for_load()
        for record in records:
            record.save_pressed = True
            record.add(outcome)

    def wait_for_action(self, expect_write: bool, watch_page: bool) -> ActionOutcome:
        """Wait until the writes an action set off are answered. With no write yet, wait `save_wait_seconds` for
        one when one is expected, or until the page shows another way to save (a dialog, a Save button)."""
        started = time.monotonic()
        last_look = started
        while True:
            outcome = self.driver.action()
            now = time.monotonic()
            if now - started >= ACTION_LIMIT_SECONDS:
                return outcome
            if outcome.writes and not outcome.pending:
                return outcome
            if not outcome.writes:
                if not expect_write or now - started >= self.options.save_wait_seconds:
                    return outcome
                if watch_page and now - last_look >= 0.1:
                    last_look = now
                    scan = self.scan_now()
                    if scan is not None and (
                        scan.dialog_open or decisions.button_named(scan, self.view.save_buttons, in_dialog=False)
                    ):
                        return outcome
            self.driver.wait(0.01)

    # -- verifying -------------------------------------------------------------------------------------------
    def verify(self, url: str, changed: list[Setting], records: dict[str, SaveRecord], started: float) -> None:
        """Load the page afresh and read again: only what the fresh page shows counts."""
        self.check_cancel()
        self.emit("verifying", "Loading the page again to check that Pinterest kept your choices", page=url)
        scan = self.load(url)
        if scan is not None:
            scan = self.reveal(changed, scan)
        for setting in changed:
            result = self.results[setting.id]
            if scan is None:
                status, message, verified = decisions.unsettled_verdict()
                result.after = None
            else:
                match = self.find(setting, scan)
                result.after = match.control.checked if match.control and not match.ambiguous else None
                status, message, verified = decisions.verdict(setting, result.after, records[setting.id])
            result.verified = verified
            self.finish(setting, status, message, started)
