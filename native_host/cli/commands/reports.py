"""`optout reports`: the maintainers' side of field reports: list findings, show one, accept or reject it.

The database is the rules service's own (OPTOUT_SERVER_DATABASE_URL, else SQLite in the data directory), or
--database URL.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from native_host.exit_codes import ExitCode

if TYPE_CHECKING:  # the server's modules load only when the command runs
    from server.report_store import ReportStore


def register(subparsers: argparse._SubParsersAction) -> None:
    text = "Review the field reports the rules service received: list, show, accept or reject findings."
    parser = subparsers.add_parser("reports", help=text, description=text)
    parser.add_argument(
        "--database", metavar="URL", help="sqlite:///FILE or postgresql://... (default: the rules service's own)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="findings, the most reported first (open ones unless --status)")
    listing.add_argument("--status", choices=["new", "accepted", "rejected", "all"], default="new")
    listing.add_argument("--json", action="store_true", help="print the findings as JSON")
    show = actions.add_parser("show", help="one finding and its reports, or one report by its id")
    show.add_argument("id", metavar="FINDING_OR_REPORT")
    accept = actions.add_parser("accept", help="add a finding's wording to its setting in the rules file")
    accept.add_argument("id", metavar="FINDING")
    accept.add_argument("--rules", metavar="FILE", help="the rules file to change (default: the shipped one)")
    reject = actions.add_parser("reject", help="mark a finding's reports rejected")
    reject.add_argument("id", metavar="FINDING")
    parser.set_defaults(run=run_reports)


def run_reports(args: argparse.Namespace) -> int:
    from native_host.rules.format import RulesError
    from server.config import ConfigError, load_config
    from server.report_review import ReviewError
    from server.report_store import ReportStore, StoreError

    try:
        url = args.database or load_config()["DATABASE_URL"]
        store = ReportStore(url)
        store.migrate()
        action = {"list": _list, "show": _show, "accept": _accept, "reject": _reject}[args.action]
        return action(store, args)
    except (ConfigError, StoreError, ReviewError, RulesError) as error:
        print(f"optout reports {args.action}: {error}", file=sys.stderr)
        return ExitCode.FAILED


def _list(store: ReportStore, args: argparse.Namespace) -> int:
    status = None if args.status == "all" else args.status
    findings = store.findings(status)
    untaught = store.untaught(status)
    if args.json:
        document = {
            "findings": [
                {"id": found.id, **{k: v for k, v in found.__dict__.items() if k != "report_ids"}} for found in findings
            ],
            "not_taught": [
                {"platform": platform, "setting": setting, "language": language, "count": count}
                for platform, setting, language, count in untaught
            ],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return ExitCode.ALL_DONE
    if not findings and not untaught:
        print("No field reports" + ("." if status is None else f" with status {status}."))
        return ExitCode.ALL_DONE
    for found in findings:
        language = found.language or "-"
        print(
            f"{found.id}  {found.count:>5} x  {found.platform} {found.setting} [{language}] {found.wording!r}"
            + ("" if status == "new" else f"  ({found.status})")
        )
    if untaught:
        print("\nNot found, nothing taught:")
        for platform, setting, language, count in untaught:
            print(f"  {count:>5} x  {platform} {setting} [{language or '-'}]")
    return ExitCode.ALL_DONE


def _show(store: ReportStore, args: argparse.Namespace) -> int:
    from server.report_review import report_summary

    report = store.report(args.id)
    if report is not None:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return ExitCode.ALL_DONE
    findings = (store.finding(args.id, status) for status in ("new", "accepted", "rejected"))
    finding = next((found for found in findings if found is not None), None)
    if finding is None:
        print(f"optout reports show: no finding or report {args.id!r}.", file=sys.stderr)
        return ExitCode.USAGE
    print(f"Finding {finding.id} ({finding.status}): {finding.count} report(s)")
    print(f"  platform {finding.platform}, setting {finding.setting}, language {finding.language or '-'}")
    print(f"  wording  {finding.wording!r}")
    print(f"  received {finding.first_received[:19]} to {finding.last_received[:19]}")
    for document in store.documents(finding.report_ids):
        print("  " + report_summary(document))
    return ExitCode.ALL_DONE


def _accept(store: ReportStore, args: argparse.Namespace) -> int:
    from native_host.rules.paths import shipped_rules_path
    from server.report_review import accept_finding

    finding = store.finding(args.id)
    platform = finding.platform if finding else "pinterest"
    rules_path = Path(args.rules) if args.rules else shipped_rules_path(platform)
    accepted = accept_finding(store, args.id, rules_path)
    found = accepted.finding
    if accepted.added:
        print(f"Added {found.wording!r} to {found.setting} in {rules_path}, now version {accepted.version}.")
        print(f"Sign it for clients: optout sign --key KEY --out DIR {rules_path}")
    else:
        print(f"{found.setting} in {rules_path} already has the wording {found.wording!r}; the file is unchanged.")
    print(f"{accepted.reports} report(s) marked accepted.")
    return ExitCode.ALL_DONE


def _reject(store: ReportStore, args: argparse.Namespace) -> int:
    from server.report_review import reject_finding

    finding, changed = reject_finding(store, args.id)
    print(f"{changed} report(s) of finding {finding.id} ({finding.wording!r} for {finding.setting}) marked rejected.")
    return ExitCode.ALL_DONE
