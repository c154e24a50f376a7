"""`./run package` builds what a release ships, once for this module, and each file is checked as people get it:
the extension archives hold exactly the extension, pass `web-ext lint` and load in Chromium and Firefox ESR; the
wheel installs into a fresh virtual environment, outside the repository, and registers a host that answers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from native_host.extension_ids import GECKO_ID
from native_host.messaging.host import HOST_VERSION
from native_host.messaging.install import say_hello
from native_host.messaging.protocol import HOST_NAME
from native_host.version import ENGINE_VERSION
from tests.extension.browser import CHROMIUM, isolated_env

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
VERSION = json.loads((EXTENSION / "manifest.json").read_text())["version"]
FIREFOX_DRIVER = ROOT / "tests" / "extension" / "firefox"
WEB_EXT = EXTENSION / "node_modules" / ".bin" / "web-ext"
# The extension's files as git knows them (tracked, or new and not ignored), less the development-only ones.
NOT_SHIPPED = {"extension/package.json", "extension/package-lock.json", "extension/extension-id.txt"}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "tools.package", "--dist", str(dist)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    files = {path.name: path for path in dist.iterdir()}
    return {
        "chrome": files[f"optout-chrome-{VERSION}.zip"],
        "firefox": files[f"optout-firefox-{VERSION}.xpi"],
        "wheel": files[f"optout-{VERSION}-py3-none-any.whl"],
        "sdist": files[f"optout-{VERSION}.tar.gz"],
    }


def expected_extension_files() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "extension"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {path.removeprefix("extension/") for path in listed if path not in NOT_SHIPPED and (ROOT / path).exists()}


def unpacked(archive: Path, target: Path) -> Path:
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
    return target


@pytest.mark.parametrize("kind", ["chrome", "firefox"])
def test_the_extension_archives_hold_exactly_the_extension(release: dict[str, Path], kind: str) -> None:
    with zipfile.ZipFile(release[kind]) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        for name in names - {"manifest.json"}:
            assert archive.read(name) == (EXTENSION / name).read_bytes(), name
    assert names == expected_extension_files()
    assert not any(name.startswith("node_modules/") for name in names)
    assert "welcome.html" in names and "_locales/en/messages.json" in names
    # The store refuses a manifest with a key; everything else is the repository's manifest.
    source = json.loads((EXTENSION / "manifest.json").read_text())
    assert "key" in source and "key" not in manifest
    assert manifest == {field: value for field, value in source.items() if field != "key"}
    assert manifest["browser_specific_settings"]["gecko"]["id"] == GECKO_ID


def test_the_helper_archives_carry_what_an_installed_helper_reads(release: dict[str, Path]) -> None:
    with zipfile.ZipFile(release["wheel"]) as wheel:
        in_wheel = set(wheel.namelist())
        shipped_rules = json.loads(wheel.read("native_host/rules/shipped/pinterest.json"))
    assert {
        "native_host/engine/scan_controls.js",
        "native_host/rules/pinned_keys.json",
        "native_host/rules/shipped/schema.json",
        "native_host/extension-id.txt",
        "replica/templates/settings_base.html",
    } <= in_wheel
    assert shipped_rules == json.loads((ROOT / "rules" / "pinterest.json").read_text())
    assert not [name for name in in_wheel if "node_modules" in name or name.startswith("replica/gestalt/")]
    # The sdist holds the files its own build copies into the package (setup.py), and no Node build.
    with tarfile.open(release["sdist"]) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {
        "setup.py",
        "MANIFEST.in",
        "rules/pinterest.json",
        "rules/schema.json",
        "extension/extension-id.txt",
    } <= in_sdist
    assert not [name for name in in_sdist if "node_modules" in name]


def test_web_ext_lint_passes_on_the_xpi(release: dict[str, Path], tmp_path: Path) -> None:
    assert WEB_EXT.exists(), f"run 'npm ci' in {EXTENSION} (./run tests does)"
    source = unpacked(release["firefox"], tmp_path / "xpi")
    linted = subprocess.run(
        [str(WEB_EXT), "lint", "--source-dir", str(source), "--output", "json", "--no-config-discovery"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    findings = json.loads(linted.stdout)
    assert findings["errors"] == [], findings["errors"]
    assert linted.returncode == 0, linted.stderr


def test_the_chrome_zip_loads_in_chromium_and_opens_the_welcome_page(release: dict[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from native_host.engine.browser import CHROMIUM_FLAGS

    source = unpacked(release["chrome"], tmp_path / "chrome")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_FLAGS, f"--disable-extensions-except={source}", f"--load-extension={source}"],
            env=isolated_env(tmp_path),
        )
        try:
            worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
            assert worker.url.endswith("/background/worker.js")
            extension_id = worker.url.split("/")[2]
            welcome = next((page for page in context.pages if page.url.endswith("/welcome.html")), None)
            welcome = welcome or context.wait_for_event("page", lambda page: page.url.endswith("/welcome.html"))
            assert welcome.url == f"chrome-extension://{extension_id}/welcome.html"
        finally:
            context.close()


def test_the_xpi_installs_in_firefox_esr_and_opens_the_welcome_page(release: dict[str, Path], tmp_path: Path) -> None:
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    node = shutil.which("node")
    assert firefox and node, "Firefox ESR and Node.js are needed (./run tests installs them on Debian)"
    assert (FIREFOX_DRIVER / "node_modules" / "puppeteer-core").is_dir(), f"run 'npm ci' in {FIREFOX_DRIVER}"
    env = isolated_env(tmp_path)
    driven = subprocess.run(
        [node, str(FIREFOX_DRIVER / "install-xpi.mjs"), firefox, str(release["firefox"]), env["HOME"]],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=FIREFOX_DRIVER,
        env=env,
    )
    assert driven.returncode == 0, driven.stderr[-3000:]
    result = json.loads(driven.stdout.strip().splitlines()[-1])
    assert result["id"] == GECKO_ID
    assert result["url"].startswith("moz-extension://") and result["url"].endswith("/welcome.html")
    # The page drew itself in Firefox, its words from _locales, and no helper is registered under this HOME.
    assert result["title"] == "Welcome to Optout" and result["helper"] == "Waiting for the helper"


@pytest.fixture(scope="module")
def installed_helper(release: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed by the one command the welcome page gives."""
    place = tmp_path_factory.mktemp("helper")
    venv.create(place / "venv", with_pip=True)
    python = place / "venv" / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(release["wheel"])],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=place,
        env=outside_the_repository(place),
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return place / "venv" / "bin"


