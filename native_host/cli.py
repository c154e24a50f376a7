"""`optout`: the command line. Each subcommand lives in native_host/commands/<name>.py and registers itself."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from native_host import commands
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
        return 2
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
