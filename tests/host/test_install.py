import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from native_host.extension_ids import GECKO_ID
from native_host.messaging.install import (
    BROWSERS,
    PROGRAMS,
    SYSTEMS,
    browser_found,
    diagnose,
    found_browsers,
    install,
    launcher_path,
    select_browsers,
    uninstall,
)
from native_host.paths import callers_path, host_install_dir

from .conftest import ROOT, TEST_EXTENSION_ID, host_env

NAME = "com.optout.host.json"
EXPECTED_FOLDERS = {
    "linux": {
        "chrome": ".config/google-chrome/NativeMessagingHosts",
        "chromium": ".config/chromium/NativeMessagingHosts",
        "edge": ".config/microsoft-edge/NativeMessagingHosts",
        "brave": ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        "firefox": ".mozilla/native-messaging-hosts",
    },
    "darwin": {
        "chrome": "Library/Application Support/Google/Chrome/NativeMessagingHosts",
        "chromium": "Library/Application Support/Chromium/NativeMessagingHosts",
        "edge": "Library/Application Support/Microsoft Edge/NativeMessagingHosts",
        "brave": "Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        "firefox": "Library/Application Support/Mozilla/NativeMessagingHosts",
    },
}
EXPECTED_REGISTRY = {
    "chrome": r"Software\Google\Chrome\NativeMessagingHosts\com.optout.host",
    "chromium": r"Software\Chromium\NativeMessagingHosts\com.optout.host",
    "edge": r"Software\Microsoft\Edge\NativeMessagingHosts\com.optout.host",
    "brave": r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\com.optout.host",
    "firefox": r"Software\Mozilla\NativeMessagingHosts\com.optout.host",
}


@pytest.mark.parametrize("system", SYSTEMS)
def test_install_writes_each_browsers_manifest_and_a_launcher(tmp_path: Path, system: str) -> None:
    home, base = tmp_path / "home", tmp_path / "data"
    locations = install(
        select_browsers(None),
        TEST_EXTENSION_ID,
        system=system,
        home=home,
        base=base,
        python="/opt/py/bin/python3",
        data_dir_setting=str(base),
        write_registry=False,
    )
    launcher = launcher_path(system, host_install_dir(base))
    assert [location.browser.key for location in locations] == list(BROWSERS)
    for location in locations:
        key = location.browser.key
        if system == "win32":
            assert location.manifest.parent.parent.parent == host_install_dir(base)
            assert location.registry_key == EXPECTED_REGISTRY[key]
        else:
            assert location.manifest == home / EXPECTED_FOLDERS[system][key] / NAME
            assert location.registry_key is None
        document = json.loads(location.manifest.read_text())
        assert document["name"] == "com.optout.host" and document["type"] == "stdio"
        assert document["path"] == str(launcher)
        if key == "firefox":
            assert document["allowed_extensions"] == [GECKO_ID] and "allowed_origins" not in document
        else:
            assert document["allowed_origins"] == [f"chrome-extension://{TEST_EXTENSION_ID}/"]
            assert "allowed_extensions" not in document
    text = launcher.read_bytes().decode()
    if system == "win32":
        assert launcher.name.endswith(".bat")
        assert '"/opt/py/bin/python3" -m native_host.messaging.host %*' in text and "\r\n" in text
        assert f"OPTOUT_DATA_DIR={base}" in text
    else:
        assert text.startswith("#!/bin/sh\n")
        assert 'exec /opt/py/bin/python3 -m native_host.messaging.host "$@"' in text
        assert stat.S_IMODE(launcher.stat().st_mode) & 0o100
    assert json.loads(callers_path(base).read_text()) == {"chrome_ids": [TEST_EXTENSION_ID], "gecko_ids": [GECKO_ID]}


def test_uninstall_removes_manifests_then_the_launcher_once_no_browser_is_left(tmp_path: Path) -> None:
    home, base = tmp_path / "home", tmp_path / "data"
    install(select_browsers(["chrome", "firefox"]), TEST_EXTENSION_ID, system="linux", home=home, base=base)
    launcher = launcher_path("linux", host_install_dir(base))
    removed = uninstall(select_browsers(["chrome"]), system="linux", home=home, base=base)
    assert removed == [home / EXPECTED_FOLDERS["linux"]["chrome"] / NAME]
    assert launcher.exists()
    removed = uninstall(select_browsers(None), system="linux", home=home, base=base)
    assert home / EXPECTED_FOLDERS["linux"]["firefox"] / NAME in removed and launcher in removed
    assert not launcher.exists() and not callers_path(base).exists()


def test_installs_for_two_ids_serve_both(tmp_path: Path) -> None:
    other = "a" * 32
    for extension_id in (TEST_EXTENSION_ID, other):
        install(select_browsers(["chromium"]), extension_id, system="linux", home=tmp_path, base=tmp_path)
    assert json.loads(callers_path(tmp_path).read_text())["chrome_ids"] == sorted([TEST_EXTENSION_ID, other])


