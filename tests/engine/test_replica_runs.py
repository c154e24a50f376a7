"""The engine against the practice replica: every default rule on every page style, and every fault."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

import pytest

from native_host.engine.report import RunReport
from native_host.engine.run import RunOptions, apply, check
from native_host.rules.format import load_shipped_rules
from native_host.statuses import RunStatus, SettingStatus
from replica import ReplicaConfig, serve

pytestmark = pytest.mark.browser

RULES = load_shipped_rules()
DEFAULT_IDS = [setting.id for setting in RULES.select()]
PINTEREST = "https://www.pinterest.com"


@dataclass
class Account:
    """One replica and one logged-in account on it."""

    replica: object
    cookies: list[dict]

    @property
    def session(self) -> str:
        return next(cookie["value"] for cookie in self.cookies if cookie["name"] == "_pinterest_sess")

    def state(self) -> dict[str, bool]:
        return self.replica.store.state(self.session)

    def writes(self) -> list[tuple[str, bool]]:
        return self.replica.store.writes(self.session)

    def shown(self) -> set[str]:
        return {control["key"] for control in self.replica.store.controls()}

    def run(self, mode: str, settings: list[str] | None = None, **options) -> RunReport:
        options = RunOptions(site_map={PINTEREST: self.replica.url}, pause_seconds=0, **options)
        return {"check": check, "apply": apply}[mode](RULES, self.cookies, settings, options)


@pytest.fixture()
def account(request, quiet_home):
    config = ReplicaConfig(**getattr(request, "param", {}))
    with serve(config) as replica:
        yield Account(replica, replica.store.new_session())


def by_id(report: RunReport) -> dict[str, SettingStatus]:
    return {result.id: result.status for result in report.results}


@pytest.mark.parametrize(
    "account",
    [{"variant": variant} for variant in ("switch", "checkbox", "legacy", "aria")],
    indirect=True,
    ids=lambda config: config["variant"],
)
def test_every_default_rule_on_every_page_style(account):
    shown = account.shown() & set(DEFAULT_IDS)
    assert shown, "the replica shows none of the default settings"

    before = account.run("check")
    assert before.status == (RunStatus.DONE if shown == set(DEFAULT_IDS) else RunStatus.PARTIAL)
    for setting_id, status in by_id(before).items():
        assert status == (SettingStatus.WOULD_CHANGE if setting_id in shown else SettingStatus.NOT_FOUND), setting_id
    assert account.writes() == []

    applied = account.run("apply")
    state = account.state()
    for result in applied.results:
        if result.id in shown:
            assert result.status == SettingStatus.CHANGED, (result.id, result.message)
            assert result.verified and result.before is True and result.after is False
            assert state[result.id] is False
    assert {key for key, _ in account.writes()} == shown  # the decoys and choices were never written
    assert applied.browser_launches == 1

    writes_so_far = len(account.writes())
    again = account.run("apply")
    assert all(status in (SettingStatus.ALREADY_OK, SettingStatus.NOT_FOUND) for status in by_id(again).values())
    assert len(account.writes()) == writes_so_far
    assert again.clicks == 0


def test_each_page_is_loaded_once_and_reloaded_once(account):
    report = account.run("apply")
    assert report.status == RunStatus.DONE
    assert report.page_loads == 2  # the privacy page, and its reload to verify
    assert report.clicks == len(DEFAULT_IDS)
    assert account.run("check").page_loads == 1


@pytest.mark.parametrize("account", [{"privacy_path": "/settings/privacy-and-data"}], indirect=True)
def test_the_other_address_redirects_and_still_works(account):
    report = account.run("apply")
    assert report.status == RunStatus.DONE
    assert {result.page for result in report.results} == {f"{PINTEREST}/settings/privacy-and-data"}


@pytest.mark.parametrize("account", [{"faults": {"logged_out"}}], indirect=True)
def test_logged_out_session_is_login_required(account):
    report = account.run("apply")
    assert report.status == RunStatus.LOGIN_REQUIRED
    assert set(by_id(report).values()) == {SettingStatus.SKIPPED}
    assert account.writes() == []


def test_no_cookies_at_all_is_login_required(account):
    account.cookies = []
    assert account.run("check").status == RunStatus.LOGIN_REQUIRED


@pytest.mark.parametrize("account", [{"faults": {"blocked"}}], indirect=True)
def test_bot_block_page_is_blocked(account):
    report = account.run("apply")
    assert report.status == RunStatus.BLOCKED
    assert report.page_loads == 1  # no retries against a block


@pytest.mark.parametrize(
    "account", [{"faults": {"save_500"}}, {"faults": {"save_500"}, "variant": "checkbox"}], indirect=True
)
def test_refused_saves_are_save_failed_never_changed(account):
    report = account.run("apply")
    assert report.status == RunStatus.PARTIAL
    assert set(by_id(report).values()) == {SettingStatus.SAVE_FAILED}
    assert all(result.after is True and "500" in result.message for result in report.results)
    assert account.writes() == []


@pytest.mark.parametrize("account", [{"faults": {"drop_changes"}}], indirect=True)
def test_silently_dropped_changes_fail_verification(account):
    report = account.run("apply")
    assert set(by_id(report).values()) == {SettingStatus.VERIFY_FAILED}
    assert not any(result.verified for result in report.results)


@pytest.mark.parametrize(
    "account",
    [{"faults": {"drop_changes"}, "drop_keys": {"pinterest.ads.partner_info"}}],
    indirect=True,
)
def test_one_dropped_change_among_kept_ones(account):
    statuses = by_id(account.run("apply"))
    assert statuses.pop("pinterest.ads.partner_info") == SettingStatus.VERIFY_FAILED
    assert set(statuses.values()) == {SettingStatus.CHANGED}


@pytest.mark.parametrize("account", [{"faults": {"slow"}, "slow_seconds": 1.5}], indirect=True)
def test_slow_rendering_is_waited_for(account):
    assert set(by_id(account.run("apply")).values()) == {SettingStatus.CHANGED}


@pytest.mark.parametrize("account", [{"faults": {"minor"}}], indirect=True)
def test_a_minors_locked_controls_are_reported_and_untouched(account):
    report = account.run("apply")
    assert set(by_id(report).values()) <= {SettingStatus.ALREADY_OK, SettingStatus.LOCKED}
    assert any("locked" in result.message for result in report.results)
    assert account.writes() == []


@pytest.mark.parametrize(
    ("account", "absent"),
    [
        ({"faults": {"eu"}}, {"pinterest.ads.performance_reporting"}),
        ({"faults": {"not_rolled_out"}}, {"pinterest.genai.canvas_training"}),
        ({"faults": {"uk_minor"}}, set(DEFAULT_IDS)),
    ],
    indirect=["account"],
)
def test_absent_settings_are_not_found_and_the_rest_still_done(account, absent):
    statuses = by_id(account.run("apply"))
    for setting_id, status in statuses.items():
        assert status == (SettingStatus.NOT_FOUND if setting_id in absent else SettingStatus.CHANGED), setting_id


def test_optional_choices_reach_their_pages(account):
    chosen = ["pinterest.visibility.search_privacy", "pinterest.recommendations.ai_content"]
    chosen += [s.id for s in RULES.settings if s.id.startswith("pinterest.recommendations.ai_content.")]
    report = account.run("apply", chosen)
    statuses = by_id(report)
    state = account.state()
    assert statuses["pinterest.visibility.search_privacy"] == SettingStatus.CHANGED
    assert state["pinterest.visibility.search_privacy"] is True
    for setting_id in chosen[1:]:
        assert statuses[setting_id] == SettingStatus.CHANGED, setting_id
        assert state[setting_id] is False
    assert {key for key, _ in account.writes()} == set(chosen)  # the ordinary interest switches untouched


def test_cancel_stops_the_run_and_changes_nothing_more(account):
    cancel = threading.Event()

    def stop_at_first_change(event):
        if event.step == "changing":
            cancel.set()

    options = RunOptions(site_map={PINTEREST: account.replica.url}, pause_seconds=0)
    report = apply(RULES, account.cookies, None, options, stop_at_first_change, cancel)
    assert report.status == RunStatus.CANCELLED
    assert len(account.writes()) <= 1


def test_a_server_that_never_answers_is_a_timeout(quiet_home):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        options = RunOptions(
            site_map={PINTEREST: f"http://127.0.0.1:{silent.getsockname()[1]}"}, timeout_seconds=2, pause_seconds=0
        )
        report = check(RULES, [], None, options)
        assert report.status == RunStatus.TIMEOUT
        assert "too long" in report.message
    finally:
        silent.close()


def test_a_missing_browser_says_how_to_get_one(account):
    report = account.run("check", browser_path="/nonexistent/chrome")
    assert report.status == RunStatus.BROWSER_MISSING
    assert "playwright install chromium" in report.message
    assert report.browser_launches == 0


def test_the_run_says_which_browser_it_used(account):
    report = account.run("check")
    assert report.browser and "(" in report.browser
