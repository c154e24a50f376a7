"""The opt-out engine: the only code that touches a page.

`check` reads every selected setting; `apply` brings each one to its desired state: it changes only what
differs, saves (pages that save on change, and pages with a Done/Save button), then reloads and reads again.
A change counts as `changed` only once the reloaded page shows it. One browser per run; each page is loaded
once, whatever the number of settings on it.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from native_host.browser import CHROMIUM_FLAGS, BrowserMissing, choose_browser, desktop_user_agent
from native_host.cookies import session_cookies
from native_host.labels import Control, find_control, normalize
from native_host.page_watch import NetworkWatch
from native_host.report import ProgressEvent, RunReport, SettingResult
from native_host.rules import RuleSet, Setting
from native_host.site_map import SiteMapProxies
from native_host.statuses import RunStatus, SettingStatus
from native_host.version import ENGINE_VERSION

SCAN_CONTROLS = (Path(__file__).parent / "scan_controls.js").read_text(encoding="utf-8")
MARKER = "data-optout-ref"
POLL_SECONDS = 0.025

Progress = Callable[[ProgressEvent], None]


@dataclass
class RunOptions:
    site_map: dict[str, str] = field(default_factory=dict)  # real origin -> loopback server (tests, demo)
    browser_path: str | None = None
    headed: bool = False
    timeout_seconds: float = 20.0  # for one page to load
    render_seconds: float = 10.0  # for a loaded page to show its controls
    settle_seconds: float = 1.0  # a page whose controls stopped changing this long is complete
    pause_seconds: float = 0.2  # between two clicks: human pace


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
) -> RunReport:
    """Read each selected setting (the default opt-out when none are named); change nothing."""
    return _run("check", rules, cookies, settings, options, on_progress, cancel)


def apply(
    rules: RuleSet,
    cookies: list[dict[str, Any]] | None,
    settings: list[str] | None = None,
    options: RunOptions | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> RunReport:
    """Bring each selected setting to its desired state, save, and verify after a reload."""
    return _run("apply", rules, cookies, settings, options, on_progress, cancel)


def _run(
    mode: str,
    rules: RuleSet,
    cookies: list[dict[str, Any]] | None,
    setting_ids: list[str] | None,
    options: RunOptions | None,
    on_progress: Progress | None,
    cancel: threading.Event | None,
) -> RunReport:
    options = options or RunOptions()
    selected = rules.select(setting_ids)  # an unknown id is the caller's mistake: RulesError
    browser_cookies = session_cookies(cookies, rules.cookie_domain)  # malformed cookies: CookieError
    report = RunReport(
        mode=mode,
        platform=rules.platform,
        status=RunStatus.FAILED,
        rules_version=rules.version,
        engine_version=ENGINE_VERSION,
        started_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        results=[SettingResult(s.id, s.title, SettingStatus.SKIPPED, s.desired) for s in selected],
    )
    run = _Run(mode, rules, selected, options, report, on_progress, cancel or threading.Event())
    started = time.monotonic()
    try:
        run.execute(browser_cookies)
        report.status = report.finish_status()
        report.message = _summary(report)
    except RunStopped as stop:
        report.status, report.message = stop.status, stop.message
    except BrowserMissing as error:
        report.status, report.message = RunStatus.BROWSER_MISSING, str(error)
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
    if "Executable doesn't exist" in text or "Failed to launch" in text:
        return RunStatus.BROWSER_MISSING, f"The browser could not start: {text.splitlines()[0]}"
    return RunStatus.FAILED, f"Something went wrong: {text.splitlines()[0] if text else name}"


def _summary(report: RunReport) -> str:
    counts = report.counts()
    parts = [f"{count} {status.replace('_', ' ')}" for status, count in sorted(counts.items())]
    return f"{report.mode.capitalize()} finished: " + ", ".join(parts) + "."


class _Run:
    """One check or apply: the pages it visits and what it found on them."""

    def __init__(
        self,
        mode: str,
        rules: RuleSet,
        selected: list[Setting],
        options: RunOptions,
        report: RunReport,
        on_progress: Progress | None,
        cancel: threading.Event,
    ):
        self.mode = mode
        self.rules = rules
        self.options = options
        self.report = report
        self.on_progress = on_progress
        self.cancel = cancel
        self.pending = list(selected)
        self.results = {result.id: result for result in report.results}
        self.visited: set[str] = set()
        self.save_words = {normalize(word) for word in rules.save_buttons}

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

    # -- the run --------------------------------------------------------------------------------------------
    def execute(self, cookies: list[dict[str, Any]]) -> None:
        from playwright.sync_api import sync_playwright  # heavy: only when a run really starts

        self.emit("launching", "Starting a private browser window")
        with SiteMapProxies(self.options.site_map) as proxies, sync_playwright() as playwright:
            choice = choose_browser(self.options.browser_path, playwright.chromium.executable_path)
            browser = playwright.chromium.launch(
                executable_path=choice.executable_path,
                headless=not self.options.headed,
                args=[*CHROMIUM_FLAGS, *proxies.browser_args()],
            )
            self.report.browser_launches += 1
            self.report.browser = choice.describe(browser.version)
            try:
                context = browser.new_context(
                    locale="en-US",
                    user_agent=desktop_user_agent(browser.version),
                    ignore_https_errors=bool(self.options.site_map),
                    viewport={"width": 1280, "height": 900},
                )
                context.add_cookies(cookies)
                page = context.new_page()
                page.set_default_timeout(self.options.timeout_seconds * 1000)
                page.on("load", lambda _page: self._count_load())
                self.watch = NetworkWatch(page)
                self.visit_pages(page)
            finally:
                browser.close()

    def _count_load(self) -> None:
        self.report.page_loads += 1

    def visit_pages(self, page: Any) -> None:
        for url in self.known_urls():
            if not self.pending:
                return
            if url not in self.visited and any(url in setting.urls for setting in self.pending):
                self.visit(page, url, [s for s in self.pending if url in s.urls])
        self.follow_menu(page)
        for setting in self.pending:
            self.results[setting.id].status = SettingStatus.NOT_FOUND
            self.results[setting.id].message = (
                f"Could not find '{setting.labels[0]}' on your settings pages. Pinterest may not offer it "
                "to your account or region, or may have renamed it."
            )
            self.emit("setting_done", f"{setting.title}: not found", setting)
        self.pending.clear()

    def known_urls(self) -> list[str]:
        return list(dict.fromkeys(url for setting in self.pending for url in setting.urls))

    def follow_menu(self, page: Any) -> None:
        """Reach settings with no known address through the settings menu, by the links' names."""
        while any(setting.menu_links for setting in self.pending):
            if not self.visited:
                self.visit(page, self.rules.menu_page, [])
                continue
            links = self.scan(page)["links"]
            target = self.menu_target(links)
            if target is None:
                return
            url, expected = target
            self.visit(page, url, expected)

    def menu_target(self, links: list[dict[str, str]]) -> tuple[str, list[Setting]] | None:
        for setting in self.pending:
            for name in setting.menu_links:
                for link in links:
                    url = link["href"].split("#")[0]
                    if (
                        normalize(link["text"]) == normalize(name)
                        and self.rules.allows(url)
                        and url not in self.visited
                    ):
                        return url, [s for s in self.pending if name in s.menu_links]
        return None

    def visit(self, page: Any, url: str, expected: list[Setting]) -> None:
        self.check_cancel()
        if not self.rules.allows(url):
            raise RunStopped(RunStatus.FAILED, f"Refused to open {url}: it is not on {self.rules.name}.")
        self.emit("loading", f"Opening {url}", page=url)
        self.visited.add(url)
        response = page.goto(url, wait_until="load")
        self.visited.add(page.url.split("#")[0])
        self.check_gate(page, response)
        scan = self.wait_for_controls(page, expected)
        controls = [Control.from_scan(raw) for raw in scan["controls"]]
        if scan["passwordVisible"] and not controls:
            raise self.login_required()
        self.emit("reading", f"Reading the settings on {page.url}", page=page.url)
        to_change = self.read_settings(page.url, controls)
        if to_change:
            self.change(page, to_change, scan)

    def check_gate(self, page: Any, response: Any) -> None:
        """Stop at Pinterest's login page or its bot/rate-limit block."""
        text = normalize(page.evaluate("() => document.body ? document.body.innerText.slice(0, 4000) : ''"))
        if (response is not None and response.status == 429) or any(
            normalize(words) in text for words in self.rules.blocked_texts
        ):
            raise RunStopped(
                RunStatus.BLOCKED,
                "Pinterest is blocking automated visits for now (its bot or rate-limit page). Try again later; "
                "blocks last from minutes to a day.",
            )
        path = page.url.split("://", 1)[-1].partition("/")[2]
        if any(("/" + path).startswith(login) for login in self.rules.login_paths):
            raise self.login_required()
        if not self.rules.allows(page.url):
            raise RunStopped(RunStatus.FAILED, f"Pinterest sent the browser to {page.url}, which is not Pinterest.")

    def login_required(self) -> RunStopped:
        return RunStopped(
            RunStatus.LOGIN_REQUIRED,
            f"You are not logged in. Log in to {self.rules.name} in this browser, then try again.",
        )

    def scan(self, page: Any) -> dict[str, Any]:
        return page.evaluate(SCAN_CONTROLS, MARKER)

    def wait_for_controls(self, page: Any, expected: list[Setting]) -> dict[str, Any]:
        """Wait until the expected settings show, or the page's controls stop changing, or time runs out."""
        deadline = time.monotonic() + self.options.render_seconds
        last_shape, changed_at = None, time.monotonic()
        while True:
            self.check_cancel()
            scan = self.scan(page)
            controls = [Control.from_scan(raw) for raw in scan["controls"]]
            if expected and all(find_control(s, controls, self.rules.settings).control for s in expected):
                return scan
            shape = [(raw["names"], raw["checked"], raw["disabled"]) for raw in scan["controls"]]
            now = time.monotonic()
            if shape != last_shape:
                last_shape, changed_at = shape, now
            elif controls and now - changed_at >= self.options.settle_seconds and self.watch.idle():
                return scan
            if now >= deadline:
                return scan
            page.wait_for_timeout(POLL_SECONDS * 1000)

    def read_settings(self, url: str, controls: list[Control]) -> list[tuple[Setting, str]]:
        """Record what each pending setting found here; return those apply must change."""
        to_change = []
        for setting in list(self.pending):
            started = time.monotonic()
            match = find_control(setting, controls, self.rules.settings)
            if match.control is None:
                continue
            self.pending.remove(setting)
            result = self.results[setting.id]
            result.page, result.wording = url, match.wording
            control = match.control
            if match.ambiguous:
                names = "; ".join(c.describe() for c in [control, *match.rivals])
                self.finish(
                    setting,
                    SettingStatus.AMBIGUOUS,
                    f"Several controls look like this setting ({names}); none touched.",
                    started,
                )
                continue
            if control.checked is None:
                self.finish(setting, SettingStatus.AMBIGUOUS, "Its on/off state cannot be read; not touched.", started)
                continue
            result.before = control.checked
            if control.checked == setting.desired:
                result.after, result.verified = control.checked, True
                locked = " Pinterest has locked it." if control.disabled else ""
                self.finish(setting, SettingStatus.ALREADY_OK, f"Already {_word(setting.desired)}.{locked}", started)
            elif control.disabled:
                result.after = control.checked
                self.finish(
                    setting,
                    SettingStatus.LOCKED,
                    f"Pinterest does not let this account change it (it is {_word(control.checked)} and locked).",
                    started,
                )
            elif self.mode == "check":
                result.after = control.checked
                self.finish(
                    setting,
                    SettingStatus.WOULD_CHANGE,
                    f"It is {_word(control.checked)}; you chose {_word(setting.desired)}.",
                    started,
                )
            else:
                to_change.append((setting, match.wording or ""))
        return to_change

    def change(self, page: Any, to_change: list[tuple[Setting, str]], scan: dict[str, Any]) -> None:
        started = time.monotonic()
        saves_on_change = self.save_button(scan) is None
        failures: dict[str, str] = {}
        for index, (setting, _wording) in enumerate(to_change):
            self.check_cancel()
            if index and self.options.pause_seconds:
                page.wait_for_timeout(self.options.pause_seconds * 1000)
            self.emit("changing", f"Turning {_word(setting.desired)} '{setting.labels[0]}'", setting, page.url)
            problem = self.click(page, setting, saves_on_change)
            if problem:
                failures[setting.id] = problem
        if not saves_on_change:
            self.emit("saving", "Saving your choices", page=page.url)
            problem = self.press_save(page)
            if problem:
                failures.update({setting.id: problem for setting, _ in to_change})
        self.verify(page, to_change, failures, started)

    def click(self, page: Any, setting: Setting, saves_on_change: bool) -> str | None:
        """Click the setting's control (found afresh); return a problem, if Pinterest reported one."""
        controls = [Control.from_scan(raw) for raw in self.scan(page)["controls"]]
        match = find_control(setting, controls, self.rules.settings)
        if match.control is None or match.ambiguous or match.control.disabled:
            return "The control changed while Optout was working; nothing was clicked."
        control = match.control
        selector = f'[{MARKER}="{control.ref}"]' if control.click == "control" else f'[{MARKER}-label="{control.ref}"]'
        self.watch.start()
        page.locator(selector).click()
        self.report.clicks += 1
        if saves_on_change:
            self.watch.wait_for_saves(page)
        return self.watch.problem()

    def save_button(self, scan: dict[str, Any]) -> dict[str, Any] | None:
        buttons = [b for b in scan["buttons"] if normalize(b["text"]) in self.save_words]
        return buttons[0] if len(buttons) == 1 else None

    def press_save(self, page: Any) -> str | None:
        button = self.save_button(self.scan(page))
        if button is None or button["disabled"]:
            return "The Done/Save button could not be pressed."
        self.watch.start()
        page.locator(f'[{MARKER}-button="{button["ref"]}"]').click()
        self.report.clicks += 1
        self.watch.wait_for_saves(page)
        page.wait_for_load_state("load")
        return self.watch.problem()

    def verify(self, page: Any, changed: list[tuple[Setting, str]], failures: dict[str, str], started: float) -> None:
        """Reload and read again: only what the fresh page shows counts."""
        self.check_cancel()
        self.emit("verifying", "Reloading the page to check that Pinterest kept your choices", page=page.url)
        response = page.reload(wait_until="load")
        self.check_gate(page, response)
        settings = [setting for setting, _ in changed]
        scan = self.wait_for_controls(page, settings)
        controls = [Control.from_scan(raw) for raw in scan["controls"]]
        for setting in settings:
            result = self.results[setting.id]
            match = find_control(setting, controls, self.rules.settings)
            result.after = match.control.checked if match.control and not match.ambiguous else None
            if result.after == setting.desired:
                result.verified = True
                self.finish(setting, SettingStatus.CHANGED, f"Turned {_word(setting.desired)} and checked.", started)
            elif setting.id in failures:
                self.finish(
                    setting, SettingStatus.SAVE_FAILED, f"Pinterest did not save it: {failures[setting.id]}", started
                )
            else:
                self.finish(
                    setting,
                    SettingStatus.VERIFY_FAILED,
                    "Pinterest accepted the change but the page still shows the old state after a reload.",
                    started,
                )


def _word(state: bool | None) -> str:
    return {True: "on", False: "off", None: "unknown"}[state]
