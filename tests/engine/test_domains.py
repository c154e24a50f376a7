"""Runs where the person is logged in: a country domain with its own jar, a country subdomain on the .com jar,
Pinterest moving the run to a country domain, and only the run's jar ever reaching the browser."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from native_host.engine.run import RunOptions, apply, check
from native_host.rules.format import load_shipped_rules
from native_host.statuses import RunStatus, SettingReason, SettingStatus
from replica import ReplicaServer, serve

pytestmark = pytest.mark.browser

COM = "https://www.pinterest.com"
DE = "https://www.pinterest.de"
DE_SUBDOMAIN = "https://de.pinterest.com"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def replica(quiet_home: Path) -> Iterator[object]:
    """`replica(**config)` starts one replica; all stop at the end."""
    servers: list[ReplicaServer] = []

    def start(**config: object) -> ReplicaServer:
        server = serve(config)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def session_of(cookies: list[dict]) -> str:
    return next(cookie["value"] for cookie in cookies if cookie["name"] == "_pinterest_sess")


def on_jar(cookies: list[dict], jar: str, host: str, expires: float | None = None) -> list[dict]:
    """The same session's cookies as another jar holds them (a person logged in on two Pinterest domains)."""
    moved = []
    for cookie in cookies:
        copy = {**cookie, "domain": host if cookie["hostOnly"] else f".{jar}"}
        if expires is not None:
            copy["expirationDate"] = expires
        moved.append(copy)
    return moved


def options(site_map: dict[str, str]) -> RunOptions:
    return RunOptions(site_map=site_map, pause_seconds=0)


def test_an_account_on_a_country_domain_runs_there_with_that_domains_jar(replica):
    server = replica(domain="www.pinterest.de")
    cookies = server.store.new_session()  # on .pinterest.de
    report = apply(load_shipped_rules(), cookies, None, options({DE: server.url}))
    assert report.status == RunStatus.DONE, report.message
    assert (report.origin, report.redirected_to) == (DE, "")
    assert {result.status for result in report.results} == {SettingStatus.CHANGED}
    assert all(result.page.startswith(f"{DE}/settings/") for result in report.results)
    assert server.store.writes(cookies)  # the account itself changed, on the server
    hosts = {host for host, _, _ in server.store.received()}
    assert hosts == {"www.pinterest.de"}
    assert all(f"_pinterest_sess={session_of(cookies)}" in header for _, _, header in server.store.received())


def test_an_account_on_a_country_subdomain_uses_the_com_jar(replica):
    server = replica(domain="de.pinterest.com")
    cookies = server.store.new_session()  # on .pinterest.com, as saved jars show
    assert {cookie["domain"] for cookie in cookies} == {".pinterest.com", "de.pinterest.com"}
    report = check(load_shipped_rules(), cookies, None, options({DE_SUBDOMAIN: server.url}), origin=DE_SUBDOMAIN)
    assert report.status == RunStatus.DONE, report.message
    assert report.origin == DE_SUBDOMAIN
    assert {result.status for result in report.results} == {SettingStatus.WOULD_CHANGE}
    assert all(result.page.startswith(f"{DE_SUBDOMAIN}/settings/") for result in report.results)
    assert {host for host, _, _ in server.store.received()} == {"de.pinterest.com"}


def test_a_redirect_to_the_country_domain_is_followed_reported_and_gets_no_other_jar(replica):
    server = replica(domain="www.pinterest.de", faults={"country_redirect"})
    account = server.store.new_session()
    other = server.store.new_session()  # another session, in the .pinterest.de jar of this browser
    cookies = on_jar(account, "pinterest.com", "www.pinterest.com", expires=4_000_000_000.0)
    cookies += on_jar(other, "pinterest.de", "www.pinterest.de", expires=3_000_000_000.0)
    report = apply(load_shipped_rules(), cookies, None, options({COM: server.url, DE: server.url}))
    assert report.status == RunStatus.DONE, report.message
    assert (report.origin, report.redirected_to) == (COM, DE)  # the .com session was the one used last
    assert all(result.page.startswith(f"{DE}/settings/") for result in report.results)
    assert server.store.writes(account) and not server.store.writes(other)
    received = server.store.received()
    assert received[0][0] == "www.pinterest.com"
    # Only the run's jar went into the browser: the country domain saw no cookie until the handshake set one.
    first_on_de = next(header for host, _, header in received if host == "www.pinterest.de")
    assert first_on_de == ""
    assert all(session_of(other) not in header for _, _, header in received)


