"""Every way a page keeps a change, and the honest status when Optout found none."""

from __future__ import annotations

from dataclasses import replace

import pytest

from native_host.rules.format import load_shipped_rules
from native_host.statuses import RunStatus, SettingStatus

pytestmark = pytest.mark.browser

RULES = load_shipped_rules()
DEFAULT_IDS = [setting.id for setting in RULES.select()]
CANVAS = "pinterest.genai.canvas_training"


def by_id(report) -> dict[str, SettingStatus]:
    return {result.id: result.status for result in report.results}


@pytest.mark.parametrize("variant", ["switch", "checkbox"])
def test_a_save_bar_that_appears_after_the_first_change_is_pressed(replica_account, variant):
    account = replica_account(variant=variant, save_model="bar")
    report = account.run("apply")
    assert set(by_id(report).values()) == {SettingStatus.CHANGED}, report.results
    assert {key for key, _ in account.writes()} == set(DEFAULT_IDS)
    assert report.clicks == len(DEFAULT_IDS) + 1  # the switches, then Save once
    assert len(account.store.saves(account.cookies)) == 1


@pytest.mark.parametrize("variant", ["switch", "aria"])
def test_a_confirmation_after_each_change_is_confirmed(replica_account, variant):
    account = replica_account(variant=variant, save_model="confirm")
    report = account.run("apply")
    assert set(by_id(report).values()) == {SettingStatus.CHANGED}, report.results
    assert {key for key, _ in account.writes()} == set(DEFAULT_IDS)
    assert report.clicks == 2 * len(DEFAULT_IDS)


def test_a_save_button_there_from_the_start_is_pressed_once(replica_account):
    account = replica_account(variant="checkbox")
    report = account.run("apply")
    assert set(by_id(report).values()) == {SettingStatus.CHANGED}
    assert report.clicks == len(DEFAULT_IDS) + 1 and len(account.store.saves(account.cookies)) == 1


def test_a_change_with_no_request_and_no_known_save_button_is_not_saved(replica_account):
    # The Save bar shows a word these rules do not know: Optout must say that nothing was saved.
    account = replica_account(save_model="bar", save_label="Apply")
    report = account.run("apply", [CANVAS])
    [result] = report.results
    assert result.status == SettingStatus.NOT_SAVED, result.message
    assert result.message.startswith("Nothing was saved") and "accepted" not in result.message
    assert result.after is True and not result.verified
    assert report.status == RunStatus.PARTIAL
    assert account.writes() == [] and account.store.saves(account.cookies) == []


def test_a_dialog_with_no_known_confirm_button_is_not_saved(replica_account):
    account = replica_account(save_model="confirm")
    report = account.run("apply", [CANVAS], rules=replace(RULES, confirm_buttons=()))
    [result] = report.results
    assert result.status == SettingStatus.NOT_SAVED, result.message
    assert account.writes() == []


def test_acceptance_is_claimed_only_when_a_save_request_succeeded(replica_account):
    account = replica_account(faults={"drop_changes"})
    report = account.run("apply", [CANVAS])
    [result] = report.results
    assert result.status == SettingStatus.VERIFY_FAILED
    assert "accepted the change" in result.message
