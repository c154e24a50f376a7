"""`optout publish DIR`: write the rules service's answers as static files, for any static host or CDN."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from native_host.exit_codes import ExitCode
from native_host.rules.format import RulesError


def register(subparsers: argparse._SubParsersAction) -> None:
    text = (
        "Write the signed rule bundles, the platform list and the keys as static files at the rules service's "
        "paths, with a headers file, for a static host or CDN."
    )
    parser = subparsers.add_parser("publish", help=text, description=text)
    parser.add_argument("directory", metavar="DIR", help="where to write the files (created if missing)")
    parser.add_argument("--key", metavar="FILE", help="sign with this private key (default: as `optout serve` does)")
    parser.add_argument(
        "--bundles", metavar="DIR", help="publish bundles already signed by `optout sign --out DIR` instead of signing"
    )
    parser.set_defaults(run=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    from server import ConfigError
    from server.publish import HEADERS_FILENAME, publish

    overrides = {}
    if args.key:
        overrides["SIGNING_KEY_FILE"] = args.key
    if args.bundles:
        overrides["BUNDLES_DIR"] = args.bundles
    directory = Path(args.directory)
    try:
        files, catalog = publish(directory, overrides)
    except (ConfigError, RulesError) as error:
        print(f"optout publish: {error}", file=sys.stderr)
        return ExitCode.FAILED
    except OSError as error:
        print(f"optout publish: cannot write to {directory}: {error.strerror}", file=sys.stderr)
        return ExitCode.FAILED
    if catalog.keys.created:
        print(
            f"Created the signing key {catalog.keys.active_id} in {catalog.keys.signing_key_path} (owner-only); "
            "clients accept these bundles only once they pin or trust that key.",
            file=sys.stderr,
        )
    for file in files:
        print(f"{directory}{file.url_path}")
    print(f"Headers for the host: {directory / HEADERS_FILENAME} (see docs/server.md, Serving from a CDN).")
    return ExitCode.ALL_DONE
