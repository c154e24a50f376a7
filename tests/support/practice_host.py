"""The native host for practice runs: the same host, with a site map that sends the platform to a local server.

Tests and benches only; never installed. The installed host takes no site map from anywhere the browser or an
inherited environment could set, so this entry point is the only way a host process runs on a replica, and its
`hello` and reports say `practice`.

    python tests/support/practice_host.py --site-map https://www.pinterest.com=http://127.0.0.1:PORT ORIGIN
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # started as a script, so the repository root is not on the path by itself
    sys.path.insert(0, str(ROOT))

from native_host.engine.site_map import parse_site_map  # noqa: E402
from native_host.messaging.host import main  # noqa: E402

SCRIPT = Path(__file__).resolve()


def command(python: str | Path, site_map: dict[str, str]) -> list[str]:
    """The command line that starts a practice host for `site_map`; the browser's arguments follow it."""
    entries = [f"--site-map={origin}={target}" for origin, target in site_map.items()]
    return [str(python), str(SCRIPT), *entries]


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The Optout native host on a practice replica (tests only).")
    parser.add_argument("--site-map", action="append", required=True, metavar="ORIGIN=TARGET")
    args, browser_args = parser.parse_known_args(argv)
    return main(browser_args, site_map=parse_site_map(args.site_map))


if __name__ == "__main__":
    sys.exit(run())
