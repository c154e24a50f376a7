"""Where rules live on disk, and a quick look at which version a run would use.

Kept apart and light (no schema validator, no crypto) because `hello` must answer fast: the native host imports
this at start-up, while native_host.rules.format and native_host.rules.sources import it for the same places.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

from native_host.version import parse_version

# The rules Optout ships. In the repository they stay in the top-level rules/ folder (the rules service signs the
# same files); an installed copy (wheel or sdist) has no repository around it, so the build copies them into the
# package as native_host/rules/shipped/ (setup.py).
PACKAGED_RULES_DIR = Path(__file__).resolve().parent / "shipped"
REPOSITORY_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
RULES_DIR = PACKAGED_RULES_DIR if PACKAGED_RULES_DIR.is_dir() else REPOSITORY_RULES_DIR
SCHEMA_FILENAME = "schema.json"
CACHE_DIRNAME = "rules_cache"
VERIFIED_FILENAME = "verified.json"


def shipped_rules_path(platform: str) -> Path:
    return RULES_DIR / f"{platform}.json"


def known_platforms() -> list[str]:
    """Every platform this copy of Optout ships rules for."""
    return sorted(path.stem for path in RULES_DIR.glob("*.json") if path.name != SCHEMA_FILENAME)


def cache_path(platform: str, base: Path) -> Path:
    """The last good signed bundle for `platform` (the envelope as received)."""
    return base / CACHE_DIRNAME / f"{platform}.bundle.json"


def verified_path(base: Path) -> Path:
    """The highest rules version verified per platform, so an older bundle is never taken again."""
    return base / CACHE_DIRNAME / VERIFIED_FILENAME


def peek_rules_version(platform: str, base: Path, now: datetime | None = None) -> tuple[str, str]:
    """(version, source) of the rules a run would most likely use, read without checking any signature.

    For `hello` only; every run and every `rules` answer goes through native_host.rules.sources, which verifies.
    """
    now = now or datetime.now(UTC)
    versions: list[tuple[tuple[int, ...], str, str]] = []
    try:
        shipped = json.loads(shipped_rules_path(platform).read_bytes())["version"]
        versions.append((parse_version(shipped), shipped, "shipped"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    try:
        envelope = json.loads(cache_path(platform, base).read_bytes())
        document = json.loads(base64.b64decode(envelope["bundle"]))
        expires = datetime.fromisoformat(document["expires"])
        if expires > now:
            versions.append((parse_version(document["version"]), document["version"], "cache"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    if not versions:
        return "", "shipped"
    _, version, source = max(versions)
    return version, source
