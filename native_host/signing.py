"""Signed rule bundles: an Ed25519 signature over the exact bytes of a rules file, and the keys that make them.

The envelope is JSON:
    {"format": 1, "platform": "pinterest", "version": "2026.11.22", "key_id": "<16 hex>",
     "signature": "<base64 signature over the bundle bytes>", "bundle": "<base64 of the rules file bytes>"}

Only `bundle` is signed. `platform` and `version` are labels for caches and logs; verification checks that they
agree with the signed bytes, so a label can never point at rules it does not describe.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from native_host.rules import RulesError

ENVELOPE_FORMAT = 1
ALGORITHM = "Ed25519"
ENVELOPE_FIELDS = ("format", "platform", "version", "key_id", "signature", "bundle")
MAX_BUNDLE_BYTES = 1024 * 1024
PRIVATE_KEY_FILENAME = "signing_key.pem"
TRUSTED_KEYS_FILENAME = "trusted_keys.json"

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


def sign_bundle(raw: bytes, platform: str, version: str, private_key: Ed25519PrivateKey) -> dict:
    """The envelope for `raw`, the exact bytes of one platform's rules file."""
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
    envelope: Any, trusted_keys: dict[str, Ed25519PublicKey], expected_platform: str | None = None
) -> bytes:
    """The exact bundle bytes, once the signature checks out against a trusted key; BundleError otherwise.

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
    _check_labels(envelope, raw)
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


def _check_labels(envelope: dict, raw: bytes) -> None:
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
