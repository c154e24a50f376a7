"""Never a false result from a page read too early: states drawn as placeholders first, the real ones later.

The replica's `late_states` page draws every switch off, asks for the account's states in a request of its own
that the server answers after `late_seconds`, and draws them `late_draw_seconds` after they arrive. Read too
early, an account whose settings are on looks already opted out.
"""

from __future__ import annotations

import pytest

from native_host.engine.run import RunOptions
from native_host.rules.format import load_shipped_rules
from native_host.statuses import SettingStatus

pytestmark = pytest.mark.browser

RULES = load_shipped_rules()
DEFAULT_IDS = [setting.id for setting in RULES.select()]
CANVAS = "pinterest.genai.canvas_training"
SETTLE = RunOptions().settle_seconds

# Delays of the states' own request, around and well beyond the settle time, with and without a drawing delay
# (a timer after the data arrived, shorter than the settle time: only the settle time can see it coming).
DELAYS = [
    (0.05, 0.0),
    (0.2, 0.0),
    (SETTLE + 0.35, 0.0),
    (1.5, 0.0),
    (0.05, SETTLE * 0.4),
    (SETTLE + 0.35, SETTLE * 0.4),
]


def late(late_seconds: float, late_draw_seconds: float, **config: object) -> dict[str, object]:
    faults = {"late_states", *config.pop("faults", ())}
    return {"faults": faults, "late_seconds": late_seconds, "late_draw_seconds": late_draw_seconds, **config}


def by_id(report) -> dict[str, SettingStatus]:
    return {result.id: result.status for result in report.results}


@pytest.mark.parametrize("attempt", range(2))
@pytest.mark.parametrize(("late_seconds", "late_draw_seconds"), DELAYS)
def test_check_reads_the_real_states(replica_account, late_seconds, late_draw_seconds, attempt):
    account = replica_account(**late(late_seconds, late_draw_seconds))
    report = account.run("check")
    assert set(by_id(report).values()) == {SettingStatus.WOULD_CHANGE}, report.results
    assert all(result.before is True for result in report.results)


@pytest.mark.parametrize(("late_seconds", "late_draw_seconds"), [DELAYS[2], DELAYS[5]])
def test_apply_changes_exactly_what_is_really_on(replica_account, late_seconds, late_draw_seconds):
    account = replica_account(states={CANVAS: False}, **late(late_seconds, late_draw_seconds))
    report = account.run("apply")
    statuses = by_id(report)
    assert statuses.pop(CANVAS) == SettingStatus.ALREADY_OK
    assert set(statuses.values()) == {SettingStatus.CHANGED}, report.results
    assert {key for key, _ in account.writes()} == set(DEFAULT_IDS) - {CANVAS}
    assert not any(account.state()[key] for key in DEFAULT_IDS)


@pytest.mark.parametrize(("late_seconds", "late_draw_seconds"), [DELAYS[2], DELAYS[4]])
def test_the_verify_read_waits_too(replica_account, late_seconds, late_draw_seconds):
    # Saves answer 200 but keep nothing: the fresh page's placeholders (off) must not pass for the change.
    account = replica_account(**late(late_seconds, late_draw_seconds, faults={"drop_changes"}))
    report = account.run("apply")
    assert set(by_id(report).values()) == {SettingStatus.VERIFY_FAILED}, report.results
    assert all(result.after is True and not result.verified for result in report.results)
