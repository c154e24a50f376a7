"""Which browser a run uses: a configured one, else an installed Chrome/Chromium/Edge, else Playwright's own."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

# Quiet on a closed network. Chromium keeps its sandbox: it browses a real site with the person's session.

QUIET_FLAGS = (
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
)
NO_SANDBOX = "--no-sandbox"


def sandbox_possible() -> bool:
    """False only when running as root on POSIX (containers, CI): Chromium refuses to sandbox itself there."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or geteuid() != 0


def chromium_flags(sandbox: bool) -> tuple[str, ...]:
    return QUIET_FLAGS if sandbox else (NO_SANDBOX, *QUIET_FLAGS)


# The flags for this process, for tests and benches that start their own Chromium.
CHROMIUM_FLAGS = chromium_flags(sandbox_possible())

BROWSER_ENV = "OPTOUT_BROWSER"

INSTALLED_BROWSERS = {
    "linux": (
        ("Chromium", "/usr/lib/chromium/chromium"),
        ("Chromium", "/usr/lib/chromium-browser/chromium-browser"),
        ("Chromium", "/snap/chromium/current/usr/lib/chromium-browser/chrome"),
        ("Google Chrome", "/opt/google/chrome/chrome"),
        ("Microsoft Edge", "/opt/microsoft/msedge/msedge"),
        ("Brave", "/opt/brave.com/brave/brave"),
    ),
    "darwin": (
        ("Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
        ("Chromium", "/Applications/Chromium.app/Contents/MacOS/Chromium"),
        ("Microsoft Edge", "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
        ("Brave", "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser"),
    ),
    "win32": (
        ("Google Chrome", r"C:\Program Files\Google\Chrome\Application\chrome.exe"),
        ("Google Chrome", r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe"),
        ("Microsoft Edge", r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
    ),
}

HOW_TO_GET_ONE = (
    "Optout needs Google Chrome, Chromium or Microsoft Edge. Install one of them, "
    "or run: python -m playwright install chromium"
)


class BrowserMissing(Exception):
    """No usable browser; the message says how to get one."""


@dataclass(frozen=True)
class BrowserChoice:
    name: str
    executable_path: str | None  # None: Playwright's own download

    def describe(self, version: str = "") -> str:
        where = self.executable_path or "Playwright's own copy"
        return f"{self.name} {version} ({where})".replace("  ", " ")


def choose_browser(configured: str | None = None, playwright_chromium_path: str | None = None) -> BrowserChoice:
    """The first usable browser, in the order configured, installed, Playwright's own."""
    configured = configured or os.environ.get(BROWSER_ENV)
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return BrowserChoice("the configured browser", configured)
        raise BrowserMissing(f"The configured browser {configured} does not exist or cannot be run. {HOW_TO_GET_ONE}")
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    for name, path in INSTALLED_BROWSERS.get(platform, ()):
        if Path(path).is_file() and os.access(path, os.X_OK):
            return BrowserChoice(name, path)
    if playwright_chromium_path and Path(playwright_chromium_path).is_file():
        return BrowserChoice("Playwright's Chromium", None)
    raise BrowserMissing(f"No browser found. {HOW_TO_GET_ONE}")


def desktop_user_agent(version: str) -> str:
    """The user agent of the same browser in a window (headless ones announce themselves)."""
    system = {
        "darwin": "Macintosh; Intel Mac OS X 10_15_7",
        "win32": "Windows NT 10.0; Win64; x64",
    }.get(sys.platform, "X11; Linux x86_64")
    major = version.split(".")[0] or "130"
    return f"Mozilla/5.0 ({system}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"
