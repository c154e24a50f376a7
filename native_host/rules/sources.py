"""Which rules run: the one place that decides, for the CLI, the native host and every way rules arrive.

Rules come from four places: the rules service (`resolve_rules`), a bundle the extension hands over
(`accept_bundle`), the last good bundle kept in the data directory (the cache), and the rules shipped with
Optout. A signed bundle, from the service, the extension or the cache alike, is run only when

- its signature checks out against a trusted key, and the dates signed into it say it is valid now
  (not expired, not signed more than a day ahead of this computer's clock);
- `parse_rules` accepts it (schema, engine version, sites within the platform's own);
- it is not older than the highest version this computer has verified for the platform, nor the same version
  with other content (a digest of what the rules say is kept with that version).

A bundle that passes becomes the last good copy and raises that highest version, written atomically to
`<data dir>/rules_cache/verified.json` while holding a lock beside it, so two processes taking bundles at once
cannot lower it. A bundle that fails is refused loudly, never run, and never replaces the
last good copy. When no bundle can be used the shipped rules run: they are trusted because they were installed.

Trusted keys are the project's pinned keys (native_host/rules/pinned_keys.json), plus keys the user added on
purpose: `<data dir>/trusted_keys.json` (which `optout serve` writes for the key it creates). Nothing in the
environment adds a key: an inherited variable must never change what the helper trusts.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from native_host.addresses import is_loopback
from native_host.file_lock import LockBusy, held_exclusively
from native_host.paths import data_dir as default_data_dir
from native_host.rules.format import RulesError, RuleSet, content_digest, parse_rules
from native_host.rules.paths import cache_path, shipped_rules_path, verified_path
from native_host.rules.signing import (
    MAX_BUNDLE_BYTES,
    PLATFORM_NAME,
    TRUSTED_KEYS_FILENAME,
    BundleError,
    key_id,
    load_public_keys,
    public_key_entry,
    save_public_keys,
    verify_bundle,
)
from native_host.version import ENGINE_VERSION, parse_version

PINNED_KEYS_PATH = Path(__file__).resolve().parent / "pinned_keys.json"
FETCH_TIMEOUT_SECONDS = 5.0
# The envelope is base64 (4/3 of the bundle) plus a few short fields.
MAX_ENVELOPE_BYTES = MAX_BUNDLE_BYTES * 2

RulesSource = Literal["service", "cache", "shipped"]
VERIFIED_LOCK_FILENAME = ".verified.lock"


@dataclass(frozen=True)
class ResolvedRules:
    rules: RuleSet
    source: RulesSource
    message: str
    document: dict[str, Any]  # the verified rules document, as the `rules` request answers it
    refused: str | None = None  # why a bundle (from the service or the extension) was refused, when one was


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle whose signature, dates and rules all passed; not yet compared with what was verified before."""

    rules: RuleSet
    document: dict[str, Any]
    envelope: dict[str, Any]
    digest: str


class ServiceUnreachable(Exception):
    """The rules service could not be asked (network, HTTP error, not JSON); the fallbacks apply."""


# ---- keys ----------------------------------------------------------------------------------------------------


def load_trusted_keys(data_dir: Path | None = None) -> dict[str, Ed25519PublicKey]:
    """Pinned keys plus the keys the user chose to trust; a broken extra file is an error, not ignored."""
    keys = dict(load_public_keys(PINNED_KEYS_PATH))
    user_file = (data_dir or default_data_dir()) / TRUSTED_KEYS_FILENAME
    if user_file.exists():
        keys.update(load_public_keys(user_file))
    return keys


def add_trusted_key(public_key: Ed25519PublicKey, data_dir: Path | None = None, comment: str | None = None) -> Path:
    """Trust `public_key` on this computer from now on (`<data dir>/trusted_keys.json`); returns that file."""
    path = (data_dir or default_data_dir()) / TRUSTED_KEYS_FILENAME
    entries = []
    if path.exists():
        load_public_keys(path)  # refuses a damaged file rather than overwriting it
        document = json.loads(path.read_bytes())
        entries = [entry for entry in document["keys"] if entry.get("id") != key_id(public_key)]
    entries.append(public_key_entry(public_key, "trusted", comment))
    save_public_keys(entries, path)
    return path


