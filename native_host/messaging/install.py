"""Installing the native messaging host: a launcher that runs this Python, and a host manifest per browser.

Linux and macOS browsers find the manifest in a per-browser folder under the home directory; Windows browsers
find it through a registry key whose default value is the manifest's path. Every location takes `system` and
`home` as arguments, so tests can write each browser's files for each system into temporary folders.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any

from native_host.extension_ids import GECKO_ID
from native_host.messaging.framing import StreamClosed, decode_frames, encode_frame
from native_host.messaging.protocol import CHROME_ORIGIN_PREFIX, HOST_NAME, AllowedCallers
from native_host.paths import DATA_DIR_ENV, callers_path, host_install_dir

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
SYSTEMS = ("linux", "darwin", "win32")
HELLO_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Browser:
    key: str
    name: str
    linux_dir: str  # relative to the home directory
    mac_dir: str  # relative to ~/Library/Application Support
    windows_key: str  # relative to HKEY_CURRENT_USER
    firefox: bool = False


BROWSERS: dict[str, Browser] = {
    browser.key: browser
    for browser in (
        Browser("chrome", "Google Chrome", ".config/google-chrome", "Google/Chrome", r"Software\Google\Chrome"),
        Browser("chromium", "Chromium", ".config/chromium", "Chromium", r"Software\Chromium"),
        Browser("edge", "Microsoft Edge", ".config/microsoft-edge", "Microsoft Edge", r"Software\Microsoft\Edge"),
        Browser(
            "brave",
            "Brave",
            ".config/BraveSoftware/Brave-Browser",
            "BraveSoftware/Brave-Browser",
            r"Software\BraveSoftware\Brave-Browser",
        ),
        Browser("firefox", "Firefox", ".mozilla", "Mozilla", r"Software\Mozilla", firefox=True),
    )
}


@dataclass(frozen=True)
class Program:
    """Where a browser's own program lives, to tell whether it is installed at all."""

    linux_commands: tuple[str, ...]  # looked up on PATH
    profile_marker: str  # relative to the home directory on Linux: present once the browser has run
    mac_app: str  # in /Applications or ~/Applications
    windows_exe: str  # relative to Program Files, Program Files (x86) or the user's local app data


PROGRAMS: dict[str, Program] = {
    "chrome": Program(
        ("google-chrome", "google-chrome-stable"),
        ".config/google-chrome/Local State",
        "Google Chrome.app",
        r"Google\Chrome\Application\chrome.exe",
    ),
    "chromium": Program(
        ("chromium", "chromium-browser"),
        ".config/chromium/Local State",
        "Chromium.app",
        r"Chromium\Application\chrome.exe",
    ),
    "edge": Program(
        ("microsoft-edge", "microsoft-edge-stable"),
        ".config/microsoft-edge/Local State",
        "Microsoft Edge.app",
        r"Microsoft\Edge\Application\msedge.exe",
    ),
    "brave": Program(
        ("brave-browser", "brave"),
        ".config/BraveSoftware/Brave-Browser/Local State",
        "Brave Browser.app",
        r"BraveSoftware\Brave-Browser\Application\brave.exe",
    ),
    "firefox": Program(
        ("firefox", "firefox-esr"), ".mozilla/firefox/profiles.ini", "Firefox.app", r"Mozilla Firefox\firefox.exe"
    ),
}


