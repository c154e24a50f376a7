"""Launching Debian's Chromium with the real extension, and the native host registered in its profile."""

from __future__ import annotations

import json
import os
import shlex
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from native_host.engine.browser import CHROMIUM_FLAGS
from native_host.engine.site_map_proxy import SiteMapProxies
from native_host.messaging.protocol import HOST_NAME
from tests.support import practice_host

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
EXTENSION_ID = (EXTENSION / "extension-id.txt").read_text().strip()
CHROMIUM = "/usr/lib/chromium/chromium"
PYTHON = ROOT / ".venv" / "bin" / "python"
ARTIFACTS = ROOT / "tests" / "artifacts"


def isolated_env(tmp: Path, **extra: str) -> dict[str, str]:
    """HOME and XDG dirs in `tmp`, so neither Chromium nor the host writes outside it."""
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPTOUT_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        OPTOUT_DATA_DIR=str(tmp / "data"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def host_launcher(tmp: Path, env: dict[str, str], site_map: dict[str, str] | None = None) -> Path:
    """A script that runs the real host with `env`'s data directory, as a browser starts it.

    With a site map it runs the test-only practice entry point, the one way a host serves a replica.
    """
    launcher = tmp / "optout-host.sh"
    exports = "".join(f"export {key}='{env[key]}'\n" for key in ("OPTOUT_DATA_DIR",) if key in env)
    host = practice_host.command(PYTHON, site_map) if site_map else [str(PYTHON), "-m", "native_host.messaging.host"]
    command = " ".join(shlex.quote(part) for part in host)
    launcher.write_text(f"#!/bin/sh\n{exports}cd '{ROOT}'\nexec {command} \"$@\"\n")
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return launcher


def register_host(profile: Path, tmp: Path, env: dict[str, str], site_map: dict[str, str] | None = None) -> Path:
    """The launcher above, named in `<profile>/NativeMessagingHosts` for the extension's Chrome id."""
    launcher = host_launcher(tmp, env, site_map)
    manifest = {
        "name": HOST_NAME,
        "description": "Optout helper (test)",
        "path": str(launcher),
        "type": "stdio",
        "allowed_origins": [f"chrome-extension://{EXTENSION_ID}/"],
    }
    hosts = profile / "NativeMessagingHosts"
    hosts.mkdir(parents=True, exist_ok=True)
    path = hosts / f"{HOST_NAME}.json"
    path.write_text(json.dumps(manifest))
    return path


def launch(
    playwright: Any, profile: Path, env: dict[str, str], extra_args: list[str] = (), extension: Path = EXTENSION
) -> Any:
    """`extension`: another build of the extension with the same key (bench/extension.py --compare)."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_FLAGS,
            *extra_args,
            f"--disable-extensions-except={extension}",
            f"--load-extension={extension}",
        ],
        env=env,
        viewport={"width": 1000, "height": 800},
    )


def language_switches(language: str) -> tuple[list[str], dict[str, str]]:
    """Chromium's arguments and environment for an interface (and chrome.i18n) in `language`, such as "de".

    Debian's headless Chromium picks the extension's messages by `--lang` (LANGUAGE is what a Linux desktop
    session sets for a headed one); its chrome.i18n.getUILanguage() still says en-US, which is why
    shared/i18n.js takes the language from the messages themselves.
    """
    return [f"--lang={language}"], {"LANGUAGE": language}


@contextmanager
def extension_on_replica(
    replica: Any,
    directory: Path,
    language: str | None = None,
    origins: tuple[str, ...] = ("https://www.pinterest.com",),
) -> Iterator[Any]:
    """The real extension and the real host in a fresh profile, with the replica standing in for `origins`.

    `language` sets the browser's interface language; None keeps the machine's (English on the test machines).
    """
    from playwright.sync_api import sync_playwright

    site_map = dict.fromkeys(origins, replica.url)
    arguments, language_env = language_switches(language) if language else ([], {})
    env = isolated_env(directory, **language_env)
    profile = directory / "profile"
    register_host(profile, directory, env, site_map)
    with SiteMapProxies(site_map) as proxies, sync_playwright() as playwright:
        context = launch(playwright, profile, env, [*proxies.browser_args(), *arguments])
        try:
            yield context
        finally:
            context.close()


# Run in the worker: from then on, every port it opens to a helper is recorded in `globalThis.helperPorts`, one
# list per port (a helper process) of the messages sent on it, as the helper receives them. The port a request
# at start-up left open is closed first.
RECORD_HELPER_PORTS = """async () => {
    while (!globalThis.closeHelper()) await new Promise((resolve) => setTimeout(resolve, 50));
    globalThis.helperPorts = [];
    const connect = chrome.runtime.connectNative.bind(chrome.runtime);
    chrome.runtime.connectNative = (name) => {
        const port = connect(name);
        const sent = [];
        globalThis.helperPorts.push(sent);
        const post = port.postMessage.bind(port);
        port.postMessage = (message) => {
            sent.push(structuredClone(message));
            post(message);
        };
        return port;
    };
}"""


# Run in the worker: true once every request it received has been answered (its marks, shared/timing.js), such
# as a rules fetch that goes on after the popup has drawn what it knows.
WORKER_IDLE = """() => {
    const count = (end) => performance.getEntriesByType("mark")
        .filter((entry) => entry.name.startsWith("optout:worker:") && entry.name.endsWith(end)).length;
    return count(":received") <= count(":answered");
}"""


def service_worker(context: Any) -> Any:
    return context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")


def open_popup(context: Any) -> Any:
    """popup.html in a tab sized like the toolbar popup."""
    page = context.new_page()
    page.set_viewport_size({"width": 380, "height": 600})
    page.goto(f"chrome-extension://{EXTENSION_ID}/popup.html")
    return page


def ready_popup(context: Any) -> Any:
    """The popup, once it has drawn what it knows (its `main` says `data-ready`)."""
    popup = open_popup(context)
    popup.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'", timeout=30_000)
    return popup


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    """The first truthy value of `predicate`, polled for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(
    context: Any,
    email: str = "artist@example.com",
    password: str = "correct horse",
    origin: str = "https://www.pinterest.com",
) -> str:
    """Log in through the replica's own login form in this browser, on `origin`; the value of the session cookie."""
    page = context.new_page()
    page.goto(f"{origin}/login/")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.press("#password", "Enter")
    page.close()
    cookies = context.cookies(origin)
    return next(cookie["value"] for cookie in cookies if cookie["name"] == "_pinterest_sess")
