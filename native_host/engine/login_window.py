"""`optout login`'s browser window: open the platform's login page, let the person log in, take the session.

The window belongs to the person: Optout never types or clicks in it. It only watches. A page counts as logged in
the way the engine judges it: on one of the platform's sites, not on a login path, and no password field showing.
Cookies are no proof (Pinterest's `_pinterest_sess` stays after logout), so before it takes the session Optout
also asks for the settings page the engine opens first, in that same window's session, and checks that it is
not sent to the login page. That request happens once per change of cookies, at most every few seconds.
The login page opens on the origin asked for (the person's country domain, by default the canonical origin);
the session taken is the cookie jar of the site the person was seen logged in on, wherever Pinterest led them.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from native_host.engine.browser import CHROMIUM_FLAGS, BrowserMissing, choose_browser, desktop_user_agent
from native_host.engine.cookies import belongs_to
from native_host.engine.site_map_proxy import SiteMapProxies
from native_host.rules.format import RuleSet, origin_of, rebase

POLL_SECONDS = 0.5
CONFIRM_EVERY_SECONDS = 3.0
SAME_SITE_NAMES = {"None": "no_restriction", "Lax": "lax", "Strict": "strict"}

# Same test as the engine's control scan: a password input that is rendered and not hidden.
PASSWORD_SHOWING = """() => Array.from(document.querySelectorAll("input[type=password]")).some(
  (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")"""
# Where the settings page ends up for this session, following redirects as the browser would.
SETTINGS_LANDING = """async (url) => {
  try {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    return { url: response.url, status: response.status };
  } catch (error) {
    return null;
  }
}"""


class LoginFailed(Exception):
    """The login did not happen; the message says why and what to do. `login_needed` is false for a broken browser."""

    def __init__(self, message: str, login_needed: bool = True):
        super().__init__(message)
        self.message = message
        self.login_needed = login_needed


@dataclass
class LoginOptions:
    site_map: dict[str, str] = field(default_factory=dict)  # real origin -> loopback server (practice only)
    browser_path: str | None = None
    headed: bool = True  # a window the person can see; tests drive a headless one through `on_login_page`
    wait_seconds: float = 300.0
    timeout_seconds: float = 30.0  # for the login page to load
    origin: str | None = None  # where to log in (https://www.pinterest.de); None: the rules' canonical origin


def login_url(rules: RuleSet, origin: str | None = None) -> str:
    return (origin or rules.canonical_origin) + rules.login_paths[0]


def on_login_path(url: str, rules: RuleSet) -> bool:
    path = "/" + url.split("://", 1)[-1].partition("/")[2]
    return any(path.startswith(login) for login in rules.login_paths)


def log_in(
    rules: RuleSet,
    options: LoginOptions,
    on_login_page: Callable[[Any], None] | None = None,
    say: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Open the login page, wait for the person to log in, return the session's cookies (chrome.cookies shape).

    `on_login_page(page)` runs once the login page is open: tests log in through it. Raises LoginFailed.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    url = login_url(rules, options.origin)
    with SiteMapProxies(options.site_map) as proxies, sync_playwright() as playwright:
        try:
            choice = choose_browser(options.browser_path, playwright.chromium.executable_path)
        except BrowserMissing as error:
            raise LoginFailed(str(error), login_needed=False) from error
        try:
            browser = playwright.chromium.launch(
                executable_path=choice.executable_path,
                headless=not options.headed,
                args=[*window_flags(), *proxies.browser_args()],
            )
        except PlaywrightError as error:
            raise LoginFailed(_launch_problem(str(error), options.headed), login_needed=False) from error
        try:
            context = browser.new_context(
                # No forced locale: the window speaks the person's system language, as their own browser would.
                # The engine presents this user agent later; the session should not see a different browser.
                user_agent=desktop_user_agent(browser.version),
                ignore_https_errors=bool(options.site_map),
                no_viewport=options.headed,
            )
            page = context.new_page()
            try:
                response = page.goto(url, wait_until="domcontentloaded", timeout=options.timeout_seconds * 1000)
            except PlaywrightError as error:
                if page.is_closed():
                    raise _closed(rules) from None
                raise LoginFailed(
                    f"Could not open {rules.name}'s login page ({url}). Check your internet connection and try again.",
                    login_needed=False,
                ) from error
            if response is not None and response.status >= 500:
                raise LoginFailed(
                    f"{rules.name}'s login page did not load (its server answered with error {response.status}). "
                    "Try again later.",
                    login_needed=False,
                )
            if say:
                say(f"Log in to {rules.name} in the window that opened. Optout waits up to {_minutes(options)}.")
            if on_login_page:
                on_login_page(page)
            site = rules.site_for(_wait_for_login(context, rules, options))
            return [
                chrome_cookie(cookie)
                for cookie in context.cookies()
                if site is not None and belongs_to(cookie["domain"], site.cookie_domain)
            ]
        finally:
            try:
                browser.close()
            except PlaywrightError:
                pass  # the person closed it already


def window_flags() -> list[str]:
    """The engine's flags, but a window a person browses in keeps Chromium's sandbox unless it runs as root."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [flag for flag in CHROMIUM_FLAGS if as_root or flag != "--no-sandbox"]


def _wait_for_login(context: Any, rules: RuleSet, options: LoginOptions) -> str:
    """The origin of the page the person was confirmed logged in on."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + options.wait_seconds
    asked_for: str | None = None  # the cookies the last confirmation saw: a login changes them
    asked_at = float("-inf")
    while True:
        pages = [page for page in context.pages if not page.is_closed()]
        if not pages:
            raise _closed(rules)
        try:
            for page in pages:
                if not _looks_logged_in(page, rules):
                    continue
                jar = _cookie_fingerprint(context, rules)
                if jar == asked_for or time.monotonic() - asked_at < CONFIRM_EVERY_SECONDS:
                    continue
                asked_for, asked_at = jar, time.monotonic()
                if _settings_open(page, rules):
                    return origin_of(page.url)
            if time.monotonic() >= deadline:
                raise LoginFailed(
                    f"You did not finish logging in to {rules.name} within {_minutes(options)}, so nothing was "
                    "saved. Run `optout login` again when you are ready (--wait gives you more time)."
                )
            pages[0].wait_for_timeout(POLL_SECONDS * 1000)
        except PlaywrightError:
            # A page navigating or closing mid-question: ask again on the next round; a closed browser ends above.
            if not context.browser or not context.browser.is_connected():
                raise _closed(rules) from None
            time.sleep(POLL_SECONDS / 5)


def _closed(rules: RuleSet) -> LoginFailed:
    return LoginFailed(
        f"The login window was closed before you logged in to {rules.name}, so nothing was saved. Run "
        "`optout login` again to log in."
    )


def _looks_logged_in(page: Any, rules: RuleSet) -> bool:
    url = page.url
    if not rules.allows(url) or on_login_path(url, rules):
        return False
    return not page.evaluate(PASSWORD_SHOWING)


def _settings_open(page: Any, rules: RuleSet) -> bool:
    """True when the settings page the engine opens first does not send this session to the login page."""
    landing = page.evaluate(SETTINGS_LANDING, rebase(rules.menu_page, origin_of(page.url)))
    return bool(landing) and landing["status"] < 400 and not on_login_path(landing["url"], rules)


def _cookie_fingerprint(context: Any, rules: RuleSet) -> str:
    jar = sorted(
        (cookie["name"], cookie["value"])
        for cookie in context.cookies()
        if any(belongs_to(cookie["domain"], site.cookie_domain) for site in rules.sites)
    )
    return hashlib.sha256(repr(jar).encode()).hexdigest()


def chrome_cookie(cookie: dict[str, Any]) -> dict[str, Any]:
    """A Playwright cookie in the shape chrome.cookies.getAll gives, which --cookies and the engine take."""
    domain = cookie["domain"]
    expires = cookie.get("expires", -1)
    converted: dict[str, Any] = {
        "name": cookie["name"],
        "value": cookie["value"],
        "domain": domain,
        "hostOnly": not domain.startswith("."),
        "path": cookie.get("path") or "/",
        "secure": bool(cookie.get("secure")),
        "httpOnly": bool(cookie.get("httpOnly")),
        "sameSite": SAME_SITE_NAMES.get(cookie.get("sameSite", ""), "unspecified"),
        "session": expires is None or expires < 0,
    }
    if not converted["session"]:
        converted["expirationDate"] = float(expires)
    return converted


def _minutes(options: LoginOptions) -> str:
    minutes = options.wait_seconds / 60
    if minutes >= 1 and minutes == int(minutes):
        return f"{int(minutes)} minute{'s' if minutes != 1 else ''}"
    return f"{options.wait_seconds:g} seconds"


def _launch_problem(text: str, headed: bool) -> str:
    if headed and ("DISPLAY" in text or "X server" in text or "display" in text):
        return (
            "Optout could not open a browser window: this session has no screen. Run `optout login` from your "
            "desktop, or copy your cookies from a browser and pass them with --cookies."
        )
    if "Executable doesn't exist" in text:
        return "The browser could not start: it is not installed where Optout looked. Use --browser PATH."
    return "The browser could not start. Name another Chrome, Chromium or Edge with --browser PATH."