def browser_found(
    browser: Browser,
    *,
    system: str,
    home: Path,
    environ: Mapping[str, str] = os.environ,
    which: Callable[[str], str | None] = shutil.which,
) -> bool:
    """Whether `browser` itself is on this computer: its program, or (Linux) a profile it made when it ran.

    The folders `install` writes manifests into do not count: they exist whether or not the browser does.
    """
    program = PROGRAMS[browser.key]
    if system == "linux":
        return any(which(command) for command in program.linux_commands) or (home / program.profile_marker).is_file()
    if system == "darwin":
        return any((folder / program.mac_app).is_dir() for folder in (Path("/Applications"), home / "Applications"))
    if system == "win32":
        roots = [environ.get(name) for name in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")]
        exe = PureWindowsPath(program.windows_exe).parts
        return any(Path(root, *exe).is_file() for root in roots if root)
    return False


def found_browsers(
    *,
    system: str,
    home: Path,
    environ: Mapping[str, str] = os.environ,
    which: Callable[[str], str | None] = shutil.which,
) -> tuple[list[Browser], list[Browser]]:
    """(found, not found): every browser Optout knows, split by `browser_found`, in BROWSERS order."""
    found, missing = [], []
    for browser in BROWSERS.values():
        is_there = browser_found(browser, system=system, home=home, environ=environ, which=which)
        (found if is_there else missing).append(browser)
    return found, missing


class InstallError(Exception):
    """Installing cannot go on; the message says what to do."""


@dataclass(frozen=True)
class ManifestLocation:
    browser: Browser
    manifest: Path
    registry_key: str | None  # Windows only: HKEY_CURRENT_USER\<this>, default value = manifest path


def current_system() -> str:
    if sys.platform.startswith("linux"):
        return "linux"
    return sys.platform


def manifest_location(browser: Browser, system: str, home: Path, install_dir: Path) -> ManifestLocation:
    """Where `browser` looks for the host's manifest on `system`."""
    filename = f"{HOST_NAME}.json"
    if system == "linux":
        folder = "native-messaging-hosts" if browser.firefox else "NativeMessagingHosts"
        return ManifestLocation(browser, home / browser.linux_dir / folder / filename, None)
    if system == "darwin":
        folder = "NativeMessagingHosts"
        return ManifestLocation(
            browser, home / "Library" / "Application Support" / browser.mac_dir / folder / filename, None
        )
    if system == "win32":
        key = f"{browser.windows_key}\\NativeMessagingHosts\\{HOST_NAME}"
        return ManifestLocation(browser, install_dir / "manifests" / browser.key / filename, key)
    raise InstallError(f"Optout's host does not know where browsers look on '{system}'.")


def launcher_path(system: str, install_dir: Path) -> Path:
    return install_dir / ("optout-host.bat" if system == "win32" else "optout-host")


def launcher_text(system: str, python: str, package_root: Path, data_dir: str | None) -> str:
    """A script that starts `python -m native_host.messaging.host` with the browser's arguments."""
    if system == "win32":
        lines = ["@echo off", f'set "PYTHONPATH={package_root};%PYTHONPATH%"']
        if data_dir:
            lines.append(f'set "{DATA_DIR_ENV}={data_dir}"')
        lines.append(f'"{python}" -m native_host.messaging.host %*')
        return "\r\n".join(lines) + "\r\n"
    lines = [
        "#!/bin/sh",
        "# Optout's native messaging host, started by the browser.",
        f'PYTHONPATH={shlex.quote(str(package_root))}${{PYTHONPATH:+:"$PYTHONPATH"}}',
        "export PYTHONPATH",
    ]
    if data_dir:
        lines += [f"{DATA_DIR_ENV}={shlex.quote(data_dir)}", f"export {DATA_DIR_ENV}"]
    lines.append(f'exec {shlex.quote(python)} -m native_host.messaging.host "$@"')
    return "\n".join(lines) + "\n"


def manifest_document(browser: Browser, launcher: Path, chrome_ids: list[str], gecko_ids: list[str]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": HOST_NAME,
        "description": "Optout: opts your own accounts out of AI training and ad personalization",
        "path": str(launcher),
        "type": "stdio",
    }
    if browser.firefox:
        document["allowed_extensions"] = list(gecko_ids)
    else:
        document["allowed_origins"] = [f"{CHROME_ORIGIN_PREFIX}{extension_id}/" for extension_id in chrome_ids]
    return document


def select_browsers(names: list[str] | None) -> list[Browser]:
    if not names:
        return list(BROWSERS.values())
    unknown = [name for name in names if name not in BROWSERS]
    if unknown:
        raise InstallError(f"Unknown browser {', '.join(unknown)}. Browsers: {', '.join(BROWSERS)}.")
    return [BROWSERS[name] for name in dict.fromkeys(names)]


def install(
    browsers: list[Browser],
    extension_id: str | None,
    *,
    gecko_id: str = GECKO_ID,
    system: str,
    home: Path,
    base: Path,
    python: str = sys.executable,
    data_dir_setting: str | None = None,
    write_registry: bool | None = None,
) -> list[ManifestLocation]:
    """Write the launcher, the list of served extensions and each browser's manifest; returns where they went.

    `extension_id` is the Chrome-family id (allowed_origins), `gecko_id` the Firefox add-on id (allowed_extensions).

    `data_dir_setting` is baked into the launcher (the browser starts the host without the user's shell
    environment). The registry is written only on Windows itself.
    """
    install_dir = host_install_dir(base)
    install_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    launcher = launcher_path(system, install_dir)
    launcher.write_text(launcher_text(system, python, PACKAGE_ROOT, data_dir_setting), encoding="utf-8", newline="")
    if system != "win32":
        launcher.chmod(0o700)
    callers = _merged_callers(callers_path(base), extension_id, gecko_id)
    callers_path(base).write_text(json.dumps(callers.to_json(), indent=2) + "\n", encoding="utf-8")
    locations = []
    for browser in browsers:
        location = manifest_location(browser, system, home, install_dir)
        document = manifest_document(browser, launcher, [extension_id] if extension_id else [], [gecko_id])
        location.manifest.parent.mkdir(parents=True, exist_ok=True)
        location.manifest.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        locations.append(location)
    if system == "win32" and (write_registry if write_registry is not None else sys.platform == "win32"):
        _write_registry(locations)
    return locations


def _merged_callers(path: Path, extension_id: str | None, gecko_id: str) -> AllowedCallers:
    try:
        known = AllowedCallers.from_json(json.loads(path.read_bytes()))
    except (OSError, ValueError):
        known = AllowedCallers(frozenset(), frozenset())
    chrome_ids = known.chrome_ids | ({extension_id} if extension_id else set())
    return AllowedCallers(chrome_ids, known.gecko_ids | {gecko_id})


def uninstall(
    browsers: list[Browser], *, system: str, home: Path, base: Path, write_registry: bool | None = None
) -> list[Path]:
    """Remove each browser's manifest (and registry key), then the launcher when no browser is left; returns
    the files removed."""
    install_dir = host_install_dir(base)
    removed = []
    locations = [manifest_location(browser, system, home, install_dir) for browser in browsers]
    for location in locations:
        if location.manifest.exists():
            location.manifest.unlink()
            removed.append(location.manifest)
    if system == "win32" and (write_registry if write_registry is not None else sys.platform == "win32"):
        _delete_registry(locations)
    remaining = [
        location
        for browser in BROWSERS.values()
        if (location := manifest_location(browser, system, home, install_dir)).manifest.exists()
    ]
    if not remaining:
        for path in (launcher_path(system, install_dir), callers_path(base)):
            if path.exists():
                path.unlink()
                removed.append(path)
    return removed


def _write_registry(locations: list[ManifestLocation]) -> None:
    import winreg

    for location in locations:
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, location.registry_key) as key:
            winreg.SetValueEx(key, "", 0, winreg.REG_SZ, str(location.manifest))


