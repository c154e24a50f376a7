"""`optout check` and `optout apply`: read or opt out of the chosen settings on the user's own account."""

from __future__ import annotations

import argparse
import json
import locale
import os
import sys
import threading
from pathlib import Path
from typing import Any

from native_host.cli.arguments import positive_seconds, web_origin
from native_host.cli.report_table import render_table
from native_host.cli.session_vault import LoginNeeded, cookies_for_run
from native_host.engine.cookies import CookieError, check_cookies
from native_host.engine.report import ProgressEvent
from native_host.engine.site_map import SiteMapError, parse_site_map
from native_host.error_words import in_plain_words
from native_host.exit_codes import ExitCode, exit_code_for
from native_host.history.recorded_run import RecordedRun, RunBusy, RunRequest, engine_runner
from native_host.history.store import Store
from native_host.languages import system_languages
from native_host.rules.format import RulesError, RuleSet, load_rules_file
from native_host.rules.wordings import WordingsError, read_wordings_file
from native_host.statuses import RunStatus


def register(subparsers: argparse._SubParsersAction) -> None:
    for mode, text in (
        ("check", "Read your settings and show which differ from your choices. Changes nothing."),
        ("apply", "Opt out: change the settings that differ, save, and check again after a reload."),
    ):
        parser = subparsers.add_parser(mode, help=text, description=text)
        add_run_arguments(parser)
        parser.set_defaults(run=run_command, mode=mode)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--settings",
        default="default",
        help="comma-separated setting ids, 'default' (the default opt-out) or 'all' (default: %(default)s)",
    )
    parser.add_argument(
        "--cookies",
        metavar="FILE",
        help="your Pinterest cookies as chrome.cookies.getAll JSON ('-': stdin); "
        "default: the login `optout login` kept",
    )
    parser.add_argument(
        "--origin",
        type=web_origin,
        help="the Pinterest site you are logged in on, e.g. https://www.pinterest.de "
        "(default: the site your session cookie is for)",
    )
    parser.add_argument(
        "--site-map",
        action="append",
        metavar="ORIGIN=TARGET",
        help="practice only: serve ORIGIN from a server on this machine (the report says it was a practice run); "
        "repeat it for each site",
    )
    parser.add_argument(
        "--wordings",
        metavar="FILE",
        help='your own wordings for settings Optout did not find, as JSON {"setting id": ["wording", ...]}',
    )
    parser.add_argument("--rules", metavar="FILE", help="a rules file to use instead of the shipped rules")
    parser.add_argument("--rules-url", metavar="URL", help="fetch signed rules from this rules service")
    parser.add_argument("--platform", default="pinterest", help=argparse.SUPPRESS)
    parser.add_argument("--browser", metavar="PATH", help="the Chrome/Chromium/Edge to use")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    parser.add_argument("--timeout", type=positive_seconds, default=20.0, metavar="SECONDS", help="per page load")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (docs/report.md)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def run_command(args: argparse.Namespace) -> int:
    try:
        rules, rules_source = resolve(args)
        site_map = parse_site_map(args.site_map)
        request = RunRequest.parse(
            args.mode,
            rules,
            rules_source,
            selected_ids(rules, args.settings),
            check_cookies(run_cookies(args.cookies, rules, site_map)),  # malformed cookies are refused here
            site_map=site_map,
            wordings=read_wordings_file(args.wordings) if args.wordings else None,
            languages=person_languages(),
            origin=args.origin,
        )
    except (RulesError, CookieError, SiteMapError, UsageError, WordingsError) as error:
        print(f"optout: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except LoginNeeded as error:
        print(f"optout: {error}", file=sys.stderr)
        return ExitCode.LOGIN_REQUIRED
    recorded = RecordedRun(request, Store())
    try:
        recorded.begin()
    except RunBusy:
        print(f"optout: another Optout run for {rules.name} is going on; try again when it ends.", file=sys.stderr)
        return ExitCode.FAILED
    engine = engine_runner(
        site_map=request.site_map,
        browser_path=args.browser,
        headed=args.headed,
        timeout_seconds=args.timeout,
        languages=request.languages,
    )
    report, _ = recorded.finish(engine, _no_progress if args.quiet else print_progress, threading.Event())
    print(json.dumps(report.to_json(), indent=2) if args.json else render_table(report))
    if args.cookies is None and report.status == RunStatus.LOGIN_REQUIRED:
        print(f"optout: the saved {rules.name} login has ended. Run `optout login` to log in again.", file=sys.stderr)
    return exit_code_for(report.status)


def run_cookies(path: str | None, rules: RuleSet, site_map: dict[str, str]) -> Any:
    """The --cookies file, or else the login `optout login` kept (LoginNeeded when there is none)."""
    if path is not None:
        return read_cookies(path)
    return cookies_for_run(rules.platform, rules.name, practice=bool(site_map))


def person_languages() -> tuple[str, ...]:
    """The system's languages (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, else the locale module's), English when none:
    the run's browser asks Pinterest for them as the person's own browser would."""
    try:
        fallback = locale.getlocale()[0]
    except ValueError:  # a locale name Python cannot parse
        fallback = None
    return system_languages(os.environ, fallback)


def _no_progress(event: ProgressEvent) -> None:
    return


class UsageError(Exception):
    pass


def resolve(args: argparse.Namespace) -> tuple[RuleSet, str]:
    """The rules to run and where they came from ("file", "service", "cache" or "shipped")."""
    if args.rules and args.rules_url:
        raise UsageError("use --rules or --rules-url, not both")
    if args.rules:
        return load_rules_file(args.rules), "file"
    from native_host.rules.sources import resolve_rules

    resolved = resolve_rules(args.platform, args.rules_url)
    if args.rules_url and not args.quiet:
        print(in_plain_words(resolved.message), file=sys.stderr)
    return resolved.rules, resolved.source


def selected_ids(rules: RuleSet, text: str) -> list[str] | None:
    if text == "default":
        return None
    if text == "all":
        return rules.ids()
    ids = [part.strip() for part in text.split(",") if part.strip()]
    for setting_id in ids:
        rules.setting(setting_id)  # raises RulesError naming the known ids
    return ids


def read_cookies(path: str | None) -> Any:
    if path is None:
        return []
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        cookies = json.loads(text)
    except OSError as error:
        raise UsageError(f"cannot read the cookies file {path}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise UsageError(f"the cookies file {path} is not JSON: {error}") from error
    return cookies  # still unchecked: check_cookies is the one check


def print_progress(event: ProgressEvent) -> None:
    if event.step == "finished":
        return
    counter = f"[{event.done}/{event.total}]"
    print(f"  {counter} {event.message}", file=sys.stderr, flush=True)