def test_doctor_starts_each_installed_host_and_says_hello(tmp_path: Path) -> None:
    home, base = tmp_path / "home", tmp_path / "data"
    install(
        select_browsers(["chromium", "firefox", "edge"]),
        TEST_EXTENSION_ID,
        system="linux",
        home=home,
        base=base,
        data_dir_setting=str(base),
    )
    broken = home / EXPECTED_FOLDERS["linux"]["edge"] / NAME
    broken.write_text(json.dumps({**json.loads(broken.read_text()), "path": str(tmp_path / "missing")}))
    findings = {
        finding.browser.key: finding
        for finding in diagnose(select_browsers(None), system="linux", home=home, base=base, found=lambda _: True)
    }
    assert findings["chromium"].ok and findings["chromium"].hello["protocol"] == 1
    assert findings["firefox"].ok
    assert findings["edge"].installed and not findings["edge"].ok and "missing" in findings["edge"].message
    assert not findings["chrome"].installed and not findings["brave"].installed


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "native_host", *args], capture_output=True, text=True, timeout=60, cwd=ROOT, env=env
    )


def test_install_doctor_and_uninstall_commands(tmp_path: Path) -> None:
    env = host_env(tmp_path)
    bad = run_cli(env, "install", "--extension-id", "not-an-id")
    assert bad.returncode == 2 and "not an extension id" in bad.stderr
    installed = run_cli(env, "install", "--browser", "chromium", "--extension-id", TEST_EXTENSION_ID)
    assert installed.returncode == 0, installed.stderr
    manifest = Path(env["HOME"]) / EXPECTED_FOLDERS["linux"]["chromium"] / NAME
    assert str(manifest) in installed.stdout
    launcher = Path(json.loads(manifest.read_text())["path"])
    assert f"OPTOUT_DATA_DIR={env['OPTOUT_DATA_DIR']}" in launcher.read_text()

    doctor = run_cli(env, "doctor", "--json")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    findings = {finding["browser"]: finding for finding in json.loads(doctor.stdout)}
    assert findings["chromium"]["ok"] and findings["chromium"]["hello"]["host_version"]
    assert findings["chrome"]["installed"] is False

    assert run_cli(env, "uninstall").returncode == 0
    assert not manifest.exists()
    after = run_cli(env, "doctor")
    assert after.returncode == 5 and "not installed for any browser" in after.stdout


def test_install_takes_a_firefox_add_on_id(tmp_path: Path) -> None:
    env = host_env(tmp_path)
    gecko_id = "optout-test@example.org"
    installed = run_cli(env, "install", "--browser", "firefox", "--extension-id", gecko_id)
    assert installed.returncode == 0, installed.stderr
    manifest = Path(env["HOME"]) / EXPECTED_FOLDERS["linux"]["firefox"] / NAME
    assert json.loads(manifest.read_text())["allowed_extensions"] == [gecko_id]
    assert gecko_id in json.loads(callers_path(Path(env["OPTOUT_DATA_DIR"])).read_text())["gecko_ids"]

    wrong_browser = run_cli(env, "install", "--browser", "chrome", "--extension-id", gecko_id)
    assert wrong_browser.returncode == 2 and "--browser firefox" in wrong_browser.stderr
    assert "Traceback" not in wrong_browser.stderr


def test_browser_found_looks_for_the_program_not_the_manifest_folder(tmp_path: Path) -> None:
    assert set(PROGRAMS) == set(BROWSERS)  # every browser optout install knows can be looked for
    firefox, chrome = BROWSERS["firefox"], BROWSERS["chrome"]
    nothing_on_path = lambda _command: None  # noqa: E731
    install(select_browsers(None), TEST_EXTENSION_ID, system="linux", home=tmp_path, base=tmp_path / "data")
    assert not browser_found(firefox, system="linux", home=tmp_path, which=nothing_on_path)
    assert browser_found(firefox, system="linux", home=tmp_path, which={"firefox-esr": "/usr/bin/firefox-esr"}.get)
    (tmp_path / ".mozilla" / "firefox").mkdir(parents=True)
    (tmp_path / ".mozilla" / "firefox" / "profiles.ini").write_text("[General]\n")
    assert browser_found(firefox, system="linux", home=tmp_path, which=nothing_on_path)
    (tmp_path / "Applications" / "Google Chrome.app").mkdir(parents=True)
    assert browser_found(chrome, system="darwin", home=tmp_path)
    program_files = tmp_path / "Program Files"
    assert not browser_found(chrome, system="win32", home=tmp_path, environ={"ProgramFiles": str(program_files)})
    (program_files / "Google" / "Chrome" / "Application").mkdir(parents=True)
    (program_files / "Google" / "Chrome" / "Application" / "chrome.exe").write_bytes(b"")
    assert browser_found(chrome, system="win32", home=tmp_path, environ={"ProgramFiles": str(program_files)})


