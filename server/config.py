"""The service's settings: defaults, then an optional file, then the environment, then what the caller passes.

Every setting NAME can be set as OPTOUT_SERVER_NAME in the environment. Two are shared with the rest of Optout
and keep their own names: OPTOUT_DATA_DIR and OPTOUT_EXTENSION_IDS. OPTOUT_SERVER_CONFIG names a TOML or JSON
file whose keys are the same names (any case).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from native_host.extension_ids import default_chrome_extension_id, is_chrome_extension_id
from native_host.paths import DATA_DIR_ENV, data_dir
from native_host.rules.format import RULES_DIR
from server.report_store import sqlite_url

ENV_PREFIX = "OPTOUT_SERVER_"
CONFIG_FILE_ENV = "OPTOUT_SERVER_CONFIG"
EXTENSION_IDS_ENV = "OPTOUT_EXTENSION_IDS"
# A moz-extension:// origin is a random UUID per Firefox profile, so it cannot be derived from the add-on id.
FIREFOX_ORIGIN = re.compile(r"^moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

CHROME_ORIGIN = re.compile(r"^chrome-extension://[a-p]{32}$")
WEB_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")

DEFAULTS: dict[str, Any] = {
    "RULES_DIR": str(RULES_DIR),  # the rules files to sign and serve
    "DATA_DIR": None,  # where the signing key is created; None: $OPTOUT_DATA_DIR or the user data dir
    "SIGNING_KEY": None,  # the private key itself (PEM or base64), e.g. from a secret store
    "SIGNING_KEY_FILE": None,  # a private key file; None: <DATA_DIR>/signing_key.pem, created on first start
    "PUBLISHED_KEYS_FILE": None,  # more public keys to publish (retired keys during a rotation)
    "BUNDLES_DIR": None,  # serve bundles signed offline by `optout sign` instead of signing here
    "EXTENSION_IDS": None,  # Chrome extension ids; None: the fixed id in extension/extension-id.txt, if present
    "CORS_ORIGINS": [],  # more allowed origins, e.g. a Firefox moz-extension://<uuid>
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"],  # Host header values answered, any port
    "BUNDLE_LIFETIME_HOURS": 7 * 24,  # how long a bundle signed here stays valid; renewed at half of it
    "CACHE_MAX_AGE": 300,  # seconds clients may keep a bundle before asking again
    "MAX_CONTENT_LENGTH": 16 * 1024,  # bytes; the largest field report
    "PROXY_FIX": 0,  # how many reverse proxies to trust for X-Forwarded-For/-Proto/-Host/-Port/-Prefix
    "DATABASE_URL": None,  # field reports: postgresql://...; None: SQLite in <DATA_DIR>/reports.sqlite3
    "REPORTS_PER_MINUTE": 30,  # field reports one client address may send a minute; 0: no limit
}
LIST_SETTINGS = {"EXTENSION_IDS", "CORS_ORIGINS", "ALLOWED_HOSTS"}
INT_SETTINGS = {"BUNDLE_LIFETIME_HOURS", "CACHE_MAX_AGE", "MAX_CONTENT_LENGTH", "PROXY_FIX", "REPORTS_PER_MINUTE"}
SHARED_ENV = {"DATA_DIR": DATA_DIR_ENV, "EXTENSION_IDS": EXTENSION_IDS_ENV}


class ConfigError(Exception):
    """The service cannot start with these settings; the message names the setting and the problem."""


def load_config(overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None) -> dict[str, Any]:
    environ = dict(os.environ) if environ is None else environ
    settings = dict(DEFAULTS)
    config_file = environ.get(CONFIG_FILE_ENV)
    if config_file:
        settings.update(_read_config_file(Path(config_file)))
    settings.update(_from_environment(environ))
    settings.update({key.upper(): value for key, value in (overrides or {}).items()})
    for name in LIST_SETTINGS:
        if isinstance(settings[name], str):
            settings[name] = _split(settings[name])
    for name in INT_SETTINGS:
        settings[name] = _integer(name, settings[name])
    configured_dir = settings["DATA_DIR"]
    settings["DATA_DIR"] = str(Path(configured_dir).expanduser() if configured_dir else data_dir(create=False))
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = sqlite_url(settings["DATA_DIR"])
    if settings["EXTENSION_IDS"] is None:
        fixed_id = default_chrome_extension_id()
        settings["EXTENSION_IDS"] = [fixed_id] if fixed_id else []
    settings["CORS_ORIGINS"] = extension_origins(settings["EXTENSION_IDS"], settings["CORS_ORIGINS"])
    if not settings["ALLOWED_HOSTS"]:
        raise ConfigError("ALLOWED_HOSTS is empty: the service would answer no request.")
    return settings


def extension_origins(chrome_ids: list[str], extra: list[str]) -> list[str]:
    """chrome-extension://<id> for each id, then the extra origins; anything malformed stops the start."""
    origins = []
    for extension_id in chrome_ids:
        if not is_chrome_extension_id(extension_id):
            raise ConfigError(f"Extension id {extension_id!r} is not a Chrome extension id (32 letters a-p).")
        origins.append(f"chrome-extension://{extension_id}")
    for origin in extra:
        if not any(pattern.match(origin) for pattern in (CHROME_ORIGIN, FIREFOX_ORIGIN, WEB_ORIGIN)):
            raise ConfigError(
                f"CORS origin {origin!r} is not an origin: use chrome-extension://<id>, moz-extension://<uuid> "
                "or http(s)://host[:port], without a path."
            )
        origins.append(origin)
    return list(dict.fromkeys(origins))


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
        document = tomllib.loads(data.decode("utf-8")) if path.suffix == ".toml" else json.loads(data)
    except OSError as error:
        raise ConfigError(f"Cannot read the config file {path}: {error.strerror}") from error
    except (UnicodeDecodeError, ValueError) as error:
        kind = "TOML" if path.suffix == ".toml" else "JSON"
        raise ConfigError(f"The config file {path} is not valid {kind}: {error}") from error
    if not isinstance(document, dict):
        raise ConfigError(f"The config file {path} must hold a table of settings.")
    settings = {key.upper(): value for key, value in document.items()}
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"The config file {path} has unknown settings: {', '.join(unknown)}.")
    return settings


def _from_environment(environ: dict[str, str]) -> dict[str, Any]:
    settings = {}
    for name in DEFAULTS:
        value = environ.get(ENV_PREFIX + name)
        if value is None and name in SHARED_ENV:
            value = environ.get(SHARED_ENV[name])
        if value is not None:
            settings[name] = value
    return settings


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text) if part]


def _integer(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from error
    if number < 0:
        raise ConfigError(f"{name} must not be negative.")
    return number
