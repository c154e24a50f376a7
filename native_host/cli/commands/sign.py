"""`optout sign`: sign rules files offline, so the web server that publishes them never holds the private key."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from native_host.exit_codes import ExitCode
from native_host.rules.format import RulesError
from native_host.rules.paths import known_platforms, shipped_rules_path
from native_host.rules.signing import (
    MAX_LIFETIME,
    OFFLINE_LIFETIME,
    generate_private_key,
    key_id,
    load_private_key,
    load_public_keys,
    public_key_entry,
    public_key_to_text,
    save_private_key,
    save_public_keys,
    sign_rules_file,
    utc_now,
)

BUNDLE_SUFFIX = ".bundle.json"  # what the service reads from its BUNDLES_DIR
KEYS_FILENAME = "keys.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    text = "Sign rules files with a private key, for a rules service that serves pre-signed bundles."
    parser = subparsers.add_parser("sign", help=text, description=text)
    parser.add_argument(
        "rules", nargs="*", metavar="RULES_FILE", help="rules files to sign (default: every shipped rules file)"
    )
    parser.add_argument("--key", metavar="FILE", help="the Ed25519 private key (PEM) to sign with")
    parser.add_argument(
        "--out", metavar="DIR", help="write <platform>.bundle.json and keys.json here (the service's BUNDLES_DIR)"
    )
    parser.add_argument(
        "--new-key", metavar="FILE", help="create a new private key in FILE (owner-only) and print its public key"
    )
    parser.add_argument(
        "--days",
        type=_lifetime_days,
        default=OFFLINE_LIFETIME.days,
        metavar="N",
        help="the bundles expire N days from now; sign again before then (default: %(default)s)",
    )
    parser.set_defaults(run=run_sign)


def _lifetime_days(text: str) -> int:
    days = int(text)
    if not 1 <= days <= MAX_LIFETIME.days:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_LIFETIME.days}")
    return days


def run_sign(args: argparse.Namespace) -> int:
    try:
        if args.new_key:
            return _new_key(Path(args.new_key))
        if not args.key or not args.out:
            print("optout sign: give --key FILE and --out DIR (or --new-key FILE to create a key)", file=sys.stderr)
            return ExitCode.USAGE
        return _sign(args.rules, Path(args.key), Path(args.out), timedelta(days=args.days))
    except RulesError as error:
        print(f"optout sign: {error}", file=sys.stderr)
        return ExitCode.FAILED


def _new_key(path: Path) -> int:
    if path.exists():
        print(f"optout sign: {path} already exists; a key is never overwritten.", file=sys.stderr)
        return ExitCode.USAGE
    private_key = generate_private_key()
    save_private_key(private_key, path)
    entry = public_key_entry(private_key.public_key())
    print(f"Created {path} (owner-only). Keep it secret; publish and pin only its public key:")
    print(json.dumps(entry, indent=2))
    return ExitCode.ALL_DONE


def _sign(rules_files: list[str], key_path: Path, out: Path, lifetime: timedelta) -> int:
    private_key = load_private_key(key_path)
    paths = [Path(name) for name in rules_files] or [shipped_rules_path(name) for name in known_platforms()]
    now = utc_now()
    signed = [sign_rules_file(path, private_key, lifetime=lifetime, now=now) for path in paths]
    out.mkdir(parents=True, exist_ok=True)
    for bundle in signed:
        target = out / f"{bundle.rules.platform}{BUNDLE_SUFFIX}"
        target.write_text(json.dumps(bundle.envelope, indent=2) + "\n", encoding="utf-8")
        rules = bundle.rules
        print(f"Signed {rules.platform} rules version {rules.version}, valid until {rules.expires} -> {target}")
    public_key = private_key.public_key()
    _publish_key(out / KEYS_FILENAME, public_key)
    print(f"Key {key_id(public_key)} ({public_key_to_text(public_key)}) -> {out / KEYS_FILENAME}")
    return ExitCode.ALL_DONE


def _publish_key(path: Path, public_key: Ed25519PublicKey) -> None:
    """The signing key becomes "active"; keys already listed stay, as "retired", so a rotation keeps them."""
    entries = []
    if path.exists():
        load_public_keys(path)  # a damaged list stops here, naming the file
        document = json.loads(path.read_bytes())
        entries = [
            {**entry, "status": "retired"}
            for entry in document.get("keys", [])
            if entry.get("id") != key_id(public_key)
        ]
    save_public_keys([public_key_entry(public_key, "active"), *entries], path)
