"""`optout install`, `optout uninstall` and `optout doctor`: set up, remove and check the native messaging host."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from native_host.exit_codes import ExitCode
from native_host.extension_ids import GECKO_ID, default_chrome_extension_id, is_chrome_extension_id, is_gecko_id
from native_host.messaging.install import (
    BROWSERS,
    Diagnosis,
    InstallError,
    current_system,
    diagnose,
    found_browsers,
    install,
    launcher_path,
    select_browsers,
    uninstall,
)
from native_host.paths import DATA_DIR_ENV, data_dir, host_install_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    text = (
        "Set up the native messaging host so the Optout extension can reach it, for every browser on this "
        "computer (or the ones named with --browser)."
    )
    parser = subparsers.add_parser("install", help=text, description=text)
    _add_browser_argument(parser, "default: every one found on this computer")
    parser.add_argument(
        "--extension-id",
        metavar="ID",
        help="the extension to serve: a Chrome-family id (default: extension/extension-id.txt) or a Firefox "
        f"add-on id (default: {GECKO_ID})",
    )
    parser.set_defaults(run=run_install)

    text = "Remove the native messaging host's manifests and launcher."
    parser = subparsers.add_parser("uninstall", help=text, description=text)
    _add_browser_argument(parser, "default: all of them")
    parser.set_defaults(run=run_uninstall)

    text = "Show where the host is installed and check that each browser's manifest starts a host that answers."
    parser = subparsers.add_parser("doctor", help=text, description=text)
    _add_browser_argument(parser, "default: all of them")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.set_defaults(run=run_doctor)


def _add_browser_argument(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--browser",
        action="append",
        choices=list(BROWSERS),
        help=f"only this browser (repeat for several; {default})",
    )


def run_install(args: argparse.Namespace) -> int:
    system = current_system()
    if args.browser:
        browsers = select_browsers(args.browser)
    else:
        browsers, missing = found_browsers(system=system, home=Path.home())
        if missing:
            print(f"Not found on this computer, skipped: {', '.join(browser.name for browser in missing)}.")
        if not browsers:
            print(
                "No browser Optout works with was found (Chrome, Chromium, Edge, Brave or Firefox). Install one, "
                "or name yours with --browser.",
                file=sys.stderr,
            )
            return ExitCode.FAILED
    chrome_id, gecko_id = default_chrome_extension_id(), GECKO_ID
    given = args.extension_id
    if given and is_gecko_id(given):
        gecko_id = given
        if args.browser and not any(browser.firefox for browser in browsers):
            print(f"'{given}' is a Firefox add-on id: use it with --browser firefox.", file=sys.stderr)
            return ExitCode.USAGE
    elif given and is_chrome_extension_id(given):
        chrome_id = given
    elif given:
        print(
            f"'{given}' is not an extension id: Chrome, Chromium, Edge and Brave use 32 letters from a to p, "
            "Firefox an add-on id such as name@example.org.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    if chrome_id is None and not all(browser.firefox for browser in browsers):
        print("No Chrome extension id known: pass --extension-id with your extension's id.", file=sys.stderr)
        return ExitCode.USAGE
    try:
        locations = install(
            browsers,
            chrome_id,
            gecko_id=gecko_id,
            system=system,
            home=Path.home(),
            base=data_dir(),
            data_dir_setting=os.environ.get(DATA_DIR_ENV),
        )
    except (InstallError, OSError) as error:
        print(f"Install failed: {error}", file=sys.stderr)
        return ExitCode.FAILED
    print(f"Host launcher: {launcher_path(system, host_install_dir(data_dir()))}")
    for location in locations:
        where = f"{location.manifest}" + (f" (registry HKCU\\{location.registry_key})" if location.registry_key else "")
        print(f"{location.browser.name}: {where}")
    served = [extension_id for extension_id in (chrome_id, gecko_id) if extension_id]
    print(f"Serving extension {' and '.join(served)}. Run 'optout doctor' to check each browser.")
    return ExitCode.ALL_DONE


def run_uninstall(args: argparse.Namespace) -> int:
    try:
        removed = uninstall(select_browsers(args.browser), system=current_system(), home=Path.home(), base=data_dir())
    except (InstallError, OSError) as error:
        print(f"Uninstall failed: {error}", file=sys.stderr)
        return ExitCode.FAILED
    for path in removed:
        print(f"Removed {path}")
    if not removed:
        print("Nothing to remove: the host was not installed.")
    return ExitCode.ALL_DONE


def run_doctor(args: argparse.Namespace) -> int:
    findings = diagnose(select_browsers(args.browser), system=current_system(), home=Path.home(), base=data_dir())
    if args.json:
        print(json.dumps([_finding_json(finding) for finding in findings], indent=2))
    else:
        for finding in findings:
            mark = "ok  " if finding.ok else ("--  " if not (finding.installed and finding.browser_found) else "FAIL")
            print(f"{mark} {finding.browser.name}: {finding.manifest}")
            print(f"     {finding.message}" + (f" in {finding.seconds * 1000:.0f} ms" if finding.ok else ""))
            if finding.host_path:
                print(f"     host: {finding.host_path}; serves {', '.join(finding.callers)}")
    # A manifest for a browser that is not on this computer reaches nobody: it neither passes nor fails.
    installed = [finding for finding in findings if finding.installed and finding.browser_found]
    if not installed:
        if not args.json:
            print("The host is not installed for any browser on this computer. Run 'optout install'.")
        return ExitCode.FAILED
    return ExitCode.ALL_DONE if all(finding.ok for finding in installed) else ExitCode.FAILED


def _finding_json(finding: Diagnosis) -> dict[str, object]:
    return {
        "browser": finding.browser.key,
        "manifest": str(finding.manifest),
        "browser_found": finding.browser_found,
        "installed": finding.installed,
        "ok": finding.ok,
        "message": finding.message,
        "host": finding.host_path,
        "callers": list(finding.callers),
        "hello": finding.hello,
        "seconds": None if finding.seconds is None else round(finding.seconds, 3),
    }