def _delete_registry(locations: list[ManifestLocation]) -> None:
    import winreg

    for location in locations:
        try:
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, location.registry_key)
        except FileNotFoundError:
            pass


# ---- doctor --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diagnosis:
    browser: Browser
    manifest: Path
    installed: bool
    ok: bool
    message: str
    host_path: str | None = None
    callers: tuple[str, ...] = ()
    hello: dict[str, Any] | None = None
    seconds: float | None = None
    browser_found: bool = True


def diagnose(
    browsers: list[Browser],
    *,
    system: str,
    home: Path,
    base: Path,
    found: Callable[[Browser], bool] | None = None,
) -> list[Diagnosis]:
    """For each browser: is the browser there, is a manifest installed, is it ours and well formed, and does its
    host answer hello? `found` says whether a browser is installed (default: `browser_found`)."""
    install_dir = host_install_dir(base)
    is_found = found or (lambda browser: browser_found(browser, system=system, home=home))
    return [
        _diagnose_one(manifest_location(browser, system, home, install_dir), is_found(browser)) for browser in browsers
    ]


def _diagnose_one(location: ManifestLocation, found: bool) -> Diagnosis:
    browser, path = location.browser, location.manifest
    if not found:
        registered = " (the helper is registered for it anyway)" if path.exists() else ""
        message = f"{browser.name} is not installed on this computer{registered}"
        return Diagnosis(browser, path, path.exists(), False, message, browser_found=False)
    if not path.exists():
        return Diagnosis(browser, path, False, False, "not installed")
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        return Diagnosis(browser, path, True, False, f"the manifest cannot be read: {error}")
    problem = _manifest_problem(browser, document)
    if problem:
        return Diagnosis(browser, path, True, False, problem)
    callers = tuple(document["allowed_extensions"] if browser.firefox else document["allowed_origins"])
    host = Path(document["path"])
    if not host.is_file() or not os.access(host, os.X_OK):
        return Diagnosis(
            browser, path, True, False, f"the host {host} is missing or not executable", str(host), callers
        )
    args = [str(path), callers[0]] if browser.firefox else [callers[0]]
    outcome = say_hello([str(host), *args], cwd=host.parent)
    return Diagnosis(
        browser, path, True, outcome.ok, outcome.message, str(host), callers, outcome.reply, outcome.seconds
    )


