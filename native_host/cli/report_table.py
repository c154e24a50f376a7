"""The run report as a readable table, for people at a terminal."""

from __future__ import annotations

from native_host.engine.report import RunReport
from native_host.statuses import SettingStatus

MARKS = {
    SettingStatus.ALREADY_OK: "ok",
    SettingStatus.CHANGED: "changed",
    SettingStatus.WOULD_CHANGE: "to change",
    SettingStatus.NOT_FOUND: "not found",
    SettingStatus.AMBIGUOUS: "unsure: left alone",
    SettingStatus.LOCKED: "locked by Pinterest",
    SettingStatus.SAVE_FAILED: "save failed",
    SettingStatus.VERIFY_FAILED: "did not stick",
    SettingStatus.NOT_SAVED: "not saved",
    SettingStatus.PAUSED: "paused by Optout",
    SettingStatus.SKIPPED: "not reached",
}


PRACTICE_NOTE = "Practice run: a server on this computer stood in for the site; your real account was not touched."
NO_SANDBOX_NOTE = (
    "Chromium ran without its sandbox, because Optout runs as the root user. "
    "Run Optout as an ordinary user to keep the browser sandboxed."
)


def state_word(state: bool | None) -> str:
    return {True: "on", False: "off", None: "-"}[state]


def where_line(report: RunReport) -> str:
    """Which site the run used, and where the platform moved it."""
    line = f"On {report.origin}."
    if report.redirected_to:
        line += f" {report.platform.capitalize()} moved the run to {report.redirected_to}, and Optout went along."
    return line


def render_table(report: RunReport) -> str:
    header = (
        f"{report.platform.capitalize()} {report.mode}: {report.status} "
        f"({len(report.results)} settings, {report.seconds:.1f} s, {report.page_loads} page loads)"
    )
    if report.origin:
        header += f"\n{where_line(report)}"
    if report.practice:
        header += f"\n{PRACTICE_NOTE}"
    rows = [("Setting", "Wanted", "Before", "After", "Result")]
    for result in report.results:
        rows.append(
            (
                result.title,
                state_word(result.desired),
                state_word(result.before),
                state_word(result.after),
                MARKS[result.status],
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [header, ""]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    notes = [f"- {r.title}: {r.message}" for r in report.results if r.status not in _QUIET and r.message]
    if notes:
        lines += ["", *notes]
    if report.message:
        lines += ["", report.message]
    if report.browser_launches and not report.sandbox:
        lines += ["", NO_SANDBOX_NOTE]
    return "\n".join(lines)


_QUIET = {SettingStatus.ALREADY_OK, SettingStatus.CHANGED, SettingStatus.WOULD_CHANGE}
