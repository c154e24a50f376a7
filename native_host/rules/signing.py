"""Signed rule bundles: an Ed25519 signature over the exact bytes of a rules document, and the keys that make them.

The envelope is JSON:
    {"format": 1, "platform": "pinterest", "version": "2026.11.22", "key_id": "<16 hex>",
     "signature": "<base64 signature over the bundle bytes>", "bundle": "<base64 of the signed rules bytes>"}

Only `bundle` is signed. `platform` and `version` are labels for caches and logs; verification checks that they
agree with the signed bytes, so a label can never point at rules it does not describe.

The signer writes `issued` and `expires` into the rules document before signing (`sign_rules`), so the dates are
covered by the signature: a bundle is refused once it has expired, when it claims to be signed more than a day
ahead of this computer's clock, and when it carries no dates at all.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from native_host.rules.format import SIGNING_STAMPS, RulesError, RuleSet, parse_rules

ENVELOPE_FORMAT = 1
ALGORITHM = "Ed25519"
ENVELOPE_FIELDS = ("format", "platform", "version", "key_id", "signature", "bundle")
MAX_BUNDLE_BYTES = 1024 * 1024
PRIVATE_KEY_FILENAME = "signing_key.pem"
TRUSTED_KEYS_FILENAME = "trusted_keys.json"

# How long a bundle stays valid. The service signs for a week and signs again once half of that has passed;
# `optout sign` signs for a month by default (an operator re-signs from a schedule). docs/server.md explains.
SERVICE_LIFETIME = timedelta(days=7)
OFFLINE_LIFETIME = timedelta(days=30)
MAX_LIFETIME = timedelta(days=366)
# A bundle signed "in the future" beyond this is refused: clocks drift, but a far-future date would make every
# later genuine bundle look older than one already verified.
CLOCK_SLACK = timedelta(days=1)
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

PLATFORM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")


class BundleError(RulesError):
    """A signed bundle was refused: malformed, unknown key, bad signature, or labels that do not match."""


def key_id(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex characters of the SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_key_bytes(public_key)).hexdigest()[:16]


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_to_text(public_key: Ed25519PublicKey) -> str:
    return base64.b64encode(public_key_bytes(public_key)).decode("ascii")


def public_key_from_text(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError, TypeError) as error:
        raise BundleError(f"Not an Ed25519 public key (expected base64 of 32 bytes): {text!r}") from error


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_from_text(text: str | bytes, source: str = "the signing key") -> Ed25519PrivateKey:
    """A PEM (PKCS#8) Ed25519 private key, or base64 of its raw 32-byte seed."""
    data = text.encode("ascii", "replace") if isinstance(text, str) else text
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(data.strip(), validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise BundleError(f"{source} is not an unencrypted Ed25519 private key (PEM or base64): {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError(f"{source} is a {type(key).__name__}, not an Ed25519 private key")
    return key


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise BundleError(f"Cannot read the signing key {path}: {error.strerror}") from error
    return private_key_from_text(data, source=str(path))


def ensure_private_directory(directory: Path) -> None:
    """Create `directory` (owner-only, 0700) if needed; tighten it if it is ours and open to others."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and directory.stat().st_mode & 0o077:
        os.chmod(directory, 0o700)


def save_private_key(private_key: Ed25519PrivateKey, path: str | Path) -> None:
    """Write the key as PEM, readable by its owner only (0600, in a 0700 directory).

    Never overwrites a key (FileExistsError), and the file appears whole: written under a temporary name, then
    linked into place, so a second server worker starting at the same moment never reads half a key.
    """
    path = Path(path)
    ensure_private_directory(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_key_to_pem(private_key))
        os.link(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def load_or_create_private_key(path: str | Path) -> tuple[Ed25519PrivateKey, bool]:
    """The key at `path`, creating it (owner-only) on first use. The flag says whether it was created now."""
    path = Path(path)
    if path.exists():
        return load_private_key(path), False
    key = generate_private_key()
    try:
        save_private_key(key, path)
    except FileExistsError:
        # Another process (a second server worker) created it between our check and our write.
        return load_private_key(path), False
    return key, True


def public_key_entry(public_key: Ed25519PublicKey, status: str = "active", comment: str | None = None) -> dict:
    """How a public key is written in pinned_keys.json, trusted_keys.json, keys.json and GET /api/v1/keys."""
    entry: dict[str, Any] = {
        "id": key_id(public_key),
        "algorithm": ALGORITHM,
        "public_key": public_key_to_text(public_key),
        "status": status,
    }
    if comment:
        entry["comment"] = comment
    return entry


def public_keys_from_document(document: Any, source: str) -> dict[str, Ed25519PublicKey]:
    """Read `{"keys": [{"id", "algorithm", "public_key", ...}]}`; an id that does not match its key is refused."""
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise BundleError(f'{source} must be a JSON object with a "keys" list')
    keys: dict[str, Ed25519PublicKey] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("public_key"), str):
            raise BundleError(f'{source}: key {number} needs a "public_key" string')
        if entry.get("algorithm", ALGORITHM) != ALGORITHM:
            raise BundleError(f"{source}: key {number} is {entry.get('algorithm')!r}; only {ALGORITHM} is supported")
        public_key = public_key_from_text(entry["public_key"])
        derived = key_id(public_key)
        if entry.get("id", derived) != derived:
            raise BundleError(f"{source}: key {number} says its id is {entry['id']!r} but its key's id is {derived}")
        keys[derived] = public_key
    return keys


def load_public_keys(path: str | Path) -> dict[str, Ed25519PublicKey]:
    try:
        document = json.loads(Path(path).read_bytes())
    except OSError as error:
        raise BundleError(f"Cannot read the key list {path}: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(f"The key list {path} is not valid JSON: {error}") from error
    return public_keys_from_document(document, str(path))


def save_public_keys(entries: list[dict], path: str | Path) -> None:
    """Write a key list (entries as `public_key_entry` makes them) atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({"keys": entries}, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=UTC)


@dataclass(frozen=True)
class SignedRules:
    """One platform's rules, signed: the rules as a client will parse them and the envelope to publish."""

    rules: RuleSet
    envelope: dict[str, Any]

    @property
    def issued(self) -> datetime:
        return parse_stamp(self.rules.issued or "")

    @property
    def expires(self) -> datetime:
        return parse_stamp(self.rules.expires or "")


def sign_rules(
    raw: bytes,
    private_key: Ed25519PrivateKey,
    *,
    lifetime: timedelta,
    now: datetime | None = None,
    source: str = "the rules",
) -> SignedRules:
    """The one way to make a bundle: stamp `issued`/`expires` into the rules document, then sign those bytes.

    `raw` is a rules file. It is checked first, because no client would run rules that fail `parse_rules`.
    """
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise BundleError(f"A bundle lifetime must be more than nothing and at most {MAX_LIFETIME.days} days.")
    parse_rules(raw, source=source)
    document = {key: value for key, value in json.loads(raw).items() if key not in SIGNING_STAMPS}
    issued = (now or utc_now()).astimezone(UTC).replace(microsecond=0)
    document["issued"] = stamp(issued)
    document["expires"] = stamp(issued + lifetime)
    signed_raw = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    rules = parse_rules(signed_raw, source=source)
    return SignedRules(rules, sign_bundle(signed_raw, rules.platform, rules.version, private_key))


def sign_rules_file(
    path: str | Path, private_key: Ed25519PrivateKey, *, lifetime: timedelta, now: datetime | None = None
) -> SignedRules:
    """`sign_rules` for a rules file on disk (the service, `optout sign` and `optout publish` all use this)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise RulesError(f"Cannot read the rules file {path}: {error.strerror}") from error
    return sign_rules(raw, private_key, lifetime=lifetime, now=now, source=str(path))


def sign_bundle(raw: bytes, platform: str, version: str, private_key: Ed25519PrivateKey) -> dict:
    """The envelope for `raw`, the exact bytes signed. Clients refuse bytes without dates: use `sign_rules`."""
    if not PLATFORM_NAME.match(platform):
        raise BundleError(f"Cannot sign: {platform!r} is not a platform name")
    return {
        "format": ENVELOPE_FORMAT,
        "platform": platform,
        "version": version,
        "key_id": key_id(private_key.public_key()),
        "signature": base64.b64encode(private_key.sign(raw)).decode("ascii"),
        "bundle": base64.b64encode(raw).decode("ascii"),
    }


def verify_bundle(
    envelope: Any,
    trusted_keys: dict[str, Ed25519PublicKey],
    expected_platform: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The exact bundle bytes, once the signature checks out against a trusted key and the signed dates say the
    bundle is valid at `now`; BundleError otherwise.

    The bytes are still only *authentic*: `parse_rules` decides whether this engine can run them.
    """
    _check_shape(envelope)
    platform = envelope["platform"]
    if expected_platform is not None and platform != expected_platform:
        raise BundleError(f"The bundle is for {platform!r}, not {expected_platform!r}; refused.")
    public_key = trusted_keys.get(envelope["key_id"])
    if public_key is None:
        known = ", ".join(sorted(trusted_keys)) or "none"
        raise BundleError(
            f"The {platform} bundle is signed by key {envelope['key_id']}, which this copy of Optout does not "
            f"trust (trusted keys: {known}); refused."
        )
    signature = _decode(envelope["signature"], "signature")
    raw = _decode(envelope["bundle"], "bundle")
    try:
        public_key.verify(signature, raw)
    except InvalidSignature as error:
        raise BundleError(
            f"The {platform} bundle's signature does not match its contents (key {envelope['key_id']}): "
            "it was changed after signing; refused."
        ) from error
    document = _check_labels(envelope, raw)
    _check_dates(envelope, document, now or utc_now())
    return raw


def _check_shape(envelope: Any) -> None:
    if not isinstance(envelope, dict):
        raise BundleError("The bundle is not a JSON object; refused.")
    missing = [field for field in ENVELOPE_FIELDS if field not in envelope]
    if missing:
        raise BundleError(f"The bundle lacks {', '.join(missing)}; refused.")
    extra = sorted(set(envelope) - set(ENVELOPE_FIELDS))
    if extra:
        raise BundleError(f"The bundle has unknown fields {', '.join(extra)}; refused.")
    if envelope["format"] != ENVELOPE_FORMAT or isinstance(envelope["format"], bool):
        raise BundleError(f"The bundle is format {envelope['format']!r}; this Optout reads format {ENVELOPE_FORMAT}.")
    for field in ENVELOPE_FIELDS[1:]:
        if not isinstance(envelope[field], str):
            raise BundleError(f"The bundle's {field} must be a string; refused.")
    if not PLATFORM_NAME.match(envelope["platform"]):
        raise BundleError(f"The bundle names no valid platform ({envelope['platform']!r}); refused.")
    if not _KEY_ID.match(envelope["key_id"]):
        raise BundleError(f"The bundle's key id {envelope['key_id']!r} is not 16 hex characters; refused.")
    if len(envelope["bundle"]) > MAX_BUNDLE_BYTES * 4 // 3 + 4:
        raise BundleError(f"The bundle is larger than {MAX_BUNDLE_BYTES} bytes; refused.")


def _decode(text: str, field: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BundleError(f"The bundle's {field} is not valid base64; refused.") from error


def _check_labels(envelope: dict, raw: bytes) -> dict[str, Any]:
    """The unsigned labels must describe the signed rules, so a cache or a log can trust them."""
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(f"The signed {envelope['platform']} bundle is not JSON: {error}; refused.") from error
    if not isinstance(document, dict):
        raise BundleError("The signed bundle is not a JSON object; refused.")
    if document.get("platform") != envelope["platform"]:
        raise BundleError(
            f"The envelope says {envelope['platform']!r} but the signed rules are for "
            f"{document.get('platform')!r}; refused."
        )
    if document.get("version") != envelope["version"]:
        raise BundleError(
            f"The envelope says version {envelope['version']!r} but the signed rules are version "
            f"{document.get('version')!r}; refused."
        )
    return document


def _check_dates(envelope: dict, document: dict[str, Any], now: datetime) -> None:
    name = f"The {envelope['platform']} bundle version {envelope['version']}"
    try:
        issued, expires = parse_stamp(document["issued"]), parse_stamp(document["expires"])
    except (KeyError, TypeError, ValueError):
        raise BundleError(
            f"{name} carries no valid signing and expiry dates inside its signed rules; refused. "
            "Sign it again with this version of Optout."
        ) from None
    if issued > now + CLOCK_SLACK:
        raise BundleError(
            f"{name} says it was signed on {stamp(issued)}, more than a day ahead of this computer's clock "
            f"({stamp(now)}); refused."
        )
    if expires <= issued:
        raise BundleError(f"{name} expires before it was signed; refused.")
    if expires <= now:
        raise BundleError(f"{name} expired on {stamp(expires)}; refused. Its publisher has to sign it again.")
