"""Argument types the subcommands share: a bad value is a usage error (exit 2) with a sentence, never a crash."""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds above 0")
    return value


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port number is between 1 and 65535")
    return value


def positive_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def web_origin(text: str) -> str:
    """https://HOST as the rules name origins (a trailing slash allowed); whose sites it may be is the rules' call."""
    parts = urlsplit(text.strip())
    if parts.scheme != "https" or not parts.hostname or parts.port or parts.path not in ("", "/") or parts.query:
        raise argparse.ArgumentTypeError(f"{text!r} is not an origin like https://www.pinterest.de")
    return f"https://{parts.hostname}"