def test_with_two_jars_the_run_goes_to_the_one_used_last_and_sends_only_it(replica):
    server = replica(domain="www.pinterest.de")
    on_com, on_de = server.store.new_session(), server.store.new_session()
    cookies = on_jar(on_com, "pinterest.com", "www.pinterest.com", expires=3_000_000_000.0)
    cookies += on_jar(on_de, "pinterest.de", "www.pinterest.de", expires=4_000_000_000.0)
    report = apply(load_shipped_rules(), cookies, None, options({COM: server.url, DE: server.url}))
    assert report.status == RunStatus.DONE, report.message
    assert report.origin == DE
    assert server.store.writes(on_de) and not server.store.writes(on_com)
    assert all(session_of(on_com) not in header for _, _, header in server.store.received())


def test_a_country_domain_run_that_leaves_pinterest_is_refused(replica):
    server = replica(domain="www.pinterest.de", faults={"leaves_site"}, leave_to="https://127.0.0.1:9", leave_seconds=0)
    report = check(load_shipped_rules(), server.store.new_session(), None, options({DE: server.url}))
    assert report.status == RunStatus.FAILED
    assert "not Pinterest" in report.message and "read nothing" in report.message
    assert {result.status for result in report.results} == {SettingStatus.SKIPPED}


def test_the_cli_infers_the_origin_from_the_cookies_and_takes_several_site_maps(replica, tmp_path):
    server = replica(domain="www.pinterest.de")
    cookies = tmp_path / "cookies.json"
    cookies.write_text(json.dumps(server.store.new_session()))
    maps = ["--site-map", f"{COM}={server.url}", "--site-map", f"{DE}={server.url}"]
    run = subprocess.run(
        [sys.executable, "-m", "native_host", "check", "--json", "--quiet", "--cookies", str(cookies), *maps],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["origin"] == DE and report["status"] == "done"
    assert {host for host, _, _ in server.store.received()} == {"www.pinterest.de"}
    # --origin overrides: on www.pinterest.com this .pinterest.de session is not logged in.
    overridden = subprocess.run(
        [sys.executable, "-m", "native_host", "check", "--json", "--quiet", "--cookies", str(cookies), *maps]
        + ["--origin", COM],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(overridden.stdout)
    assert report["origin"] == COM and report["status"] == "login_required"


def test_the_demo_runs_on_the_country_domain_it_is_given(quiet_home):
    run = subprocess.run(
        [sys.executable, "-m", "native_host", "demo", "--quiet", "--domain", "www.pinterest.de"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert "It stands in for https://www.pinterest.de;" in run.stdout
    assert "The practice server confirms 8 change(s) saved" in run.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "native_host", "demo", "--domain", "www.pinterest.com.evil.example"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "not one of Pinterest's web hosts" in refused.stderr


def test_a_german_account_moved_to_its_country_domain_is_read_in_german_there(replica):
    server = replica(domain="www.pinterest.de", language="de", faults={"country_redirect"})
    account = server.store.new_session()
    cookies = on_jar(account, "pinterest.com", "www.pinterest.com")
    run_options = RunOptions(site_map={COM: server.url, DE: server.url}, pause_seconds=0, languages=("de-DE", "de"))
    report = apply(load_shipped_rules(), cookies, None, run_options)
    assert (report.origin, report.redirected_to, report.language) == (COM, DE, "de")
    by_status = {result.id: result for result in report.results}
    changed = [key for key, result in by_status.items() if result.status == SettingStatus.CHANGED]
    unknown = [key for key, result in by_status.items() if result.reason == SettingReason.UNKNOWN_LANGUAGE]
    assert changed and unknown and set(changed) | set(unknown) == set(by_status), report.message
    assert all(by_status[key].verified and by_status[key].page.startswith(f"{DE}/settings/") for key in changed)
    assert {key for key, _ in server.store.writes(account)} == set(changed)
    assert report.status == RunStatus.PARTIAL  # never "done" while settings went unread
