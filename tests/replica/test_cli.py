"""`python -m replica`: its help, its errors, and a real run on a free port that writes logged-in cookies."""

from __future__ import annotations

import json
import select
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from replica.config import FAULTS, VARIANTS

ROOT = Path(__file__).resolve().parents[2]


def run_replica(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "replica", *args], cwd=ROOT, capture_output=True, text=True, timeout=20
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_help_lists_every_variant_and_fault():
    result = run_replica("--help")
    assert result.returncode == 0
    for name in (*VARIANTS, *FAULTS, "--cookies-out", "--port", "--seed", "--drop-key"):
        assert name in result.stdout, name


@pytest.mark.parametrize(
    "args,message",
    [
        (["--variant", "tabs"], "invalid choice: 'tabs'"),
        (["--fault", "gremlins"], "invalid choice: 'gremlins'"),
        (["--alias-status", "200"], "replica: alias_status must be a redirect status (301, 302, 307 or 308)."),
        (["--blocked-status", "500"], "replica: blocked_status must be 403 or 429."),
    ],
)
def test_bad_options_exit_2_with_a_message(args, message):
    result = run_replica(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_runs_on_a_free_port_and_writes_logged_in_cookies(tmp_path):
    cookies_file = tmp_path / "cookies.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "replica", "--port", "0", "--variant", "legacy", "--cookies-out", str(cookies_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 15)
        assert ready, "the replica printed no URL within 15 s"
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")

        status, body = fetch(url + "/login/")
        assert status == 200 and "Welcome to Pinterest" in body

        status, _ = fetch(url + "/settings/privacy")
        assert status == 302  # no cookies: the login page

        cookies = json.loads(cookies_file.read_text())
        assert {cookie["name"] for cookie in cookies} >= {"_pinterest_sess", "csrftoken"}
        assert all(cookie["domain"].endswith("pinterest.com") for cookie in cookies)
        header = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in cookies)
        status, body = fetch(url + "/settings/privacy", header)
        assert status == 200 and "Use sites you visit" in body
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        process.stdout.close()
        process.stderr.close()


def test_a_misspelt_drop_key_is_refused():
    result = run_replica("--fault", "drop_changes", "--drop-key", "partner_info")
    assert result.returncode == 2
    assert "replica: Unknown drop key(s) partner_info." in result.stderr


def test_an_unwritable_cookies_file_is_a_message_not_a_trace(tmp_path):
    target = tmp_path / "missing" / "cookies.json"
    result = run_replica("--cookies-out", str(target))
    assert result.returncode == 2
    assert result.stderr.startswith(f"replica: cannot write the cookies to {target}:")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_busy_port_is_a_message_not_a_trace():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_replica("--port", str(port))
    assert result.returncode != 0
    assert f"Port {port} is in use" in result.stderr
    assert "Traceback" not in result.stderr
