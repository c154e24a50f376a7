"""The service's keys: the one that signs (if this server signs at all) and every public key it publishes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from native_host.rules.signing import (
    PRIVATE_KEY_FILENAME,
    key_id,
    load_or_create_private_key,
    load_private_key,
    load_public_keys,
    private_key_from_text,
    public_key_entry,
)

PRESIGNED_KEYS_FILENAME = "keys.json"


@dataclass(frozen=True)
class KeyRing:
    signing_key: Ed25519PrivateKey | None  # None: the server only serves bundles signed offline
    signing_key_path: Path | None  # where the signing key lives, when it is a file
    created: bool  # the signing key was created by this start
    public_keys: dict[str, Ed25519PublicKey]  # every published key by id, the active one first

    @property
    def active_id(self) -> str | None:
        return key_id(self.signing_key.public_key()) if self.signing_key else None

    def published(self) -> list[dict[str, Any]]:
        """GET /api/v1/keys: the signing key as "active", every other published key as "retired"."""
        return [
            public_key_entry(public_key, "active" if identifier == self.active_id else "retired")
            for identifier, public_key in self.public_keys.items()
        ]


def load_key_ring(settings: dict[str, Any]) -> KeyRing:
    """Keys as the settings say; a key that cannot be read stops the start (BundleError names the file)."""
    extra = load_public_keys(settings["PUBLISHED_KEYS_FILE"]) if settings["PUBLISHED_KEYS_FILE"] else {}
    if settings["BUNDLES_DIR"]:
        presigned = Path(settings["BUNDLES_DIR"]) / PRESIGNED_KEYS_FILENAME
        keys = load_public_keys(presigned) if presigned.exists() else {}
        return KeyRing(None, None, False, {**keys, **extra})
    signing_key, path, created = _signing_key(settings)
    active = signing_key.public_key()
    return KeyRing(signing_key, path, created, {key_id(active): active, **extra})


def _signing_key(settings: dict[str, Any]) -> tuple[Ed25519PrivateKey, Path | None, bool]:
    if settings["SIGNING_KEY"]:
        return private_key_from_text(settings["SIGNING_KEY"], "OPTOUT_SERVER_SIGNING_KEY"), None, False
    if settings["SIGNING_KEY_FILE"]:
        path = Path(settings["SIGNING_KEY_FILE"]).expanduser()
        return load_private_key(path), path, False
    path = Path(settings["DATA_DIR"]) / PRIVATE_KEY_FILENAME
    key, created = load_or_create_private_key(path)
    return key, path, created
