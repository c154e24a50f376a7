"""`optout check/apply/demo` as a person runs them: exit codes, the JSON report, the table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from native_host.cli.report_table import NO_SANDBOX_NOTE
from native_host.exit_codes import ExitCode
from native_host.rules.format import load_shipped_rules
from replica import ReplicaConfig, serve

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
REPORT_KEYS = {
    "format", "mode", "platform", "status", "message", "rules_version", "engine_version", "browser",
    "started_at", "seconds", "page_loads", "browser_launches", "clicks", "practice", "sandbox", "language", "results",
    "origin", "redirected_to",
}  # fmt: skip
RESULT_KEYS = {
    "id",
    "title",
    "status",
    "desired",
    "before",
    "after",
    "verified",
    "wording",
    "page",
    "message",
    "seconds",
    "wording_source",
    "language",
    "candidates",
    "reason",
}


def optout(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "native_host", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def replica_args(replica, tmp_path: Path, states: dict | None = None) -> list[str]:
    cookies = tmp_path / "cookies.json"
    cookies.write_text(json.dumps(replica.store.new_session(states)))
    return ["--cookies", str(cookies), "--site-map", f"https://www.pinterest.com={replica.url}", "--quiet"]


def test_check_json_report_is_stable_and_apply_exits_0(tmp_path, quiet_home):
    with serve(ReplicaConfig()) as replica:
        args = replica_args(replica, tmp_path)
        checked = optout("check", "--json", *args)
        assert checked.returncode == ExitCode.ALL_DONE, checked.stderr
        report = json.loads(checked.stdout)
        assert set(report) == REPORT_KEYS and report["format"] == 1
        assert report["status"] == "done" and report["mode"] == "check"
        assert report["practice"] is True  # a site map was active: not the real site
        assert {result["status"] for result in report["results"]} == {"would_change"}
        assert all(set(result) == RESULT_KEYS for result in report["results"])
        assert [r["id"] for r in report["results"]] == [s.id for s in load_shipped_rules().select()]

        applied = optout("apply", *args)
        assert applied.returncode == ExitCode.ALL_DONE, applied.stderr
        assert "AI training on your Pins" in applied.stdout and "changed" in applied.stdout
        assert "Practice run: a server on this computer stood in for the site" in applied.stdout
        # These tests run as root: Chromium had to go without its sandbox, and both outputs say so.
        assert report["sandbox"] is (os.geteuid() != 0)
        assert (NO_SANDBOX_NOTE in applied.stdout) is (os.geteuid() == 0)


def test_partly_done_exits_1(tmp_path, quiet_home):
    with serve(ReplicaConfig(faults={"eu"})) as replica:
        result = optout("apply", "--json", *replica_args(replica, tmp_path))
        assert result.returncode == ExitCode.PARTLY_DONE
        assert json.loads(result.stdout)["status"] == "partial"


def test_login_required_exits_3(tmp_path, quiet_home):
    with serve(ReplicaConfig(faults={"logged_out"})) as replica:
        result = optout("check", *replica_args(replica, tmp_path))
        assert result.returncode == ExitCode.LOGIN_REQUIRED
        assert "Log in to Pinterest" in result.stdout


def test_blocked_exits_4(tmp_path, quiet_home):
    with serve(ReplicaConfig(faults={"blocked"})) as replica:
        result = optout("apply", "--json", *replica_args(replica, tmp_path))
        assert result.returncode == ExitCode.BLOCKED
        assert json.loads(result.stdout)["status"] == "blocked"


def test_missing_browser_exits_5(tmp_path, quiet_home):
    with serve(ReplicaConfig()) as replica:
        result = optout("check", "--browser", "/nonexistent/chrome", *replica_args(replica, tmp_path))
        assert result.returncode == ExitCode.FAILED
        assert "playwright install chromium" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--settings", "pinterest.nope"],
        ["check", "--site-map", "https://www.pinterest.com=http://192.168.1.5:80"],
        ["check", "--cookies", "/nonexistent/cookies.json"],
        ["apply", "--rules", "/nonexistent/rules.json"],
        ["check", "--no-such-option"],
        [],
    ],
)
def test_usage_errors_exit_2_with_a_message(args):
    result = optout(*args)
    assert result.returncode == ExitCode.USAGE
    assert result.stderr.strip() or result.stdout.strip()


def test_cookies_that_are_not_json_are_a_usage_error(tmp_path):
    bad = tmp_path / "cookies.json"
    bad.write_text("_pinterest_sess=abc")
    result = optout("check", "--cookies", str(bad))
    assert result.returncode == ExitCode.USAGE and "not JSON" in result.stderr


def test_a_rules_file_needing_a_newer_engine_is_refused(tmp_path):
    document = json.loads((REPO / "rules" / "pinterest.json").read_text())
    document["min_engine_version"] = "99.0.0"
    newer = tmp_path / "pinterest.json"
    newer.write_text(json.dumps(document))
    result = optout("check", "--rules", str(newer))
    assert result.returncode == ExitCode.USAGE and "Update Optout" in result.stderr


def test_demo_prints_before_and_after(quiet_home):
    result = optout("demo", "--quiet")
    assert result.returncode == ExitCode.ALL_DONE, result.stderr
    assert "before and after" in result.stdout
    assert "The practice server confirms 8 change(s) saved; no other setting was written." in result.stdout


def test_demo_in_german_opts_out_where_it_can_and_names_what_it_cannot_read(quiet_home):
    result = optout("demo", "--quiet", "--language", "de")
    assert result.returncode == ExitCode.PARTLY_DONE, result.stderr
    assert "The practice server confirms 5 change(s) saved; no other setting was written." in result.stdout
    assert "Optout cannot read these settings in German yet (their wording is unknown):" in result.stdout
    unknown = result.stdout.split("(their wording is unknown):")[1].split("\n\n")[0]
    assert [line.strip("- ").strip() for line in unknown.strip().splitlines()] == [
        "AI training on your Pins",
        "Ads about you on other sites",
        "Use of your Pinterest activity",
    ]
    assert "Optout does not know yet how Pinterest words 3 settings in German." in result.stdout
    assert "optout demo: Unknown language 'fr'" in optout("demo", "--language", "fr").stderr


def test_the_cli_asks_pinterest_for_the_systems_language(tmp_path, quiet_home):
    with serve(ReplicaConfig(language="de")) as replica:
        args = replica_args(replica, tmp_path)
        env = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "de_AT.UTF-8"}
        result = optout("check", "--settings", "pinterest.ads.partner_info", "--json", *args, env=env)
        asked = [header for header in replica.store.accept_languages() if header]
    report = json.loads(result.stdout)
    assert report["language"] == "de" and report["results"][0]["status"] == "would_change"
    assert asked and all(header.startswith("de-AT,de;q=0.9") for header in asked), asked


def test_cli_runs_leave_a_receipt_in_the_history(tmp_path, quiet_home):
    with serve(ReplicaConfig()) as replica:
        result = optout("apply", *replica_args(replica, tmp_path))
        assert result.returncode == ExitCode.ALL_DONE, result.stderr
    history = optout("history", "--json")
    assert history.returncode == 0, history.stderr
    runs = json.loads(history.stdout)["runs"]
    assert runs[0]["mode"] == "apply" and runs[0]["status"] == "done"
    assert runs[0]["rules_source"] == "shipped" and runs[0]["practice"] is True
    assert (runs[0]["origin"], runs[0]["redirected_to"]) == ("https://www.pinterest.com", "")
    assert "pinterest on www.pinterest.com apply (practice): done" in optout("history").stdout


def test_malformed_cookies_are_a_usage_error_and_leave_no_receipt(tmp_path, quiet_home):
    bad = tmp_path / "cookies.json"
    bad.write_text(json.dumps([{"name": "_pinterest_sess"}]))
    before = optout("history", "--json").stdout
    result = optout("check", "--cookies", str(bad))
    assert result.returncode == ExitCode.USAGE and "name, a value and a domain" in result.stderr
    assert optout("history", "--json").stdout == before
