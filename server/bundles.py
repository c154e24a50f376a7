"""Everything the service publishes, built once at start-up: signed bundles, their ETags, and the small documents.

A request only picks a prepared body; nothing is signed, parsed or serialised per request. Either every rules
file is valid and everything is published, or the start fails naming the file: never part of a bad set.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from native_host.rules import RulesError, RuleSet, parse_rules
from native_host.signing import BundleError, sign_bundle, verify_bundle
from server.keys import KeyRing

PRESIGNED_SUFFIX = ".bundle.json"
SCHEMA_FILENAME = "schema.json"


@dataclass(frozen=True)
class PublishedBundle:
    rules: RuleSet
    envelope: dict[str, Any]
    body: bytes  # the exact response body of GET /api/v1/rules/<platform>
    etag: str  # without quotes
    source: str  # the file it came from


@dataclass(frozen=True)
class Catalog:
    bundles: dict[str, PublishedBundle]
    keys: KeyRing
    platforms_body: bytes
    keys_body: bytes
    health_body: bytes

    def get(self, platform: str) -> PublishedBundle | None:
        return self.bundles.get(platform)


def current_catalog() -> Catalog:
    return current_app.extensions["optout"]


def build_catalog(settings: dict[str, Any], keys: KeyRing) -> Catalog:
    if settings["BUNDLES_DIR"]:
        bundles = load_presigned_dir(Path(settings["BUNDLES_DIR"]), keys)
    else:
        if keys.signing_key is None:
            raise RulesError("No signing key and no BUNDLES_DIR: there is nothing to serve.")
        bundles = sign_rules_dir(Path(settings["RULES_DIR"]), keys.signing_key)
    return Catalog(
        bundles=bundles,
        keys=keys,
        platforms_body=_json({"platforms": [_platform_summary(bundle) for bundle in bundles.values()]}),
        keys_body=_json({"keys": keys.published()}),
        health_body=_json({"status": "ok", "platforms": {name: b.rules.version for name, b in bundles.items()}}),
    )


def rules_files(rules_dir: Path) -> list[Path]:
    """One file per platform: every *.json in the rules directory except the schema."""
    return sorted(path for path in rules_dir.glob("*.json") if path.name != SCHEMA_FILENAME)


def sign_rules_dir(rules_dir: Path, signing_key: Ed25519PrivateKey) -> dict[str, PublishedBundle]:
    files = rules_files(rules_dir)
    if not files:
        raise RulesError(f"No rules files (*.json) in {rules_dir}: there is nothing to serve.")
    bundles = {}
    for path in files:
        raw = _read(path)
        rules = parse_rules(raw, source=str(path))
        _check_name(path, path.name.removesuffix(".json"), rules)
        envelope = sign_bundle(raw, rules.platform, rules.version, signing_key)
        bundles[rules.platform] = _published(rules, envelope, path)
    return bundles


def load_presigned_dir(bundles_dir: Path, keys: KeyRing) -> dict[str, PublishedBundle]:
    """Bundles made by `optout sign`: each must verify against a published key and parse, or the start fails."""
    files = sorted(bundles_dir.glob("*" + PRESIGNED_SUFFIX))
    if not files:
        raise RulesError(f"No signed bundles (*{PRESIGNED_SUFFIX}) in {bundles_dir}: there is nothing to serve.")
    if not keys.public_keys:
        raise RulesError(
            f"No public keys to check the bundles in {bundles_dir} against: add {bundles_dir}/keys.json "
            "(optout sign writes it) or set PUBLISHED_KEYS_FILE."
        )
    bundles = {}
    for path in files:
        try:
            envelope = json.loads(_read(path))
            raw = verify_bundle(envelope, keys.public_keys)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise RulesError(f"{path} is not valid JSON: {error}") from error
        except BundleError as error:
            raise RulesError(f"{path}: {error}") from error
        rules = parse_rules(raw, source=str(path))
        _check_name(path, path.name.removesuffix(PRESIGNED_SUFFIX), rules)
        bundles[rules.platform] = _published(rules, envelope, path)
    return bundles


def _published(rules: RuleSet, envelope: dict[str, Any], path: Path) -> PublishedBundle:
    body = _json(envelope)
    etag = hashlib.sha256(body).hexdigest()[:32]
    return PublishedBundle(rules=rules, envelope=envelope, body=body, etag=etag, source=str(path))


def _platform_summary(bundle: PublishedBundle) -> dict[str, Any]:
    rules = bundle.rules
    return {
        "platform": rules.platform,
        "name": rules.name,
        "version": rules.version,
        "updated": rules.updated,
        "min_engine_version": rules.min_engine_version,
        "settings": len(rules.settings),
        "key_id": bundle.envelope["key_id"],
        "rules": f"/api/v1/rules/{rules.platform}",
    }


def _check_name(path: Path, stem: str, rules: RuleSet) -> None:
    if stem != rules.platform:
        raise RulesError(f"{path} holds the rules for {rules.platform!r}; name the file after its platform.")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise RulesError(f"Cannot read {path}: {error.strerror}") from error


def _json(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
