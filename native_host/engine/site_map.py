"""Pointing a real origin at a local server, for tests and the demo only.

`https://www.pinterest.com=http://127.0.0.1:8000` makes the browser resolve www.pinterest.com to a local TLS
proxy that forwards to the local server. The browser still believes it is on https://www.pinterest.com, so
cookies, redirects, form posts and in-page requests behave exactly as on the real origin (the browser itself
follows redirects and sends cookies; Playwright never fetches on its behalf). Targets must be on this machine.

The proxies themselves are in site_map_proxy.py; this file only reads and checks a site map, so the practice
host can take one without loading an HTTP server.

A site map is only ever given in code or on the command line (`optout check --site-map`); nothing reads one from
the environment, so an inherited variable can never send a person's session to a local server.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from native_host.addresses import is_loopback


class SiteMapError(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    origin: str  # https://www.pinterest.com
    target: str  # http://127.0.0.1:8000

    @property
    def host(self) -> str:
        return urlsplit(self.origin).hostname or ""


def parse_site_map(entries: list[str] | str | None) -> dict[str, str]:
    """'ORIGIN=TARGET' entries (or one string of them separated by commas) into {origin: target}."""
    if not entries:
        return {}
    if isinstance(entries, str):
        entries = [entry for entry in entries.split(",") if entry.strip()]
    site_map = {}
    for entry in entries:
        origin, sep, target = entry.strip().partition("=")
        if not sep:
            raise SiteMapError(
                f"--site-map takes ORIGIN=TARGET, e.g. https://www.pinterest.com=http://127.0.0.1:8000; got {entry!r}"
            )
        site_map[_check_origin(origin)] = _check_target(target)
    return site_map


def _check_origin(origin: str) -> str:
    parts = urlsplit(origin.strip())
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/") or parts.port:
        raise SiteMapError(f"{origin!r} is not an https origin like https://www.pinterest.com")
    return f"https://{parts.hostname}"


def _check_target(target: str) -> str:
    parts = urlsplit(target.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or not parts.port:
        raise SiteMapError(f"{target!r} is not a local server address like http://127.0.0.1:8000")
    if not is_loopback(parts.hostname):
        raise SiteMapError(f"{target!r} is not on this machine: only loopback addresses may stand in for a site")
    return f"{parts.scheme}://{parts.hostname}:{parts.port}"
