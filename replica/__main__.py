"""`python -m replica`: run a replica on its own and print its URL."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from replica.config import (
    FAULTS,
    GESTALT_SAVES,
    LANGUAGES,
    PRIVACY_PATHS,
    SAVE_MODELS,
    SECTION_STYLES,
    VARIANTS,
    ConfigError,
    ReplicaConfig,
)
from replica.server import serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m replica", description="Run the Pinterest settings replica.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="switch")
    parser.add_argument("--fault", action="append", default=[], choices=sorted(FAULTS), help="repeat to combine")
    parser.add_argument("--privacy-path", choices=PRIVACY_PATHS, default=PRIVACY_PATHS[0])
    parser.add_argument("--alias-status", type=int, default=302)
    parser.add_argument("--slow-seconds", type=float, default=1.5)
    parser.add_argument("--drop-key", action="append", default=[], help="with --fault drop_changes: only these keys")
    parser.add_argument("--blocked-status", type=int, default=429)
    parser.add_argument("--save-label", default="", help="the save button's text (default: Done, legacy: Save)")
    parser.add_argument("--late-seconds", type=float, default=1.0, help="with --fault late_states")
    parser.add_argument("--late-draw-seconds", type=float, default=0.0, help="with --fault late_states")
    parser.add_argument("--leave-to", default="", help="with --fault leaves_site: the origin the page moves to")
    parser.add_argument("--leave-seconds", type=float, default=0.3, help="with --fault leaves_site")
    parser.add_argument("--save-model", choices=sorted(SAVE_MODELS), default="")
    parser.add_argument("--section-style", choices=sorted(SECTION_STYLES), default="heading")
    parser.add_argument("--language", choices=sorted(LANGUAGES), default="en", help="the pages' language")
    parser.add_argument("--no-html-lang", action="store_true", help="pages name no language (<html> without lang)")
    parser.add_argument(
        "--untranslated", action="append", default=[], metavar="KEY", help="a setting whose title stays English"
    )
    parser.add_argument("--seed", type=int, default=None, help="fixes the generated ids and class names")
    parser.add_argument(
        "--gestalt-delay",
        type=float,
        default=ReplicaConfig.gestalt_delay,
        help="gestalt: seconds before the states arrive",
    )
    parser.add_argument("--gestalt-save", choices=GESTALT_SAVES, default=GESTALT_SAVES[0])
    parser.add_argument(
        "--domain",
        default=ReplicaConfig.domain,
        help="the Pinterest host to serve as, e.g. www.pinterest.de (its sessions' cookies are on that host's jar)",
    )
    parser.add_argument("--cookies-out", type=Path, help="write a logged-in session's cookies (Chrome JSON) here")
    return parser


def config_from_args(args: argparse.Namespace) -> ReplicaConfig:
    return ReplicaConfig(
        variant=args.variant,
        faults=frozenset(args.fault),
        privacy_path=args.privacy_path,
        alias_status=args.alias_status,
        slow_seconds=args.slow_seconds,
        drop_keys=frozenset(args.drop_key),
        blocked_status=args.blocked_status,
        save_label=args.save_label,
        seed=args.seed,
        gestalt_delay=args.gestalt_delay,
        gestalt_save=args.gestalt_save,
        late_seconds=args.late_seconds,
        late_draw_seconds=args.late_draw_seconds,
        leave_to=args.leave_to,
        leave_seconds=args.leave_seconds,
        save_model=args.save_model,
        section_style=args.section_style,
        language=args.language,
        html_lang=not args.no_html_lang,
        untranslated=frozenset(args.untranslated),
        domain=args.domain,
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = config_from_args(args)
    except ConfigError as error:
        print(f"replica: {error}", file=sys.stderr)
        return 2
    server = serve(config, host=args.host, port=args.port)  # Werkzeug itself explains a busy port and exits
    if args.cookies_out:
        try:
            args.cookies_out.write_text(json.dumps(server.store.new_session(), indent=2))
        except OSError as error:
            server.stop()
            reason = error.strerror or error
            print(f"replica: cannot write the cookies to {args.cookies_out}: {reason}", file=sys.stderr)
            return 2
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
