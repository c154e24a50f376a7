"""`optout`: the command line. Each subcommand lives in native_host/cli/commands/<name>.py and registers itself."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

from native_host.cli import commands
from native_host.error_words import describe_os_error
from native_host.exit_codes import ExitCode
from native_host.paths import data_dir
from native_host.version import ENGINE_VERSION


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="optout",
        description="Opt your own Pinterest account out of AI training and ad personalization.",
    )
    parser.add_argument("--version", action="version", version=f"optout {ENGINE_VERSION}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return ExitCode.USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("\noptout: stopped at your request.", file=sys.stderr)
        return ExitCode.FAILED
    except OSError as error:  # a file or the network refused: say which, in words
        where = f" ({error.filename})" if error.filename else ""
        print(f"optout {args.command}: {describe_os_error(error)}{where}.", file=sys.stderr)
        return ExitCode.FAILED
    except Exception as error:  # noqa: BLE001 - people get a sentence and a file to report, never a traceback
        print(
            f"optout {args.command}: something unexpected went wrong ({type(error).__name__}). {_keep_details()}",
            file=sys.stderr,
        )
        return ExitCode.FAILED


def _keep_details() -> str:
    """Write the traceback where a bug report can pick it up; say where."""
    try:
        path = data_dir() / "last-error.txt"
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        return "Please report it with the command you ran."
    return f"The details are in {path}; please include them when you report it."


if __name__ == "__main__":
    sys.exit(main())