def test_found_browsers_splits_every_known_browser_by_whether_it_is_there(tmp_path: Path) -> None:
    (tmp_path / ".config" / "chromium").mkdir(parents=True)
    (tmp_path / ".config" / "chromium" / "Local State").write_text("{}")
    found, missing = found_browsers(system="linux", home=tmp_path, which={"firefox": "/usr/bin/firefox"}.get)
    assert [browser.key for browser in found] == ["chromium", "firefox"]
    assert [browser.key for browser in missing] == ["chrome", "edge", "brave"]


def test_plain_install_registers_every_browser_found_and_names_the_others(tmp_path: Path) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = host_env(tmp_path, PATH=str(empty_bin))  # found only through the profiles made below
    home = Path(env["HOME"])
    (home / ".config" / "chromium").mkdir(parents=True)
    (home / ".config" / "chromium" / "Local State").write_text("{}")
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    (home / ".mozilla" / "firefox" / "profiles.ini").write_text("[General]\n")

    installed = run_cli(env, "install")
    assert installed.returncode == 0, installed.stderr
    assert "Not found on this computer, skipped: Google Chrome, Microsoft Edge, Brave." in installed.stdout
    written = {key: home / folder / NAME for key, folder in EXPECTED_FOLDERS["linux"].items()}
    assert {key for key, path in written.items() if path.exists()} == {"chromium", "firefox"}
    assert json.loads(written["firefox"].read_text())["allowed_extensions"] == [GECKO_ID]
    chrome_id = (ROOT / "extension" / "extension-id.txt").read_text().strip()
    assert json.loads(written["chromium"].read_text())["allowed_origins"] == [f"chrome-extension://{chrome_id}/"]


def test_plain_install_with_no_browser_found_says_so(tmp_path: Path) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = host_env(tmp_path, PATH=str(empty_bin))
    nothing = run_cli(env, "install")
    assert nothing.returncode == 5 and "No browser Optout works with was found" in nothing.stderr
    assert not list(Path(env["HOME"]).rglob(NAME))


def test_doctor_never_calls_a_browser_that_is_not_installed_ok(tmp_path: Path) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = host_env(tmp_path, PATH=str(empty_bin))  # no browser program anywhere on PATH
    assert run_cli(env, "install", *(f"--browser={key}" for key in BROWSERS)).returncode == 0
    home = Path(env["HOME"])
    (home / ".config" / "chromium" / "Local State").write_text("{}")  # Chromium has run under this HOME

    doctor = run_cli(env, "doctor", "--json")
    findings = {finding["browser"]: finding for finding in json.loads(doctor.stdout)}
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert findings["chromium"]["ok"] and findings["chromium"]["browser_found"]
    for key in ("chrome", "edge", "brave", "firefox"):
        assert findings[key]["browser_found"] is False and findings[key]["ok"] is False, findings[key]
        assert findings[key]["installed"] is True and "not installed on this computer" in findings[key]["message"]

    text = run_cli(env, "doctor").stdout
    firefox_line = next(line for line in text.splitlines() if "Firefox:" in line)
    assert firefox_line.startswith("--") and "ok" not in firefox_line
    assert "Firefox is not installed on this computer" in text

    (home / ".config" / "chromium" / "Local State").unlink()
    nowhere = run_cli(env, "doctor")
    assert nowhere.returncode == 5 and "not installed for any browser on this computer" in nowhere.stdout


def test_history_command_lists_runs(tmp_path: Path) -> None:
    from native_host.engine.report import RunReport, SettingResult
    from native_host.history.store import Store
    from native_host.statuses import RunStatus, SettingStatus

    env = host_env(tmp_path)
    store = Store(Path(env["OPTOUT_DATA_DIR"]) / "history.sqlite3")
    for n in range(3):
        run_id = store.start_run(
            platform="pinterest",
            mode="apply",
            settings=[],
            rules_version="1",
            rules_source="shipped",
            engine_version="1",
        )
        result = SettingResult("a", "AI training on your Pins", SettingStatus.CHANGED, False, True, False, True)
        store.finish_run(run_id, RunReport("apply", "pinterest", RunStatus.DONE, [result], message=f"run {n}"))
    text = run_cli(env, "history", "--limit", "2")
    assert text.returncode == 0
    assert "run 2" in text.stdout and "run 1" in text.stdout and "run 0" not in text.stdout
    assert "AI training on your Pins (on -> off, checked after a reload)" in text.stdout
    assert "(2 of 3 runs" in text.stdout
    exported = json.loads(run_cli(env, "history", "--json").stdout)
    assert exported["total"] == 3 and [run["message"] for run in exported["runs"]] == ["run 2", "run 1", "run 0"]
    assert os.path.exists(env["OPTOUT_DATA_DIR"])
