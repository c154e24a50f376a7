"""Which rules to run: a verified bundle from the rules service, else the last good one, else the shipped rules.

A bundle is run only when its signature checks out against a trusted key *and* `parse_rules` accepts it
(schema, engine version, origins). A bundle that fails is refused loudly: the reason is in `message` and
`refused`, and the run falls back to the last good bundle or the shipped rules, which `source` names. It is
never run, and it never replaces the last good bundle.

Trusted keys are the project's pinned keys (native_host/pinned_keys.json), plus keys the user added on
purpose: `<data dir>/trusted_keys.json` (which `optout serve` writes for the key it creates) and the file named
by $OPTOUT_TRUSTED_KEYS_FILE.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from native_host.paths import data_dir as default_data_dir
from native_host.rules import RulesError, RuleSet, load_shipped_rules, parse_rules
from native_host.signing import (
    MAX_BUNDLE_BYTES,
    PLATFORM_NAME,
    TRUSTED_KEYS_FILENAME,
    key_id,
    load_public_keys,
    public_key_entry,
    save_public_keys,
    verify_bundle,
)
from native_host.version import ENGINE_VERSION, parse_version

PINNED_KEYS_PATH = Path(__file__).resolve().parent / "pinned_keys.json"
TRUSTED_KEYS_ENV = "OPTOUT_TRUSTED_KEYS_FILE"
CACHE_DIRNAME = "rules_cache"
FETCH_TIMEOUT_SECONDS = 5.0
# The envelope is base64 (4/3 of the bundle) plus a few short fields.
MAX_ENVELOPE_BYTES = MAX_BUNDLE_BYTES * 2

RulesSource = Literal["service", "cache", "shipped"]


@dataclass(frozen=True)
class ResolvedRules:
    rules: RuleSet
    source: RulesSource
    message: str
    refused: str | None = None  # why the service's bundle was refused, when it was


class ServiceUnreachable(Exception):
    """The rules service could not be asked (network, HTTP error, not JSON); the fallbacks apply."""


def load_trusted_keys(data_dir: Path | None = None) -> dict[str, Ed25519PublicKey]:
    """Pinned keys plus the keys the user chose to trust; a broken extra file is an error, not ignored."""
    keys = dict(load_public_keys(PINNED_KEYS_PATH))
    user_file = (data_dir or default_data_dir()) / TRUSTED_KEYS_FILENAME
    if user_file.exists():
        keys.update(load_public_keys(user_file))
    extra = os.environ.get(TRUSTED_KEYS_ENV)
    if extra:
        keys.update(load_public_keys(Path(extra).expanduser()))
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


def rules_from_envelope(
    envelope: Any, trusted_keys: dict[str, Ed25519PublicKey] | None = None, platform: str | None = None
) -> RuleSet:
    """Verify a signed bundle and parse it; raises BundleError or RulesError (both RulesError) when refused."""
    keys = load_trusted_keys() if trusted_keys is None else trusted_keys
    raw = verify_bundle(envelope, keys, expected_platform=platform)
    source = f"the {envelope['platform']} bundle signed by key {envelope['key_id']}"
    return parse_rules(raw, source=source)


def rules_endpoint(rules_url: str, platform: str) -> str:
    """`rules_url` is the service's base URL, e.g. http://127.0.0.1:8787."""
    parts = urlsplit(rules_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RulesError(f"The rules URL must start with http:// or https:// and name a host: {rules_url!r}")
    return f"{rules_url.rstrip('/')}/api/v1/rules/{quote(platform, safe='')}"


def fetch_envelope(rules_url: str, platform: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> dict[str, Any]:
    """GET the signed bundle; ServiceUnreachable for anything that is not a JSON object from the service."""
    url = rules_endpoint(rules_url, platform)
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


def cache_path(platform: str, data_dir: Path | None = None) -> Path:
    return (data_dir or default_data_dir()) / CACHE_DIRNAME / f"{platform}.bundle.json"


def remember_envelope(envelope: dict[str, Any], platform: str, data_dir: Path | None = None) -> None:
    """Keep a verified bundle as the last good one (written whole, then renamed)."""
    path = cache_path(platform, data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(envelope), encoding="utf-8")
    partial.replace(path)


def load_cached_rules(
    platform: str, trusted_keys: dict[str, Ed25519PublicKey], data_dir: Path | None = None
) -> RuleSet | None:
    """The last good bundle, verified again (the file may have been changed since); None when there is none."""
    path = cache_path(platform, data_dir)
    try:
        envelope = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RulesError(f"The cached rules {path} cannot be read: {error}") from error
    return rules_from_envelope(envelope, trusted_keys, platform)


def resolve_rules(
    platform: str,
    rules_url: str | None,
    *,
    data_dir: Path | None = None,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    timeout: float = FETCH_TIMEOUT_SECONDS,
) -> ResolvedRules:
    """The rules to run for `platform`, and where they came from.

    Without `rules_url` the shipped rules are used and nothing is fetched. With it: the service's bundle when
    it verifies and is not older than the rules already held; otherwise the last good bundle, then the shipped
    rules. Raises RulesError only when no rules at all can be used.
    """
    if not PLATFORM_NAME.match(platform):
        raise RulesError(f"{platform!r} is not a platform name.")
    data_dir = data_dir or default_data_dir()
    if rules_url is None:
        shipped = load_shipped_rules(platform)
        return ResolvedRules(shipped, "shipped", f"Using the rules shipped with Optout (version {shipped.version}).")
    keys = load_trusted_keys(data_dir) if trusted_keys is None else trusted_keys
    try:
        envelope = fetch_envelope(rules_url, platform, timeout)
    except ServiceUnreachable as error:
        return _fall_back(platform, keys, data_dir, reason=str(error), refused=None)
    try:
        rules = rules_from_envelope(envelope, keys, platform)
    except RulesError as error:
        refusal = f"Refused the rules from {rules_url}: {error}"
        return _fall_back(platform, keys, data_dir, reason=refusal, refused=str(error))
    held = _newest_held(platform, keys, data_dir)
    if held is not None and parse_version(rules.version) < parse_version(held[0].version):
        refusal = (
            f"Refused the rules from {rules_url}: version {rules.version} is older than version "
            f"{held[0].version} already held (an old bundle sent again)"
        )
        return _fall_back(platform, keys, data_dir, reason=refusal, refused=refusal)
    remember_envelope(envelope, platform, data_dir)
    return ResolvedRules(
        rules, "service", f"Using rules version {rules.version} from {rules_url} (signed by key {envelope['key_id']})."
    )


def _newest_held(
    platform: str, keys: dict[str, Ed25519PublicKey], data_dir: Path
) -> tuple[RuleSet, RulesSource] | None:
    """The newer of the last good bundle and the shipped rules, ignoring either one that cannot be used."""
    candidates: list[tuple[RuleSet, RulesSource]] = []
    try:
        cached = load_cached_rules(platform, keys, data_dir)
        if cached is not None:
            candidates.append((cached, "cache"))
    except RulesError:
        pass
    try:
        candidates.append((load_shipped_rules(platform), "shipped"))
    except RulesError:
        pass
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: parse_version(candidate[0].version))


def _fall_back(
    platform: str, keys: dict[str, Ed25519PublicKey], data_dir: Path, reason: str, refused: str | None
) -> ResolvedRules:
    problems = [reason]
    try:
        cached = load_cached_rules(platform, keys, data_dir)
    except RulesError as error:
        cached = None
        problems.append(f"The last good rules were refused too: {error}")
    try:
        shipped: RuleSet | None = load_shipped_rules(platform)
    except RulesError as error:
        shipped = None
        problems.append(f"The shipped rules cannot be used: {error}")
    explanation = " ".join(problems)
    if cached is not None and (shipped is None or parse_version(cached.version) >= parse_version(shipped.version)):
        return ResolvedRules(
            cached, "cache", f"{explanation} Using the last good rules (version {cached.version}).", refused
        )
    if shipped is not None:
        return ResolvedRules(
            shipped,
            "shipped",
            f"{explanation} Using the rules shipped with Optout {ENGINE_VERSION} (version {shipped.version}).",
            refused,
        )
    raise RulesError(f"No usable rules for {platform}. {explanation}")
