"""The service's answers as static files at the service's own paths, for any static host or CDN.

`optout publish DIR` builds exactly what the service would publish (server/bundles.py: the same settings, keys
and signed bundles, byte for byte) and writes each GET answer under DIR at its URL path, with the headers a host
should send beside it: `_headers` (the Netlify and Cloudflare Pages format) and `headers.json` (for scripts that
upload to S3 or similar). Clients verify every bundle against the keys they pin, so the host needs no trust.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.api import LIST_MAX_AGE
from server.bundles import Catalog, LiveCatalog
from server.config import load_config
from server.keys import load_key_ring
from server.openapi import openapi_document
from server.security import EXPOSED_HEADERS

HEADERS_FILENAME = "_headers"
HEADERS_JSON_FILENAME = "headers.json"
RULES_PREFIX = "/api/v1/rules/"


@dataclass(frozen=True)
class StaticFile:
    url_path: str  # e.g. /api/v1/rules/pinterest; the file is at the same path under the published directory
    body: bytes
    headers: dict[str, str]


def published_files(catalog: Catalog, settings: dict[str, Any]) -> list[StaticFile]:
    """Every answer the service gives to a plain GET that a static host can give too (not /healthz, not /)."""
    rules_cache = f"public, max-age={settings['CACHE_MAX_AGE']}"
    lists_cache = f"public, max-age={LIST_MAX_AGE}"
    files = [
        _static(f"{RULES_PREFIX}{platform}", bundle.body, rules_cache, bundle.etag, bundle.envelope["key_id"])
        for platform, bundle in catalog.bundles.items()
    ]
    files.append(_static("/api/v1/platforms", catalog.platforms_body, lists_cache))
    files.append(_static("/api/v1/keys", catalog.keys_body, lists_cache))
    openapi = json.dumps(openapi_document(sorted(catalog.bundles)), separators=(",", ":")).encode("utf-8")
    files.append(_static("/api/v1/openapi.json", openapi, lists_cache))
    return files


def publish(directory: Path, overrides: dict[str, Any] | None = None) -> tuple[list[StaticFile], Catalog]:
    """Build the service's catalog from its settings and write it under `directory`.

    Raises ConfigError or RulesError (naming the file) exactly when the service would refuse to start.
    """
    settings = load_config(overrides)
    catalog = LiveCatalog(settings, load_key_ring(settings)).current()
    files = published_files(catalog, settings)
    write_site(directory, files)
    return files, catalog


def write_site(directory: Path, files: list[StaticFile]) -> None:
    rules_dir = directory / RULES_PREFIX.strip("/")
    rules_dir.mkdir(parents=True, exist_ok=True)
    current = {file.url_path for file in files}
    for stale in rules_dir.iterdir():  # a platform no longer published must not linger on the CDN
        if f"{RULES_PREFIX}{stale.name}" not in current and stale.is_file():
            stale.unlink()
    for file in files:
        target = directory / file.url_path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(file.body)
        partial.replace(target)
    (directory / HEADERS_FILENAME).write_text(headers_file(files), encoding="utf-8")
    listing = {"files": [{"path": file.url_path, "headers": file.headers} for file in files]}
    (directory / HEADERS_JSON_FILENAME).write_text(json.dumps(listing, indent=2) + "\n", encoding="utf-8")


def headers_file(files: list[StaticFile]) -> str:
    """The `_headers` format: a path, then its headers indented by two spaces, one per line."""
    blocks = []
    for file in files:
        lines = [file.url_path] + [f"  {name}: {value}" for name, value in file.headers.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _static(
    url_path: str, body: bytes, cache_control: str, etag: str | None = None, key_id: str | None = None
) -> StaticFile:
    digest = hashlib.sha256(body).digest()
    headers = {
        "Content-Type": "application/json",
        "Cache-Control": cache_control,
        # The rules keep the service's ETag, so a copy revalidates the same way from either.
        "ETag": f'"{etag or digest.hex()[:32]}"',
        "Content-Digest": f"sha-256=:{base64.b64encode(digest).decode()}:",
        "X-Content-Type-Options": "nosniff",
        # Public, signed, no credentials: any origin may read it (the service itself limits CORS to the extension
        # because it may run on a person's own computer).
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS),
    }
    if key_id:
        headers["X-Optout-Key-Id"] = key_id
    return StaticFile(url_path, body, headers)