def outside_the_repository(home: Path, **extra: str) -> dict[str, str]:
    """No PYTHONPATH, no OPTOUT_ settings, HOME in `home`: nothing can reach the repository's copy."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH" and not key.startswith("OPTOUT_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), **extra)
    return env


def test_the_wheel_installs_and_answers_its_version(installed_helper: Path, tmp_path: Path) -> None:
    env = outside_the_repository(tmp_path)
    where = subprocess.run(
        [str(installed_helper / "python"), "-c", "import native_host.rules.paths as p; print(p.RULES_DIR)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    rules_dir = Path(where.stdout.strip())
    assert rules_dir.is_relative_to(installed_helper.parent) and (rules_dir / "pinterest.json").is_file(), where
    version = subprocess.run(
        [str(installed_helper / "optout"), "--version"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert version.returncode == 0 and version.stdout.strip() == f"optout {ENGINE_VERSION}", (
        version.stdout + version.stderr
    )


def test_optout_install_registers_every_browser_found_with_a_host_that_answers(
    installed_helper: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    # Chromium and Firefox have run under this HOME; no browser program is on PATH, so the others are not found.
    (home / ".config" / "chromium").mkdir(parents=True)
    (home / ".config" / "chromium" / "Local State").write_text("{}")
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    (home / ".mozilla" / "firefox" / "profiles.ini").write_text("[General]\n")
    env = outside_the_repository(home, PATH=str(installed_helper))
    installed = subprocess.run(
        [str(installed_helper / "optout"), "install"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "skipped: Google Chrome, Microsoft Edge, Brave" in installed.stdout

    chromium = home / ".config" / "chromium" / "NativeMessagingHosts" / f"{HOST_NAME}.json"
    firefox = home / ".mozilla" / "native-messaging-hosts" / f"{HOST_NAME}.json"
    assert not (home / ".config" / "google-chrome").exists() and not (home / ".config" / "microsoft-edge").exists()
    chrome_id = (EXTENSION / "extension-id.txt").read_text().strip()
    chromium_manifest = json.loads(chromium.read_text())
    assert chromium_manifest["allowed_origins"] == [f"chrome-extension://{chrome_id}/"]
    firefox_manifest = json.loads(firefox.read_text())
    assert firefox_manifest["allowed_extensions"] == [GECKO_ID]
    launcher = Path(chromium_manifest["path"])
    assert launcher == Path(firefox_manifest["path"]) and launcher.is_relative_to(home)

    # Started as a browser starts it: the launcher and the caller's origin, in the session the install ran in.
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    outcome = say_hello([str(launcher), chromium_manifest["allowed_origins"][0]], cwd=launcher.parent)
    assert outcome.ok, outcome.message
    assert outcome.reply["host_version"] == HOST_VERSION
    assert outcome.reply["platforms"]["pinterest"]["rules_source"] == "shipped"
