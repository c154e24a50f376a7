"""`optout login`, the saved login `check` and `apply` use, and `optout logout`, against the replica's login form."""

from __future__ import annotations

import base64
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from native_host.cli.session_vault import key_file_path, load_login, session_path
from native_host.exit_codes import ExitCode
from replica import ReplicaConfig, serve
from replica.store import chrome_cookies
from tests.engine.file_keyring import BACKEND, FILE_ENV

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
LOGIN_BY_FORM = Path(__file__).with_name("login_by_form.py")
FAIL_BACKEND = "keyring.backends.fail.Keyring"


@pytest.fixture()
def home(tmp_path: Path, quiet_home: Path) -> dict[str, str]:
    """The environment of one person's computer: their data folder, and a keyring that really keeps keys."""
    env = os.environ.copy()
    env.update(
        OPTOUT_DATA_DIR=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND=BACKEND,
        PYTHONPATH=str(REPO),
        **{FILE_ENV: str(tmp_path / "keyring.json")},
    )
    return env


def optout(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "native_host", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def log_in(env: dict[str, str], replica, *args: str, form: str = "email") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(LOGIN_BY_FORM), "--form", form, *site_map(replica), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def site_map(replica) -> list[str]:
    return ["--site-map", f"https://www.pinterest.com={replica.url}"]


def data_dir(env: dict[str, str]) -> Path:
    return Path(env["OPTOUT_DATA_DIR"])


def saved_session_value(env: dict[str, str]) -> str:
    """The replica's session cookie inside the saved login, opened with the same key the command uses."""
    saved_env = {name: os.environ.get(name) for name in ("PYTHON_KEYRING_BACKEND", FILE_ENV)}
    os.environ.update({name: env[name] for name in saved_env})
    import keyring.core

    keyring.core.init_backend()
    try:
        saved = load_login("pinterest", data_dir(env))
    finally:
        for name, value in saved_env.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
        keyring.core.init_backend()
    assert saved is not None and saved.practice
    return next(cookie["value"] for cookie in saved.cookies if cookie["name"] == "_pinterest_sess")


@pytest.mark.parametrize("keyring_backend", [BACKEND, FAIL_BACKEND], ids=["keyring", "key-file"])
def test_login_through_the_form_then_check_and_apply_use_it_and_logout_removes_it(home, keyring_backend):
    home["PYTHON_KEYRING_BACKEND"] = keyring_backend
    with serve(ReplicaConfig()) as replica:
        logged_in = log_in(home, replica)
        assert logged_in.returncode == ExitCode.ALL_DONE, logged_in.stderr
        assert "Logged in to Pinterest (practice site)" in logged_in.stdout

        stored = session_path("pinterest", data_dir(home))
        key_file = key_file_path("pinterest", data_dir(home))
        keyring_file = Path(home[FILE_ENV])
        if keyring_backend == BACKEND:
            assert not key_file.exists()
            entries = json.loads(keyring_file.read_text())
            assert list(entries) == ["optout/pinterest session key"]
            assert len(base64.b64decode(entries["optout/pinterest session key"])) == 32
        else:
            assert not keyring_file.exists()
            assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600

        session = saved_session_value(home)
        replica.store.state(session)  # a session the replica knows: the one the form logged in
        raw = stored.read_bytes()
        secrets = [c["value"] for c in chrome_cookies(replica.store.find(session)) if len(c["value"]) >= 8]
        assert session in secrets and len(secrets) >= 3
        for secret in secrets:
            assert secret.encode() not in raw and base64.b64encode(secret.encode()) not in raw

        checked = optout(home, "check", "--json", "--quiet", *site_map(replica))
        assert checked.returncode == ExitCode.ALL_DONE, checked.stderr
        assert {result["status"] for result in json.loads(checked.stdout)["results"]} == {"would_change"}
        applied = optout(home, "apply", "--quiet", *site_map(replica))
        assert applied.returncode == ExitCode.ALL_DONE, applied.stderr
        assert len(replica.store.writes(session)) == 8  # the changes landed on the account that logged in

        logged_out = optout(home, "logout")
        assert logged_out.returncode == ExitCode.ALL_DONE and "Removed the saved login" in logged_out.stdout
        assert not stored.exists() and not key_file.exists()
        if keyring_backend == BACKEND:
            assert json.loads(keyring_file.read_text()) == {}

        after = optout(home, "check", "--quiet", *site_map(replica))
        assert after.returncode == ExitCode.LOGIN_REQUIRED
        assert "optout login" in after.stderr and "Traceback" not in after.stderr


def test_a_login_on_a_country_domain_keeps_its_jar_and_runs_go_there(home):
    german = "https://www.pinterest.de"
    with serve(ReplicaConfig(domain="www.pinterest.de")) as replica:
        de_map = ["--site-map", f"{german}={replica.url}"]
        logged_in = log_in(home, replica, *de_map, "--origin", german)
        assert logged_in.returncode == ExitCode.ALL_DONE, logged_in.stderr
        assert {host for host, _, _ in replica.store.received()} == {"www.pinterest.de"}
        session = saved_session_value(home)
        checked = optout(home, "check", "--json", "--quiet", *site_map(replica), *de_map)
        assert checked.returncode == ExitCode.ALL_DONE, checked.stderr
        report = json.loads(checked.stdout)
        assert report["origin"] == german  # read from the saved login's jar
        assert all(result["page"].startswith(f"{german}/") for result in report["results"])
        replica.store.state(session)
    refused = optout(home, "login", "--origin", "https://www.pinterest.example", *de_map)
    assert refused.returncode == ExitCode.USAGE and "not one of Pinterest's sites" in refused.stderr


def test_a_login_that_never_finishes_times_out_with_a_sentence_and_saves_nothing(home):
    with serve(ReplicaConfig()) as replica:
        result = log_in(home, replica, "--wait", "2", form="none")
    assert result.returncode == ExitCode.LOGIN_REQUIRED
    assert "did not finish logging in to Pinterest within 2 seconds" in result.stderr
    assert "Traceback" not in result.stderr
    assert not session_path("pinterest", data_dir(home)).exists()


def test_a_page_without_a_password_field_is_not_taken_for_a_login(home):
    """Off the login page with no password form, yet the settings still send this session to log in."""
    with serve(ReplicaConfig()) as replica:
        result = log_in(home, replica, "--wait", "4", form="elsewhere")
    assert result.returncode == ExitCode.LOGIN_REQUIRED, result.stdout
    assert "did not finish logging in" in result.stderr
    assert not session_path("pinterest", data_dir(home)).exists()


def test_an_expired_account_whose_login_never_sticks_is_not_saved(home):
    with serve(ReplicaConfig(faults={"logged_out"})) as replica:
        result = log_in(home, replica, "--wait", "4")
    assert result.returncode == ExitCode.LOGIN_REQUIRED
    assert not session_path("pinterest", data_dir(home)).exists()


def test_closing_the_window_ends_the_login_with_a_sentence(home):
    with serve(ReplicaConfig()) as replica:
        result = log_in(home, replica, "--wait", "60", form="close")
    assert result.returncode == ExitCode.LOGIN_REQUIRED
    assert "The login window was closed before you logged in" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_practice_login_is_never_sent_to_the_real_site(home):
    with serve(ReplicaConfig()) as replica:
        assert log_in(home, replica).returncode == ExitCode.ALL_DONE
    result = optout(home, "check", "--quiet")
    assert result.returncode == ExitCode.LOGIN_REQUIRED
    assert "practice site" in result.stderr and "Traceback" not in result.stderr


def test_without_a_screen_the_login_says_so_instead_of_a_browser_error(home):
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        home.pop(name, None)
    result = optout(home, "login", "--wait", "5")
    assert result.returncode == ExitCode.FAILED
    assert "could not open a browser window: this session has no screen" in result.stderr
    assert "Traceback" not in result.stderr and "DISPLAY" not in result.stderr


def test_a_login_page_that_does_not_load_is_said_in_words(home):
    with socket.socket() as probe:  # a port nothing listens on: the site map's proxy answers 502
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = optout(
        home, "login", "--headless", "--wait", "30", "--site-map", f"https://www.pinterest.com=http://127.0.0.1:{port}"
    )
    assert result.returncode == ExitCode.FAILED
    assert "Pinterest's login page did not load (its server answered with error 502)" in result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr
