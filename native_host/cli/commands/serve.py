"""`optout serve`: run the rules service on this computer (waitress, 127.0.0.1 by default)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from native_host.cli.arguments import port_number, positive_count
from native_host.exit_codes import ExitCode
from native_host.rules.format import RulesError

DEFAULT_PORT = 8787  # the port the extension's manifest grants itself


def register(subparsers: argparse._SubParsersAction) -> None:
    text = "Run the rules service that publishes signed rule bundles (on 127.0.0.1 unless told otherwise)."
    parser = subparsers.add_parser("serve", help=text, description=text)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help="port to listen on (default: %(default)s)"
    )
    parser.add_argument("--threads", type=positive_count, default=4, help="worker threads (default: %(default)s)")
    parser.add_argument(
        "--no-trust",
        action="store_true",
        help="do not add this service's signing key to the keys this computer's Optout trusts",
    )
    parser.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import waitress

    from native_host.rules.sources import add_trusted_key
    from server import ConfigError, create_app
    from server.limits import waitress_limits

    try:
        app = create_app()
    except (ConfigError, RulesError) as error:
        print(f"optout serve: cannot start: {error}", file=sys.stderr)
        return ExitCode.FAILED
    keys = app.extensions["optout"].keys
    if keys.created:
        print(f"Created the signing key {keys.active_id} in {keys.signing_key_path} (owner-only).", file=sys.stderr)
    if keys.signing_key is not None and not args.no_trust:
        trusted = add_trusted_key(
            keys.signing_key.public_key(), Path(app.config["DATA_DIR"]), comment="added by optout serve"
        )
        print(f"Optout on this computer trusts key {keys.active_id} ({trusted}).", file=sys.stderr)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"Listening on {args.host}: set OPTOUT_SERVER_ALLOWED_HOSTS to the names clients use to reach it.",
            file=sys.stderr,
        )
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Serving Optout rules on http://{shown}:{args.port}/ (Ctrl+C stops it).", file=sys.stderr, flush=True)
    waitress.serve(
        app,
        host=args.host,
        port=args.port,
        threads=args.threads,
        ident="optout",
        _quiet=True,
        **waitress_limits(app.config),
    )
    return ExitCode.ALL_DONE
