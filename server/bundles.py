"""Everything the service publishes, built at start-up: signed bundles, their ETags, and the small documents.

A request only picks a prepared body; nothing is signed, parsed or serialised per request. Either every rules
file is valid and everything is published, or the start fails naming the file: never part of a bad set.

Bundles expire (native_host/rules/signing.py). A service that signs its own bundles signs them all again, from the rules
it read at start-up, on the first request after half of their lifetime has passed (`LiveCatalog`), so a client
never receives a bundle with less than half its lifetime left. Bundles signed offline (`BUNDLES_DIR`) cannot be
renewed here: their operator signs them again before they expire (docs/server.md).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from native_host.rules.format import RulesError, RuleSet, parse_rules
from native_host.rules.signing import SERVICE_LIFETIME, BundleError, sign_rules, utc_now, verify_bundle
from server.keys import KeyRing

Clock = Callable[[], datetime]

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
    renew_at: datetime | None  # when this server signs its bundles again; None: they were signed offline

    def get(self, platform: str) -> PublishedBundle | None:
        return self.bundles.get(platform)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class LiveCatalog:
    """The catalog requests see. It is replaced whole, never changed, so a request always sees one signing.

    Signings fall on a fixed grid: every half lifetime since the Unix epoch. Ed25519 signatures are
    deterministic, so every worker, whenever it started (with gunicorn --preload or without, on any machine),
    signs identical bytes with the same ETag, whichever of them renews first.
    """

    def __init__(self, settings: dict[str, Any], keys: KeyRing, clock: Clock = utc_now) -> None:
        self.keys = keys
        self._clock = clock
        self._lock = threading.Lock()
        self._lifetime = timedelta(hours=settings["BUNDLE_LIFETIME_HOURS"])
        self._rules_files: dict[Path, bytes] = {}  # read once: a renewal signs what the start checked
        self._started = clock().replace(microsecond=0)
        if settings["BUNDLES_DIR"]:
            bundles = load_presigned_dir(Path(settings["BUNDLES_DIR"]), keys, self._started)
            self._catalog = _catalog(bundles, keys, renew_at=None)
        else:
            if keys.signing_key is None:
                raise RulesError("No signing key and no BUNDLES_DIR: there is nothing to serve.")
            self._rules_files = read_rules_dir(Path(settings["RULES_DIR"]))
            # Signings fall on a grid anchored at the Unix epoch, not at this process's start: workers started in
            # different seconds (gunicorn without --preload, several machines) sign the same bytes, same ETag.
            self._catalog = self._signed_at(self._grid_point(self._started))

    def _grid_point(self, moment: datetime) -> datetime:
        """The latest signing moment of the grid (every half lifetime since the Unix epoch) at or before `moment`."""
        half = self._lifetime / 2
        return _EPOCH + (moment - _EPOCH) // half * half

    def now(self) -> datetime:
        return self._clock()

    def current(self) -> Catalog:
        catalog = self._catalog
        if catalog.renew_at is not None and self._clock() >= catalog.renew_at:
            with self._lock:
                if self._catalog is catalog:  # another request may have renewed it while this one waited
                    self._catalog = self._signed_at(self._grid_point(self._clock()))
            catalog = self._catalog
        return catalog

    def _signed_at(self, issued: datetime) -> Catalog:
        assert self.keys.signing_key is not None
        bundles = sign_rules_sources(self._rules_files, self.keys.signing_key, lifetime=self._lifetime, now=issued)
        return _catalog(bundles, self.keys, renew_at=issued + self._lifetime / 2)


def current_catalog() -> Catalog:
    return current_app.extensions["optout"].current()


def _catalog(bundles: dict[str, PublishedBundle], keys: KeyRing, renew_at: datetime | None) -> Catalog:
    return Catalog(
        bundles=bundles,
        keys=keys,
        platforms_body=_json({"platforms": [_platform_summary(bundle) for bundle in bundles.values()]}),
        keys_body=_json({"keys": keys.published()}),
        health_body=_json({"status": "ok", "platforms": {name: b.rules.version for name, b in bundles.items()}}),
        renew_at=renew_at,
    )


def rules_files(rules_dir: Path) -> list[Path]:
    """One file per platform: every *.json in the rules directory except the schema."""
    return sorted(path for path in rules_dir.glob("*.json") if path.name != SCHEMA_FILENAME)


def read_rules_dir(rules_dir: Path) -> dict[Path, bytes]:
    files = rules_files(rules_dir)
    if not files:
        raise RulesError(f"No rules files (*.json) in {rules_dir}: there is nothing to serve.")
    return {path: _read(path) for path in files}


def sign_rules_dir(
    rules_dir: Path,
    signing_key: Ed25519PrivateKey,
    *,
    lifetime: timedelta = SERVICE_LIFETIME,
    now: datetime | None = None,
) -> dict[str, PublishedBundle]:
    """Every rules file of `rules_dir` signed, by platform: all of them, or RulesError naming the bad file."""
    return sign_rules_sources(read_rules_dir(rules_dir), signing_key, lifetime=lifetime, now=now)


def sign_rules_sources(
    sources: dict[Path, bytes], signing_key: Ed25519PrivateKey, *, lifetime: timedelta, now: datetime | None = None
) -> dict[str, PublishedBundle]:
    """Rules files already read, each signed by `signing_key` with one issue time (signing.sign_rules)."""
    now = now or utc_now()
    bundles = {}
    for path, raw in sources.items():
        signed = sign_rules(raw, signing_key, lifetime=lifetime, now=now, source=str(path))
        _check_name(path, path.name.removesuffix(".json"), signed.rules)
        bundles[signed.rules.platform] = _published(signed.rules, signed.envelope, path)
    return bundles


def load_presigned_dir(bundles_dir: Path, keys: KeyRing, now: datetime | None = None) -> dict[str, PublishedBundle]:
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
            raw = verify_bundle(envelope, keys.public_keys, now=now)
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