def _manifest_problem(browser: Browser, document: Any) -> str | None:
    if not isinstance(document, dict):
        return "the manifest is not a JSON object"
    if document.get("name") != HOST_NAME:
        return f"the manifest names '{document.get('name')}', not {HOST_NAME}"
    if document.get("type") != "stdio":
        return "the manifest's type is not stdio"
    if not isinstance(document.get("path"), str) or not Path(document["path"]).is_absolute():
        return "the manifest's path is not absolute"
    field = "allowed_extensions" if browser.firefox else "allowed_origins"
    callers = document.get(field)
    if not isinstance(callers, list) or not callers or not all(isinstance(item, str) for item in callers):
        return f"the manifest has no {field}"
    return None


@dataclass(frozen=True)
class HelloOutcome:
    ok: bool
    message: str
    reply: dict[str, Any] | None
    seconds: float


def say_hello(command: list[str], cwd: Path | None = None, timeout: float = HELLO_TIMEOUT_SECONDS) -> HelloOutcome:
    """Start a host as a browser would, send `hello` over real framing, and read its one reply."""
    request = encode_frame({"id": "doctor", "type": "hello"})
    started = time.monotonic()
    try:
        completed = subprocess.run(command, input=request, capture_output=True, timeout=timeout, cwd=cwd, check=False)
    except subprocess.TimeoutExpired:
        return HelloOutcome(False, f"the host did not answer within {timeout:.0f} s", None, timeout)
    except OSError as error:
        return HelloOutcome(False, f"the host cannot start: {error.strerror}", None, 0.0)
    seconds = time.monotonic() - started
    try:
        replies = decode_frames(completed.stdout)
    except (ValueError, StreamClosed) as error:
        return HelloOutcome(False, f"the host wrote something that is not a frame: {error}", None, seconds)
    if len(replies) != 1 or not isinstance(replies[0], dict):
        stderr = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f": {stderr[-1]}" if stderr else ""
        return HelloOutcome(False, f"the host sent {len(replies)} replies to one hello{detail}", None, seconds)
    reply = replies[0]
    if reply.get("event") != "result":
        error = reply.get("error") or {}
        return HelloOutcome(
            False, f"the host refused hello: {error.get('name')}: {error.get('message')}", reply, seconds
        )
    data = reply.get("data") or {}
    return HelloOutcome(
        True, f"answers hello (host {data.get('host_version')}, protocol {data.get('protocol')})", data, seconds
    )
