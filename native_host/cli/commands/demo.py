"""`optout demo`: the whole opt-out on the bundled practice replica of Pinterest, nothing real touched."""

from __future__ import annotations

import argparse
import sys

from native_host.cli.report_table import MARKS, state_word
from native_host.engine.report import RunReport
from native_host.engine.run import RunOptions, apply, check
from native_host.exit_codes import ExitCode, exit_code_for
from native_host.languages import english_name
from native_host.rules.format import RulesError, load_shipped_rules
from native_host.statuses import SettingReason, SettingStatus


def register(subparsers: argparse._SubParsersAction) -> None:
    text = "Run check, apply and check again on a practice copy of Pinterest's settings, and show what changed."
    parser = subparsers.add_parser("demo", help=text, description=text)
    parser.add_argument("--variant", default="switch", help="the replica's page style: switch, checkbox, legacy, aria")
    parser.add_argument("--fault", action="append", default=[], help="a replica fault to show (e.g. save_500, eu)")
    parser.add_argument("--settings", default="default", help="comma-separated setting ids, 'default' or 'all'")
    parser.add_argument("--language", default="en", help="the practice pages' language: en, de or es")
    parser.add_argument(
        "--domain",
        default="www.pinterest.com",
        help="the Pinterest site the practice account is on, e.g. www.pinterest.de (its own cookies)",
    )
    parser.add_argument("--headed", action="store_true", help="show the browser window while it works")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from native_host.cli.commands.run import print_progress, selected_ids
    from replica import ConfigError, ReplicaConfig, serve

    rules = load_shipped_rules()
    try:
        config = ReplicaConfig(
            variant=args.variant, faults=frozenset(args.fault), language=args.language, domain=args.domain
        )
        setting_ids = selected_ids(rules, args.settings)
    except (ConfigError, ValueError, RulesError) as error:
        print(f"optout demo: {error}", file=sys.stderr)
        return ExitCode.USAGE
    progress = None if args.quiet else print_progress
    origin = f"https://{config.domain}"
    with serve(config) as replica:
        cookies = replica.store.new_session()  # on the domain's jar: the runs go there, as a person's would
        options = RunOptions(
            site_map={origin: replica.url},
            headed=args.headed,
            pause_seconds=0.6 if args.headed else 0.0,
            languages=(args.language,),  # the person of the practice account speaks its pages' language
        )
        say(f"A practice copy of Pinterest's settings is running at {replica.url} ({args.variant} pages).")
        say(f"It stands in for {origin}; your real account is not touched.\n")
        say("1. Check: reading your settings")
        before = check(rules, cookies, setting_ids, options, progress, origin=origin)
        say("2. Apply: opting out")
        applied = apply(rules, cookies, setting_ids, options, progress, origin=origin)
        say("3. Check again: reading them afresh")
        after = check(rules, cookies, setting_ids, options, progress, origin=origin)
        print(before_after_table(before, applied, after))
        print(server_side_note(replica.store, cookies, applied))
        print(unknown_language_note(applied), end="")
    print(f"\n{applied.message}")
    return exit_code_for(applied.status)


def say(text: str) -> None:
    print(text, flush=True)


def before_after_table(before: RunReport, applied: RunReport, after: RunReport) -> str:
    rows = [("Setting", "Wanted", "Before", "After", "What Optout did")]
    later = {result.id: result for result in after.results}
    done = {result.id: result for result in applied.results}
    for result in before.results:
        rows.append(
            (
                result.title,
                state_word(result.desired),
                state_word(result.before),
                state_word(later[result.id].after),
                MARKS[done[result.id].status],
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "",
        f"Pinterest, before and after ({applied.page_loads} page loads, {applied.clicks} clicks, "
        f"{applied.seconds:.1f} s, {applied.browser}):",
        "",
    ]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def unknown_language_note(applied: RunReport) -> str:
    """The settings Optout could not read because it does not know their wording in the pages' language yet."""
    unknown = [result.title for result in applied.results if result.reason == SettingReason.UNKNOWN_LANGUAGE]
    if not unknown:
        return ""
    lines = [f"\nOptout cannot read these settings in {english_name(applied.language)} yet (their wording is unknown):"]
    lines += [f"  - {title}" for title in unknown]
    return "\n".join(lines) + "\n"


def server_side_note(store: object, cookies: list[dict], applied: RunReport) -> str:
    """What the replica's own server holds now: the proof that the changes reached it."""
    session = next(cookie["value"] for cookie in cookies if cookie["name"] == "_pinterest_sess")
    held = store.state(session)
    kept = [r for r in applied.results if r.status == SettingStatus.CHANGED and held.get(r.id) == r.desired]
    untouched = [key for key, _ in store.writes(session) if key not in {r.id for r in applied.results}]
    note = f"\nThe practice server confirms {len(kept)} change(s) saved"
    note += "; no other setting was written." if not untouched else f"; also written: {', '.join(untouched)}."
    return note
