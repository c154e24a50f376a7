"""The engine on the Gestalt replica: a React page that draws every switch off before the account's states arrive.

These state the correct outcome: the engine waits for the page's own data request and for the states to settle
before it reads, on the first load and at the verify reload, and presses a Save bar that appears only after the
first change. An engine that reads too early reports "already off" for settings that are on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from native_host.engine.report import RunReport
from native_host.engine.run import RunOptions, apply, check
from native_host.rules.format import load_shipped_rules
from native_host.statuses import RunStatus, SettingStatus
from replica import ReplicaConfig, ReplicaStore, gestalt_pages, pages, serve

pytestmark = pytest.mark.browser

RULES = load_shipped_rules()
DEFAULT_IDS = [setting.id for setting in RULES.select()]
PINTEREST = "https://www.pinterest.com"
# One setting already off, the others on as Pinterest ships them: a right reading tells them apart.
MIXED = {pages.SITES: False}


class Account:
    """A gestalt replica and one logged-in account on it."""

    def __init__(self, replica: Any, states: dict[str, bool]):
        self.replica = replica
        self.cookies = replica.store.new_session(states)

    def state(self) -> dict[str, bool]:
        return self.replica.store.state(self.cookies)

    def writes(self) -> list[tuple[str, bool]]:
        return self.replica.store.writes(self.cookies)

    def run(self, mode: str) -> RunReport:
        options = RunOptions(site_map={PINTEREST: self.replica.url}, pause_seconds=0)
        return {"check": check, "apply": apply}[mode](RULES, self.cookies, None, options)


@pytest.fixture()
def account(request: pytest.FixtureRequest, quiet_home: Any) -> Iterator[Account]:
    assert gestalt_pages.bundle_ready(), f"cd {gestalt_pages.PROJECT_DIR} && {gestalt_pages.BUILD_COMMAND}"
    config = ReplicaConfig(variant="gestalt", **request.param)
    with serve(config) as replica:
        yield Account(replica, MIXED)


def by_id(report: RunReport) -> dict[str, SettingStatus]:
    return {result.id: result.status for result in report.results}


def expected_check(setting_id: str) -> SettingStatus:
    return SettingStatus.ALREADY_OK if setting_id in MIXED else SettingStatus.WOULD_CHANGE


def test_every_default_setting_is_on_the_gestalt_pages():
    shown = {control["key"] for control in ReplicaStore(ReplicaConfig(variant="gestalt")).controls()}
    assert set(DEFAULT_IDS) <= shown


@pytest.mark.parametrize(
    "account",
    [
        pytest.param({"gestalt_delay": 0.5}, id="shorter-than-settle"),
        pytest.param({"gestalt_delay": 2.0}, id="longer-than-settle"),
    ],
    indirect=True,
)
def test_check_reports_the_states_the_account_has(account):
    report = account.run("check")
    assert report.status == RunStatus.DONE
    assert by_id(report) == {setting_id: expected_check(setting_id) for setting_id in DEFAULT_IDS}
    assert account.writes() == []


@pytest.mark.parametrize(
    "account",
    [
        pytest.param({"gestalt_delay": 0.5}, id="saves-on-change"),
        pytest.param({"gestalt_delay": 0.5, "gestalt_save": "save_bar"}, id="save-bar"),
    ],
    indirect=True,
)
def test_apply_turns_every_default_setting_off_and_verifies_it(account):
    report = account.run("apply")
    statuses = by_id(report)
    for setting_id in DEFAULT_IDS:
        want = SettingStatus.ALREADY_OK if setting_id in MIXED else SettingStatus.CHANGED
        assert statuses[setting_id] == want, setting_id
        assert account.state()[setting_id] is False, setting_id
    assert sorted(account.writes()) == sorted((i, False) for i in DEFAULT_IDS if i not in MIXED)

    again = account.run("check")
    assert set(by_id(again).values()) == {SettingStatus.ALREADY_OK}
