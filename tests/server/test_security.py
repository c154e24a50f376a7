"""CORS only for the extension, the Host check, security headers, and settings that must not start a server."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from server_testkit import CHROME_ID

from server.config import ConfigError, load_config
from server.security import SECURITY_HEADERS, host_allowed

ALLOWED_ORIGIN = f"chrome-extension://{CHROME_ID}"
FIREFOX_ORIGIN = "moz-extension://0f3b2c1a-1111-4222-8333-444455556666"
REFUSED_ORIGINS = [
    "https://evil.example",
    "http://127.0.0.1:8787",
    "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba",
    f"chrome-extension://{CHROME_ID}.evil.example",
    FIREFOX_ORIGIN,
    "null",
]


def cors_headers(headers) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower().startswith("access-control-")}


def test_the_extension_origin_gets_cors_headers(app: Flask) -> None:
    response = app.test_client().get("/api/v1/rules/pinterest", headers={"Origin": ALLOWED_ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("origin", REFUSED_ORIGINS)
def test_any_other_origin_gets_no_cors_headers(app: Flask, origin: str) -> None:
    client = app.test_client()
    for path in ("/api/v1/rules/pinterest", "/api/v1/keys", "/nope"):
        response = client.get(path, headers={"Origin": origin})
        assert cors_headers(response.headers) == {}, path


def test_no_origin_gets_no_cors_headers(app: Flask) -> None:
    assert cors_headers(app.test_client().get("/api/v1/keys").headers) == {}


def test_preflight_only_for_the_extension(app: Flask) -> None:
    client = app.test_client()
    request_headers = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "If-None-Match"}
    allowed = client.options("/api/v1/rules/pinterest", headers={"Origin": ALLOWED_ORIGIN, **request_headers})
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "GET" in allowed.headers["Access-Control-Allow-Methods"]
    assert "if-none-match" in allowed.headers["Access-Control-Allow-Headers"].lower()
    refused = client.options("/api/v1/rules/pinterest", headers={"Origin": "https://evil.example", **request_headers})
    assert cors_headers(refused.headers) == {}


def test_a_firefox_origin_is_allowed_once_configured(make_app: Callable[..., Flask]) -> None:
    client = make_app(CORS_ORIGINS=[FIREFOX_ORIGIN]).test_client()
    response = client.get("/api/v1/keys", headers={"Origin": FIREFOX_ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == FIREFOX_ORIGIN
    other = client.get("/api/v1/keys", headers={"Origin": FIREFOX_ORIGIN.replace("0f3b", "aaaa")})
    assert cors_headers(other.headers) == {}


def test_without_extension_ids_no_origin_gets_cors_headers(make_app: Callable[..., Flask]) -> None:
    response = make_app(EXTENSION_IDS=[]).test_client().get("/api/v1/keys", headers={"Origin": ALLOWED_ORIGIN})
    assert cors_headers(response.headers) == {}


def test_cors_and_security_headers_on_a_real_server(app: Flask, live_server) -> None:
    base = live_server(app)

    def get(origin: str) -> dict[str, str]:
        request = urllib.request.Request(f"{base}/api/v1/rules/pinterest", headers={"Origin": origin})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            json.loads(response.read())
            return dict(response.headers.items())

    allowed = get(ALLOWED_ORIGIN)
    assert allowed["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert allowed["X-Content-Type-Options"] == "nosniff"
    assert allowed["Content-Security-Policy"].startswith("default-src 'none'")
    refused = get("https://evil.example")
    assert cors_headers(refused) == {}
    assert refused["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:8787", "localhost", "LOCALHOST:80", "localhost.", "[::1]:8787"]
)
def test_loopback_hosts_are_answered(app: Flask, host: str) -> None:
    assert app.test_client().get("/healthz", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.5:8787", "[::2]", ""]
)
def test_other_hosts_are_refused_with_json(app: Flask, host: str) -> None:
    client = app.test_client()
    for path in ("/healthz", "/api/v1/rules/pinterest", "/", "/nope"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 421, (host, path)
        assert response.get_json()["error"]["name"] == "host_not_allowed"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_allowed_hosts_are_configurable(make_app: Callable[..., Flask]) -> None:
    client = make_app(ALLOWED_HOSTS="rules.optout.example, .internal.example").test_client()
    assert client.get("/healthz", headers={"Host": "rules.optout.example"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "a.internal.example:443"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "internal.example"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 421
    assert client.get("/healthz", headers={"Host": "evilinternal.example"}).status_code == 421


def test_host_allowed_compares_names_not_prefixes() -> None:
    assert host_allowed("localhost:1", ["localhost"])
    assert not host_allowed("localhost:1", ["localhos"])
    assert not host_allowed("[::1", ["[::1]"])
    assert host_allowed("anything", ["*"])


@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/api/v1/rules/pinterest", "/api/v1/keys", "/api/v1/openapi.json", "/nope"]
)
def test_security_headers_on_every_response(app: Flask, path: str) -> None:
    response = app.test_client().get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name
    assert "Strict-Transport-Security" not in response.headers


def test_security_headers_on_304_and_405(app: Flask) -> None:
    client = app.test_client()
    etag = client.get("/api/v1/rules/pinterest").headers["ETag"]
    for response in (
        client.get("/api/v1/rules/pinterest", headers={"If-None-Match": etag}),
        client.post("/api/v1/rules/pinterest"),
    ):
        assert response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


def test_behind_a_proxy_forwarded_host_and_scheme_are_used(make_app: Callable[..., Flask]) -> None:
    client = make_app(PROXY_FIX=1, ALLOWED_HOSTS=["rules.optout.example"]).test_client()
    forwarded = {"X-Forwarded-Host": "rules.optout.example", "X-Forwarded-Proto": "https"}
    response = client.get("/healthz", headers={"Host": "127.0.0.1:8000", **forwarded})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    evil = client.get("/healthz", headers={"Host": "127.0.0.1", "X-Forwarded-Host": "evil.example"})
    assert evil.status_code == 421


def test_without_proxy_fix_forwarded_headers_are_ignored(app: Flask) -> None:
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 200


def test_settings_come_from_the_environment_and_a_file(tmp_path: Path) -> None:
    config_file = tmp_path / "optout.toml"
    config_file.write_text('cache_max_age = 42\nallowed_hosts = ["rules.example"]\nproxy_fix = 1\n')
    environ = {
        "OPTOUT_SERVER_CONFIG": str(config_file),
        "OPTOUT_SERVER_PROXY_FIX": "2",
        "OPTOUT_EXTENSION_IDS": CHROME_ID,
        "OPTOUT_DATA_DIR": str(tmp_path / "d"),
    }
    settings = load_config(None, environ)
    assert settings["CACHE_MAX_AGE"] == 42  # from the file
    assert settings["ALLOWED_HOSTS"] == ["rules.example"]
    assert settings["PROXY_FIX"] == 2  # the environment wins over the file
    assert settings["CORS_ORIGINS"] == [ALLOWED_ORIGIN]
    assert settings["DATA_DIR"] == str(tmp_path / "d")
    assert load_config({"cache_max_age": 7}, environ)["CACHE_MAX_AGE"] == 7  # the caller wins over both


def test_the_fixed_extension_id_is_the_default_origin(tmp_path: Path) -> None:
    from native_host.extension_ids import default_chrome_extension_id

    expected = default_chrome_extension_id()
    origins = load_config(None, {"OPTOUT_DATA_DIR": str(tmp_path)})["CORS_ORIGINS"]
    assert origins == ([f"chrome-extension://{expected}"] if expected else [])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"EXTENSION_IDS": ["not-an-id"]}, "not a Chrome extension id"),
        ({"CORS_ORIGINS": ["https://evil.example/path"]}, "is not an origin"),
        ({"CORS_ORIGINS": [".*"]}, "is not an origin"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"CACHE_MAX_AGE": "soon"}, "whole number"),
    ],
)
def test_bad_settings_stop_the_start(settings: dict, message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(settings, {"OPTOUT_DATA_DIR": str(tmp_path)})


def test_a_config_file_with_unknown_settings_stops_the_start(tmp_path: Path) -> None:
    config_file = tmp_path / "optout.json"
    config_file.write_text('{"DEBUG": true}')
    with pytest.raises(ConfigError, match="unknown settings: DEBUG"):
        load_config(None, {"OPTOUT_SERVER_CONFIG": str(config_file)})


def test_a_real_server_answers_only_its_host(app: Flask, live_server) -> None:
    base = live_server(app)
    request = urllib.request.Request(f"{base}/healthz", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 421
    assert json.loads(refused.value.read())["error"]["name"] == "host_not_allowed"
