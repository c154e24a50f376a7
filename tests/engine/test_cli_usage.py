"""Every subcommand given bad input: exit 2 and a sentence, never a traceback or an errno."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from native_host.exit_codes import ExitCode

REPO = Path(__file__).resolve().parents[2]


def optout(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPTOUT_DATA_DIR": str(data), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run(
        [sys.executable, "-m", "native_host", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def assert_a_sentence(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Errno" not in output, output
    assert result.stderr.strip() or result.stdout.strip()


BAD_INPUT = [
    ["check", "--settings", "pinterest.nope"],
    ["check", "--timeout", "soon"],
    ["check", "--timeout", "-1"],
    ["check", "--site-map", "https://www.pinterest.com=http://192.168.1.5:80"],
    ["check", "--cookies", "/nonexistent/cookies.json"],
    ["check", "--rules", "/nonexistent/rules.json"],
    ["check", "--rules", "rules/pinterest.json", "--rules-url", "http://127.0.0.1:8787"],
    ["check", "--rules-url", "ftp://rules.example"],
    ["apply", "--settings", "all,pinterest.nope"],
    ["apply", "--no-such-option"],
    ["demo", "--settings", "nosuch"],
    ["demo", "--variant", "nosuch"],
    ["demo", "--fault", "nosuch"],
    ["history", "--limit", "0"],
    ["history", "--limit", "many"],
    ["install", "--browser", "netscape"],
    ["install", "--extension-id", "not-an-id"],
    ["uninstall", "--browser", "netscape"],
    ["doctor", "--browser", "netscape"],
    ["serve", "--port", "99999"],
    ["serve", "--port", "http"],
    ["serve", "--threads", "0"],
    ["sign"],
    ["sign", "--new-key", "README.md"],
    ["reports"],
    ["reports", "accept"],
    ["reports", "list", "--status", "maybe"],
    ["reports", "show", "fnosuch"],
    ["login", "--wait", "0"],
    ["login", "--wait", "soon"],
    ["login", "--site-map", "https://www.pinterest.com=http://192.168.1.5:80"],
    ["logout", "--all-of-them"],
    ["nosuch-command"],
    [],
]


@pytest.mark.parametrize("args", BAD_INPUT, ids=[" ".join(args) or "(nothing)" for args in BAD_INPUT])
def test_bad_input_exits_2_with_a_sentence(args, tmp_path):
    result = optout(*args, data=tmp_path)
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
    assert_a_sentence(result)


def test_an_unknown_setting_in_the_demo_names_the_known_ones(tmp_path):
    result = optout("demo", "--settings", "nosuch", data=tmp_path)
    assert "Unknown setting 'nosuch'" in result.stderr and "pinterest.ads.partner_info" in result.stderr


def test_a_rules_service_that_is_not_running_is_said_in_words(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cookies = tmp_path / "cookies.json"
    cookies.write_text(json.dumps([]))
    result = optout(
        "check", "--rules-url", f"http://127.0.0.1:{port}", "--cookies", str(cookies), "--browser", "/nonexistent",
        data=tmp_path,
    )  # fmt: skip
    assert "Cannot reach the rules service" in result.stderr
    assert "nothing is answering at that address" in result.stderr
    assert "Using the rules shipped with Optout" in result.stderr
    assert_a_sentence(result)


def test_without_a_saved_login_check_says_to_run_optout_login(tmp_path):
    result = optout("check", data=tmp_path)
    assert result.returncode == ExitCode.LOGIN_REQUIRED
    assert "optout login" in result.stderr
    assert_a_sentence(result)


def test_a_crash_inside_a_command_is_a_sentence_and_a_file_not_a_traceback(tmp_path):
    (tmp_path / "history.sqlite3").write_text("this is not a database")
    result = optout("history", data=tmp_path)
    assert result.returncode == ExitCode.FAILED
    assert "something unexpected went wrong" in result.stderr
    assert "Traceback" in (tmp_path / "last-error.txt").read_text()
    assert_a_sentence(result)
