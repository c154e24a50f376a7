"""The page driver: the only code that calls Playwright.

The engine decides (decisions.py) and acts only through the `PageDriver` interface below: open a page, scan it,
click what a scan marked, watch the page's own requests, wait. `launch` starts one browser for one run and hands
out the Playwright implementation; tests of the decisions need none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from native_host.engine.browser import (
    choose_browser,
    chromium_flags,
    desktop_user_agent,
    sandbox_possible,
)
from native_host.engine.decisions import Button, Opener, Scan, clip
from native_host.engine.labels import Control
from native_host.engine.page_watch import ActionOutcome, NetworkWatch
from native_host.engine.site_map_proxy import SiteMapProxies

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

SCAN_CONTROLS = (Path(__file__).parent / "scan_controls.js").read_text(encoding="utf-8")
MARKER = "data-optout-ref"
LOCATION = "() => location.href"
BODY_TEXT = "(limit) => document.body ? document.body.innerText.slice(0, limit) : ''"
CLICK_SECONDS = 5.0  # a control a scan just saw visible is clickable at once, or something is wrong


class ClickFailed(Exception):
    """A click could not be made; the message says so in words a person understands."""


class PageDriver(Protocol):
    """Everything the engine may do to a page."""

    def open(self, url: str) -> int | None:
        """Load `url` (GET) until its load event; the document's HTTP status (None when there was no response)."""

    def location(self) -> str:
        """The address of the document shown right now, asked of the document itself."""

    def scan(self) -> Scan | None:
        """The page's controls, buttons, links and collapsed sections; None while it is between two documents."""

    def body_text(self, limit: int) -> str:
        """The first `limit` characters of the page's visible text."""

    def click_control(self, control: Control) -> None: ...

    def click_button(self, button: Button) -> None: ...

    def click_opener(self, opener: Opener) -> None: ...

    def begin_action(self) -> None:
        """Start counting the writes that the next action sets off."""

    def action(self) -> ActionOutcome:
        """The writes since `begin_action` and what they got so far."""

    def network_quiet_for(self) -> float:
        """Seconds since the page's own data requests last ended; 0 while one is open."""

    def wait(self, seconds: float) -> None:
        """Let the page run for `seconds` (events are delivered meanwhile)."""

    def wait_for_load(self) -> None:
        """Wait for the current document's load event (after a form post, for example)."""


@dataclass
class Launched:
    driver: PageDriver
    browser: str  # which browser, in words
    sandbox: bool  # False: Chromium had to run with --no-sandbox (as root)


class PlaywrightDriver:
    """PageDriver on one Playwright page."""

    def __init__(self, page: Page, timeout_seconds: float):
        self._page = page
        self._watch = NetworkWatch()
        page.set_default_timeout(timeout_seconds * 1000)
        page.on("request", self._started)
        page.on("response", self._answered)
        page.on("requestfinished", lambda request: self._watch.ended(request))
        page.on("requestfailed", lambda request: self._watch.failed(request, request.failure or ""))

    def _started(self, request: Request) -> None:
        try:
            main_frame = request.frame == self._page.main_frame
        except Exception:  # noqa: BLE001 - a service worker's request has no frame: not the page's own
            main_frame = False
        self._watch.started(request, request.method, request.resource_type, main_frame)

    def _answered(self, response: Response) -> None:
        self._watch.answered(response.request, response.status, response.status_text)

    def open(self, url: str) -> int | None:
        self._watch.navigated()
        response = self._page.goto(url, wait_until="load")
        return response.status if response is not None else None

    def location(self) -> str:
        try:
            return str(self._page.evaluate(LOCATION))
        except Exception:  # noqa: BLE001 - between two documents: the address Playwright last saw
            return self._page.url

    def scan(self) -> Scan | None:
        from playwright.sync_api import Error

        try:
            return Scan.from_raw(self._page.evaluate(SCAN_CONTROLS, MARKER))
        except Error:  # the document went away while it was scanned (a navigation)
            return None

    def body_text(self, limit: int) -> str:
        from playwright.sync_api import Error

        try:
            return str(self._page.evaluate(BODY_TEXT, limit))
        except Error:
            return ""

    def click_control(self, control: Control) -> None:
        suffix = "" if control.click == "control" else "-label"
        self._click(f'[{MARKER}{suffix}="{control.ref}"]', f"the switch '{clip(control.describe(), 80)}'")

    def click_button(self, button: Button) -> None:
        self._click(f'[{MARKER}-button="{button.ref}"]', f"the button '{clip(button.text, 80)}'")

    def click_opener(self, opener: Opener) -> None:
        self._click(f'[{MARKER}-opener="{opener.ref}"]', f"the section '{clip(opener.text, 80)}'")

    def _click(self, selector: str, what: str) -> None:
        from playwright.sync_api import Error

        try:
            self._page.locator(selector).click(timeout=CLICK_SECONDS * 1000)
        except Error as error:
            raise ClickFailed(f"Optout could not click {what}: it vanished or was covered.") from error

    def begin_action(self) -> None:
        self._watch.begin_action()

    def action(self) -> ActionOutcome:
        return self._watch.action()

    def network_quiet_for(self) -> float:
        return self._watch.quiet_for()

    def wait(self, seconds: float) -> None:
        self._page.wait_for_timeout(seconds * 1000)

    def wait_for_load(self) -> None:
        from playwright.sync_api import Error

        try:
            self._page.wait_for_load_state("load")
        except Error:
            pass  # a document that never finishes shows up as unsettled in the next scans


