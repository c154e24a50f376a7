"""What a maintainer does with a finding: accept its wording into a rules file, or reject it.

Accepting adds the wording to the setting's `labels` (newest first, as docs/rules.md says), names the reports in
the setting's `sources`, bumps the file's `version` and `updated`, and writes the file only once the whole new
document passes `parse_rules` (schema, sites, engine version): the result is ready for `optout sign`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from native_host.rules.format import parse_rules
from server.report_store import ACCEPTED, REJECTED, Finding, ReportStore

SHOWN_REPORT_IDS = 5  # a source line names this many reports, then says how many more


class ReviewError(Exception):
    """The finding cannot be accepted or rejected as asked; the message says why."""


@dataclass(frozen=True)
class Accepted:
    finding: Finding
    rules_path: Path
    version: str  # the rules file's version after accepting
    added: bool  # False when the wording was already one of the setting's labels
    reports: int


def accept_finding(store: ReportStore, identifier: str, rules_path: Path, today: datetime | None = None) -> Accepted:
    finding = _new_finding(store, identifier)
    document = json.loads(rules_path.read_text(encoding="utf-8"))
    if document.get("platform") != finding.platform:
        raise ReviewError(
            f"{rules_path} holds the rules for {document.get('platform')!r}, but the finding is about "
            f"{finding.platform!r}: give that platform's rules file with --rules."
        )
    setting = next((entry for entry in document["settings"] if entry["id"] == finding.setting), None)
    if setting is None:
        raise ReviewError(f"{rules_path} has no setting {finding.setting!r}; a report can only add a wording to one.")
    day = (today or datetime.now(UTC)).date()
    added = finding.wording not in setting["labels"]
    if added:
        setting["labels"].insert(0, finding.wording)
        setting["sources"].append(source_line(finding, day.isoformat()))
        document["version"] = next_version(document["version"], day.strftime("%Y.%m.%d"))
        document["updated"] = day.isoformat()
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        parse_rules(text, source=str(rules_path))  # a file that would not load is never written
        _replace(rules_path, text)
    changed = store.mark(finding.report_ids, ACCEPTED)
    return Accepted(finding, rules_path, document["version"], added, changed)


def reject_finding(store: ReportStore, identifier: str) -> tuple[Finding, int]:
    finding = _new_finding(store, identifier)
    return finding, store.mark(finding.report_ids, REJECTED)


def source_line(finding: Finding, day: str) -> str:
    shown = ", ".join(finding.report_ids[:SHOWN_REPORT_IDS])
    more = len(finding.report_ids) - SHOWN_REPORT_IDS
    listed = f"{shown} and {more} more" if more > 0 else shown
    language = finding.language or "no language given"
    return (
        f"Field reports, finding {finding.id}: {len(finding.report_ids)} report(s) of pages in {language}, "
        f"received {finding.first_received[:10]} to {finding.last_received[:10]}, accepted {day} ({listed})"
    )


def next_version(current: str, today: str) -> str:
    """Today's date as the version; a second change the same day (or a version ahead of today) counts up."""
    current_parts = [int(part) for part in current.split(".")]
    today_parts = [int(part) for part in today.split(".")]
    if today_parts > current_parts[: len(today_parts)]:
        return today
    bumped = current_parts + [0] if len(current_parts) <= len(today_parts) else current_parts
    bumped[-1] += 1
    return ".".join(str(part) for part in bumped)


def _new_finding(store: ReportStore, identifier: str) -> Finding:
    finding = store.finding(identifier)
    if finding is None:
        raise ReviewError(f"No open finding {identifier!r}; `optout reports list` shows them.")
    return finding


def _replace(path: Path, text: str) -> None:
    # Write beside it, then rename: an interrupted write never leaves half a rules file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def report_summary(report: dict[str, Any]) -> str:
    """One line per stored report for `optout reports show`."""
    document = report["report"]
    return (
        f"{report['id']}  {report['received'][:19]}  {document['origin']}{document['page']}  "
        f"engine {document['engine_version']}, rules {document['rules_version']}, "
        f"{len(document['candidates'])} candidate(s)"
    )
