"""`optout history`: the receipts of past runs, newest first."""

from __future__ import annotations

import argparse
import json
from typing import Any

from native_host.exit_codes import ExitCode
from native_host.history.store import Store
from native_host.paths import history_db_path


def register(subparsers: argparse._SubParsersAction) -> None:
    text = "Show past runs and what each did to each setting."
    parser = subparsers.add_parser("history", help=text, description=text)
    parser.add_argument("--json", action="store_true", help="export the runs, with every setting result, as JSON")
    parser.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N runs (default: 20)")
    parser.add_argument("--platform", help="only this platform's runs")
    parser.set_defaults(run=run_history)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run_history(args: argparse.Namespace) -> int:
    runs, total = Store(history_db_path()).runs(page=1, page_size=args.limit, platform=args.platform)
    if args.json:
        print(json.dumps({"runs": runs, "total": total}, indent=2))
        return ExitCode.ALL_DONE
    if not runs:
        print("No runs yet.")
        return ExitCode.ALL_DONE
    for run in runs:
        print(_run_line(run))
        for result in run["results"]:
            print(f"    {result['status']:<14} {result['title']} ({_states(result)})")
    if total > len(runs):
        print(f"({len(runs)} of {total} runs; use --limit to see more)")
    return ExitCode.ALL_DONE


def _run_line(run: dict[str, Any]) -> str:
    seconds = f", {run['seconds']:.1f} s" if run["seconds"] is not None else ""
    practice = " (practice)" if run["practice"] else ""
    where = _where(run)
    line = (
        f"#{run['run_id']} {run['started_at']} {run['platform']}{where} {run['mode']}{practice}: "
        f"{run['status']}{seconds}"
    )
    return f"{line}. {run['message']}" if run["message"] else line


def _where(run: dict[str, Any]) -> str:
    """Where the run happened and where Pinterest moved it; nothing for runs recorded before origins were."""
    host = run["origin"].removeprefix("https://")
    if not host:
        return ""
    moved = run["redirected_to"].removeprefix("https://")
    return f" on {host}" + (f" (moved to {moved})" if moved else "")


def _states(result: dict[str, Any]) -> str:
    words = {True: "on", False: "off", None: "unknown"}
    text = f"{words[result['before']]} -> {words[result['after']]}"
    return text + (", checked after a reload" if result["verified"] else "")
