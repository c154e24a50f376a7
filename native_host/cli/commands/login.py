"""`optout login` and `optout logout`: keep a login for the command line and scheduled runs, or forget it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from native_host.cli.arguments import positive_seconds, web_origin
from native_host.cli.session_vault import KEY_PLACE_WORDS, forget_login, key_file_path, save_login, session_path
from native_host.engine.login_window import LoginFailed, LoginOptions, log_in
from native_host.engine.site_map import SiteMapError, parse_site_map
from native_host.exit_codes import ExitCode
from native_host.rules.format import RulesError, load_shipped_rules


def register(subparsers: argparse._SubParsersAction) -> None:
    text = (
        "Open Pinterest's login page in a browser window and keep your login, encrypted, for `optout check` "
        "and `optout apply`."
    )
    parser = subparsers.add_parser("login", help=text, description=text)
    parser.add_argument(
        "--wait",
        type=positive_seconds,
        default=300.0,
        metavar="SECONDS",
        help="how long to wait for you to log in (default: %(default)g)",
    )
    parser.add_argument("--browser", metavar="PATH", help="the Chrome/Chromium/Edge to open")
    parser.add_argument(
        "--origin",
        type=web_origin,
        help="the Pinterest site of your country to log in on, e.g. https://www.pinterest.de "
        "(default: https://www.pinterest.com)",
    )
    parser.add_argument(
        "--no-keyring",
        action="store_true",
        help="keep the key in a file readable only by you, not in the system keyring (for scheduled runs that "
        "cannot reach the keyring)",
    )
    parser.add_argument(
        "--site-map",
        action="append",
        metavar="ORIGIN=TARGET",
        help="practice only: log in to a server on this machine that stands in for ORIGIN",
    )
    parser.add_argument("--platform", default="pinterest", help=argparse.SUPPRESS)
    # Tests log in through a window nobody sees; a person needs to see the window to log in.
    parser.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(run=run_login)

    text = "Forget the login `optout login` kept: delete it and its key."
    parser = subparsers.add_parser("logout", help=text, description=text)
    parser.add_argument("--platform", default="pinterest", help=argparse.SUPPRESS)
    parser.set_defaults(run=run_logout)


def run_login(args: argparse.Namespace, on_login_page: Callable[[Any], None] | None = None) -> int:
    """`on_login_page(page)` runs once the login page is open (tests log in through it)."""
    try:
        rules = load_shipped_rules(args.platform)
        site_map = parse_site_map(args.site_map)
        if args.origin and rules.site_for(args.origin) is None:
            raise RulesError(f"{args.origin} is not one of {rules.name}'s sites, such as {rules.canonical_origin}.")
    except (RulesError, SiteMapError) as error:
        print(f"optout login: {error}", file=sys.stderr)
        return ExitCode.USAGE
    options = LoginOptions(
        site_map=site_map,
        browser_path=args.browser,
        headed=not args.headless,
        wait_seconds=args.wait,
        origin=args.origin,
    )
    if site_map:
        print(f"Practice login: {', '.join(site_map.values())} stands in for {rules.name}.", file=sys.stderr)
    try:
        cookies = log_in(rules, options, on_login_page, say=lambda text: print(text, file=sys.stderr, flush=True))
    except LoginFailed as failed:
        print(f"optout login: {failed.message}", file=sys.stderr)
        return ExitCode.LOGIN_REQUIRED if failed.login_needed else ExitCode.FAILED
    saved = save_login(rules.platform, cookies, practice=bool(site_map), use_keyring=not args.no_keyring)
    where = KEY_PLACE_WORDS[saved.key_place]
    if saved.key_place == "file":
        where += f" ({key_file_path(rules.platform)})"
    print(
        f"Logged in to {rules.name}{' (practice site)' if saved.practice else ''}. `optout check` and `optout apply` "
        f"now use this login. It is kept encrypted in {session_path(rules.platform)}, its key in {where}. "
        "`optout logout` removes both."
    )
    return ExitCode.ALL_DONE


def run_logout(args: argparse.Namespace) -> int:
    try:
        rules = load_shipped_rules(args.platform)
    except RulesError as error:
        print(f"optout logout: {error}", file=sys.stderr)
        return ExitCode.USAGE
    removed = forget_login(rules.platform)
    if not removed:
        print(f"There was no saved {rules.name} login to remove.")
        return ExitCode.ALL_DONE
    print("Removed " + ", ".join(removed) + ".")
    print(
        f"{rules.name} itself still counts that login until it ends; to end it there too, log out of {rules.name} "
        "in your browser or in its security settings."
    )
    return ExitCode.ALL_DONE
