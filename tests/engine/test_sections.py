"""A setting scoped to a section is found however the page draws its sections, and opening one writes nothing."""

from __future__ import annotations

import pytest

from native_host.rules.format import load_shipped_rules
from native_host.statuses import SettingStatus
from replica.config import SECTION_STYLES

pytestmark = pytest.mark.browser

RULES = load_shipped_rules()
GENAI = [setting.id for setting in RULES.settings if setting.section == ("GenAI interests",)]


@pytest.mark.parametrize("style", list(SECTION_STYLES))
def test_genai_interests_are_found_in_every_section_style(replica_account, style):
    account = replica_account(section_style=style)
    report = account.run("apply", GENAI)
    statuses = {result.id: result.status for result in report.results}
    assert set(statuses.values()) == {SettingStatus.CHANGED}, report.results
    # Only the GenAI switches were written, never the ordinary interests named like them ("Art", "Fashion").
    assert {key for key, _ in account.writes()} == set(GENAI)
    assert not any(key.startswith("decoy.") for key, _ in account.writes())
    assert report.clicks == len(GENAI)  # opening a section is no click on a setting


@pytest.mark.parametrize("style", ["accordion", "tab"])
def test_a_check_opens_sections_but_changes_nothing(replica_account, style):
    account = replica_account(section_style=style)
    report = account.run("check", GENAI)
    assert {result.status for result in report.results} == {SettingStatus.WOULD_CHANGE}, report.results
    assert account.store.saves(account.cookies) == [] and report.clicks == 0