# ---- one bundle ----------------------------------------------------------------------------------------------


def verify_envelope(
    envelope: Any, trusted_keys: dict[str, Ed25519PublicKey], platform: str | None = None, now: datetime | None = None
) -> VerifiedBundle:
    """Signature, dates and rules of one bundle; BundleError or RulesError (both RulesError) when refused."""
    raw = verify_bundle(envelope, trusted_keys, expected_platform=platform, now=now)
    document = json.loads(raw)
    rules = parse_rules(document, source=f"the {envelope['platform']} bundle signed by key {envelope['key_id']}")
    return VerifiedBundle(rules, document, envelope, content_digest(document))


def rules_from_envelope(
    envelope: Any, trusted_keys: dict[str, Ed25519PublicKey] | None = None, platform: str | None = None
) -> RuleSet:
    """The rules in a bundle that verifies (signature, dates, rules), without the rollback check of accept_bundle."""
    keys = load_trusted_keys() if trusted_keys is None else trusted_keys
    return verify_envelope(envelope, keys, platform).rules


# ---- what this computer has verified before ------------------------------------------------------------------


def _read_verified(data_dir: Path) -> dict[str, Any]:
    try:
        document = json.loads(verified_path(data_dir).read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        # Refusing every bundle is safer than forgetting which versions were seen: an old bundle could pass.
        raise RulesError(
            f"The record of verified rules versions ({verified_path(data_dir)}) cannot be read: {error}. "
            "Delete it to start again from the shipped rules."
        ) from error
    return document if isinstance(document, dict) else {}


def highest_verified(platform: str, data_dir: Path) -> tuple[str, str] | None:
    """(version, content digest) of the highest bundle version verified on this computer, if any."""
    entry = _read_verified(data_dir).get(platform)
    if isinstance(entry, dict) and isinstance(entry.get("version"), str) and isinstance(entry.get("digest"), str):
        return entry["version"], entry["digest"]
    return None


def _record_verified(bundle: VerifiedBundle, data_dir: Path) -> None:
    record = _read_verified(data_dir)
    held = highest_verified(bundle.rules.platform, data_dir)
    if held is not None and parse_version(held[0]) >= parse_version(bundle.rules.version):
        return
    record[bundle.rules.platform] = {"version": bundle.rules.version, "digest": bundle.digest}
    _write_atomically(verified_path(data_dir), json.dumps(record, indent=2, sort_keys=True) + "\n")


def _write_atomically(path: Path, text: str) -> None:
    """Write whole or not at all: a temporary file, flushed to disk, renamed over the old one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _shipped(platform: str) -> tuple[RuleSet, dict[str, Any]]:
    path = shipped_rules_path(platform)
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise RulesError(f"Cannot read the rules file {path}: {error.strerror}") from error
    except ValueError as error:
        raise RulesError(f"{path} is not valid JSON: {error}") from error
    return parse_rules(document, source=str(path)), document


def _refuse_rollback(bundle: VerifiedBundle, data_dir: Path) -> None:
    """BundleError when `bundle` is older than rules already held, or the same version saying something else."""
    floors: list[tuple[str, str, str]] = []
    held = highest_verified(bundle.rules.platform, data_dir)
    if held is not None:
        floors.append((*held, "already verified on this computer"))
    try:
        shipped, document = _shipped(bundle.rules.platform)
        floors.append((shipped.version, content_digest(document), "shipped with this Optout"))
    except RulesError:
        pass
    name = f"The {bundle.rules.platform} bundle version {bundle.rules.version}"
    for version, digest, where in floors:
        if parse_version(bundle.rules.version) < parse_version(version):
            raise BundleError(f"{name} is older than version {version} {where} (an old bundle sent again); refused.")
        if bundle.rules.version == version and bundle.digest != digest:
            raise BundleError(f"{name} says something other than the version {version} {where}; refused.")


# ---- the decision --------------------------------------------------------------------------------------------


def accept_bundle(
    envelope: Any,
    platform: str,
    *,
    data_dir: Path | None = None,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    now: datetime | None = None,
) -> RuleSet:
    """Take a bundle from any source (the service, the extension); it becomes the last good copy.

    Raises RulesError, with a sentence saying why, when the bundle must not run.
    """
    data_dir = data_dir or default_data_dir()
    keys = load_trusted_keys(data_dir) if trusted_keys is None else trusted_keys
    bundle = verify_envelope(envelope, keys, platform, now)
    try:
        with held_exclusively(verified_path(data_dir).with_name(VERIFIED_LOCK_FILENAME)):
            # Compare and record under one lock, or a process holding an older bundle could write the record last.
            _refuse_rollback(bundle, data_dir)
            _record_verified(bundle, data_dir)
            cached = _cached_bundle(platform, keys, data_dir, now)
            if cached is None or _newer(bundle, cached):
                _write_atomically(cache_path(platform, data_dir), json.dumps(envelope))
    except LockBusy as error:
        raise RulesError(f"Another Optout is taking new rules right now ({error}); try again in a moment.") from None
    return bundle.rules


def _newer(bundle: VerifiedBundle, cached: VerifiedBundle) -> bool:
    """A higher version, or the same version signed again with a later expiry (the service re-signs)."""
    ours, theirs = parse_version(bundle.rules.version), parse_version(cached.rules.version)
    return ours > theirs or (ours == theirs and (bundle.rules.expires or "") > (cached.rules.expires or ""))


def _cached_bundle(
    platform: str, keys: dict[str, Ed25519PublicKey], data_dir: Path, now: datetime | None
) -> VerifiedBundle | None:
    """The last good bundle, verified again (the file may have been changed or expired); None when unusable."""
    try:
        return _load_cache(platform, keys, data_dir, now)
    except RulesError:
        return None


def _load_cache(
    platform: str, keys: dict[str, Ed25519PublicKey], data_dir: Path, now: datetime | None
) -> VerifiedBundle | None:
    path = cache_path(platform, data_dir)
    try:
        envelope = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RulesError(f"The cached rules {path} cannot be read: {error}") from error
    bundle = verify_envelope(envelope, keys, platform, now)
    _refuse_rollback(bundle, data_dir)
    return bundle


def held_rules(
    platform: str,
    *,
    data_dir: Path | None = None,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    now: datetime | None = None,
    reason: str | None = None,
    refused: str | None = None,
) -> ResolvedRules:
    """The rules this computer holds: the last good bundle when it still verifies and is newer than the shipped
    rules, else the shipped rules. `reason` (why nothing newer was taken) starts the message."""
    _check_platform_name(platform)
    data_dir = data_dir or default_data_dir()
    problems = [reason] if reason else []
    try:
        keys = load_trusted_keys(data_dir) if trusted_keys is None else trusted_keys
        cached = _load_cache(platform, keys, data_dir, now)
    except RulesError as error:
        cached = None
        problems.append(f"The last good rules were refused too: {error}")
    try:
        shipped, shipped_document = _shipped(platform)
    except RulesError as error:
        if cached is None:
            raise RulesError(f"No usable rules for {platform}. {' '.join(problems)} {error}".strip()) from error
        shipped = None
    explanation = " ".join(problems + [""])
    if cached is not None and (shipped is None or parse_version(cached.rules.version) > parse_version(shipped.version)):
        message = f"{explanation}Using the last good rules (version {cached.rules.version})."
        return ResolvedRules(cached.rules, "cache", message, cached.document, refused)
    assert shipped is not None
    message = f"{explanation}Using the rules shipped with Optout {ENGINE_VERSION} (version {shipped.version})."
    return ResolvedRules(shipped, "shipped", message, shipped_document, refused)


def rules_with_bundle(
    platform: str,
    envelope: Any,
    *,
    data_dir: Path | None = None,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    now: datetime | None = None,
) -> ResolvedRules:
    """The held rules after offering them `envelope` (the native host's `rules` request with a bundle)."""
    try:
        accept_bundle(envelope, platform, data_dir=data_dir, trusted_keys=trusted_keys, now=now)
    except RulesError as error:
        refusal = f"The rules bundle was refused: {error}"
        return held_rules(
            platform, data_dir=data_dir, trusted_keys=trusted_keys, now=now, reason=refusal, refused=refusal
        )
    return held_rules(platform, data_dir=data_dir, trusted_keys=trusted_keys, now=now)


def resolve_rules(
    platform: str,
    rules_url: str | None,
    *,
    data_dir: Path | None = None,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    timeout: float = FETCH_TIMEOUT_SECONDS,
    now: datetime | None = None,
) -> ResolvedRules:
    """The rules to run for `platform`, and where they came from.

    Without `rules_url` nothing is fetched: the held rules (last good bundle or shipped). With it: the service's
    bundle when `accept_bundle` takes it; otherwise the held rules, saying why. Raises RulesError only for a bad
    URL or when no rules at all can be used.
    """
    _check_platform_name(platform)
    data_dir = data_dir or default_data_dir()
    if rules_url is None:
        return held_rules(platform, data_dir=data_dir, trusted_keys=trusted_keys, now=now)
    endpoint = rules_endpoint(rules_url, platform)
    try:
        envelope = fetch_envelope(endpoint, timeout)
    except ServiceUnreachable as error:
        return held_rules(platform, data_dir=data_dir, trusted_keys=trusted_keys, now=now, reason=str(error))
    try:
        rules = accept_bundle(envelope, platform, data_dir=data_dir, trusted_keys=trusted_keys, now=now)
    except RulesError as error:
        refusal = f"Refused the rules from {rules_url}: {error}"
        return held_rules(
            platform, data_dir=data_dir, trusted_keys=trusted_keys, now=now, reason=refusal, refused=str(error)
        )
    where = rules_url + (" (a development source: plain HTTP on this computer)" if _is_plain_http(rules_url) else "")
    message = f"Using rules version {rules.version} from {where} (signed by key {envelope['key_id']})."
    return ResolvedRules(rules, "service", message, json.loads(base64.b64decode(envelope["bundle"])))


def _check_platform_name(platform: str) -> None:
    if not PLATFORM_NAME.match(platform):
        raise RulesError(f"{platform!r} is not a platform name.")


# ---- the service ---------------------------------------------------------------------------------------------


def rules_endpoint(rules_url: str, platform: str) -> str:
    """`rules_url` is the service's base URL, e.g. https://rules.example.org.

    Plain http is accepted only for this computer (loopback), as a development source: anyone on the way could
    otherwise hold back new rules.
    """
    parts = urlsplit(rules_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RulesError(f"The rules URL must start with https:// and name a host: {rules_url!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise RulesError(
            f"The rules URL {rules_url} uses plain http; use https://. Plain http is accepted only on this "
            "computer (127.0.0.1, ::1, localhost), as a development source."
        )
    return f"{rules_url.rstrip('/')}/api/v1/rules/{quote(platform, safe='')}"


def _is_plain_http(rules_url: str) -> bool:
    return urlsplit(rules_url).scheme == "http"


def fetch_envelope(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> dict[str, Any]:
    """GET the signed bundle at `url`; ServiceUnreachable for anything that is not a JSON object."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "optout"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_ENVELOPE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ServiceUnreachable(f"The rules service answered {error.code} for {url}") from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ServiceUnreachable(f"Cannot reach the rules service at {url}: {reason}") from error
    if len(body) > MAX_ENVELOPE_BYTES:
        raise ServiceUnreachable(f"The rules service sent more than {MAX_ENVELOPE_BYTES} bytes; ignored.")
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ServiceUnreachable(f"The rules service at {url} did not send JSON") from error
    if not isinstance(envelope, dict):
        raise ServiceUnreachable(f"The rules service at {url} did not send a bundle")
    return envelope