@contextmanager
def launch(
    site_map: dict[str, str],
    browser_path: str | None,
    headed: bool,
    timeout_seconds: float,
    cookies: list[dict[str, Any]],
    languages: tuple[str, ...],
    on_browser: Callable[[str, bool], None],
    on_load: Callable[[], None],
) -> Iterator[Launched]:
    """One browser, one context with the session's cookies, one page. `languages` (the person's, most wanted
    first; empty: the browser's default) set the locale and Accept-Language. `on_browser(description, sandbox)`
    is called as soon as the browser runs; `on_load` on every load event."""
    from playwright.sync_api import sync_playwright  # heavy: only when a run really starts

    sandbox = sandbox_possible()
    with SiteMapProxies(site_map) as proxies, sync_playwright() as playwright:
        choice = choose_browser(browser_path, playwright.chromium.executable_path)
        browser = playwright.chromium.launch(
            executable_path=choice.executable_path,
            headless=not headed,
            chromium_sandbox=sandbox,
            args=[*chromium_flags(sandbox), *proxies.browser_args()],
        )
        description = choice.describe(browser.version)
        on_browser(description, sandbox)
        try:
            user_agent = desktop_user_agent(browser.version)
            context = browser.new_context(
                user_agent=user_agent,
                ignore_https_errors=bool(site_map),
                viewport={"width": 1280, "height": 900},
            )
            context.add_cookies(cookies)
            page = context.new_page()
            speak(context, page, languages, user_agent)
            page.on("load", lambda _page: on_load())
            yield Launched(PlaywrightDriver(page, timeout_seconds), description, sandbox)
        finally:
            browser.close()


def speak(context: Any, page: Page, languages: tuple[str, ...], user_agent: str) -> None:
    """Make the run's page speak the person's languages, never a forced English: every request's Accept-Language
    is the whole list in order, navigator.languages too, and the locale (Intl formats) is the first.

    Through DevTools rather than Playwright's `locale`, which cuts Accept-Language down to its one tag on page
    loads, or Chromium's --accept-lang, which keeps only the first tag. The tags were checked at the edge
    (languages.is_language_tag). None given: the browser's own default."""
    if not languages:
        return
    from playwright.sync_api import Error

    session = context.new_cdp_session(page)
    session.send("Emulation.setUserAgentOverride", {"userAgent": user_agent, "acceptLanguage": ",".join(languages)})
    try:
        session.send("Emulation.setLocaleOverride", {"locale": languages[0].replace("-", "_")})
    except Error:  # a tag the browser's ICU does not know: the requests still ask for the person's languages
        pass
