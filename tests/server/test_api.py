"""Every endpoint of the rules service, through Flask's test client."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from flask import Flask

from native_host.rules.format import load_shipped_rules, shipped_rules_path
from native_host.rules.signing import public_keys_from_document
from native_host.rules.sources import rules_from_envelope

SHIPPED = load_shipped_rules("pinterest")


def test_rules_endpoint_serves_a_bundle_that_verifies_against_the_published_key(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/api/v1/rules/pinterest")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    envelope = response.get_json()
    assert envelope["platform"] == "pinterest"
    assert envelope["version"] == SHIPPED.version
    signed = json.loads(base64.b64decode(envelope["bundle"]))
    shipped = json.loads(shipped_rules_path("pinterest").read_bytes())
    assert {key: value for key, value in signed.items() if key not in ("issued", "expires")} == shipped
    assert response.headers["X-Optout-Key-Id"] == envelope["key_id"]
    keys = public_keys_from_document(client.get("/api/v1/keys").get_json(), "GET /api/v1/keys")
    rules = rules_from_envelope(envelope, keys, "pinterest")
    assert replace(rules, issued=None, expires=None) == SHIPPED
    assert rules.issued < rules.expires


def test_rules_endpoint_sends_etag_and_cache_control(make_app: Callable[..., Flask]) -> None:
    response = make_app(CACHE_MAX_AGE=123).test_client().get("/api/v1/rules/pinterest")
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["ETag"])
    assert response.headers["Cache-Control"] == "public, max-age=123"


@pytest.mark.parametrize("form", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_if_none_match_with_the_current_etag_gives_304(app: Flask, form: str) -> None:
    client = app.test_client()
    etag = client.get("/api/v1/rules/pinterest").headers["ETag"]
    response = client.get("/api/v1/rules/pinterest", headers={"If-None-Match": form.format(etag=etag)})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert "max-age" in response.headers["Cache-Control"]


def test_if_none_match_with_an_old_etag_gives_the_bundle(app: Flask) -> None:
    response = app.test_client().get("/api/v1/rules/pinterest", headers={"If-None-Match": '"0123456789abcdef"'})
    assert response.status_code == 200
    assert response.get_json()["platform"] == "pinterest"


def test_the_same_key_and_rules_give_the_same_etag_in_every_worker(make_app: Callable[..., Flask]) -> None:
    first = make_app().test_client().get("/api/v1/rules/pinterest")
    second = make_app().test_client().get("/api/v1/rules/pinterest")
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.data == second.data


def test_head_gives_headers_without_a_body(app: Flask) -> None:
    response = app.test_client().head("/api/v1/rules/pinterest")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["ETag"]


def test_unknown_platform_is_a_json_404_naming_the_known_ones(app: Flask) -> None:
    response = app.test_client().get("/api/v1/rules/myspace")
    assert response.status_code == 404
    assert response.get_json()["error"]["name"] == "unknown_platform"
    assert "pinterest" in response.get_json()["error"]["message"]


def test_platforms_lists_each_platform_with_version_and_date(app: Flask) -> None:
    response = app.test_client().get("/api/v1/platforms")
    assert response.status_code == 200
    [entry] = response.get_json()["platforms"]
    assert entry["platform"] == "pinterest"
    assert entry["version"] == SHIPPED.version
    assert entry["updated"] == SHIPPED.updated
    assert entry["settings"] == len(SHIPPED.settings)
    assert entry["rules"] == "/api/v1/rules/pinterest"


def test_keys_lists_the_active_key(app: Flask) -> None:
    client = app.test_client()
    keys = client.get("/api/v1/keys").get_json()["keys"]
    envelope = client.get("/api/v1/rules/pinterest").get_json()
    assert [(key["id"], key["status"], key["algorithm"]) for key in keys] == [(envelope["key_id"], "active", "Ed25519")]


def test_healthz(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "platforms": {"pinterest": SHIPPED.version}}
    assert response.headers["Cache-Control"] == "no-store"


def test_openapi_describes_every_route_and_only_those(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }
    assert set(document["paths"]) == routes
    platform_parameter = document["paths"]["/api/v1/rules/{platform}"]["get"]["parameters"][0]
    assert platform_parameter["schema"]["enum"] == ["pinterest"]


def test_index_page_lists_every_setting_with_its_explanation_choice_and_sources(app: Flask) -> None:
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    from markupsafe import escape

    for setting in SHIPPED.settings:
        start = page.index(f'id="{setting.id}"')
        article = page[start : page.index("</article>", start)]
        assert str(escape(setting.title)) in article
        assert str(escape(setting.explanation)) in article
        assert ("In the default opt-out" if setting.default else "A choice") in article
        assert f"turns it {'on' if setting.desired else 'off'}" in article
        for source in setting.sources:
            assert str(escape(source)) in article
    assert SHIPPED.version in page


def test_index_page_stylesheet_is_served(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    href = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    assert client.get(href).status_code == 200


def test_unknown_path_is_a_json_404(app: Flask) -> None:
    response = app.test_client().get("/wp-admin")
    assert response.status_code == 404
    assert response.get_json()["error"] == {
        "status": 404,
        "name": "not_found",
        "message": response.get_json()["error"]["message"],
    }


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_wrong_method_is_a_json_405_with_allow(app: Flask, method: str) -> None:
    response = getattr(app.test_client(), method)("/api/v1/rules/pinterest")
    assert response.status_code == 405
    assert response.get_json()["error"]["name"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_oversized_request_is_a_json_413(make_app: Callable[..., Flask]) -> None:
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    response = client.get("/api/v1/rules/pinterest", data=b"x" * 1001)
    assert response.status_code == 413
    assert response.get_json()["error"]["name"] == "request_entity_too_large"
    assert client.get("/api/v1/rules/pinterest", data=b"x" * 1000).status_code == 200


def test_an_unexpected_error_is_a_json_500_without_a_trace(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/broken", view_func=broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert response.get_json()["error"]["name"] == "internal_server_error"
    body = response.get_data(as_text=True)
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "secret internal detail" in caplog.text  # logged on the server side


def test_debug_mode_still_hides_traces(app: Flask) -> None:
    def broken() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/broken", view_func=broken)
    app.debug = True
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert json.loads(response.data)["error"]["status"] == 500


def comparable(headers) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in headers.items() if name not in ("Date", "Content-Length"))


@pytest.mark.parametrize(
    "origin", [None, "chrome-extension://abcdefghijklmnopabcdefghijklmnop", "https://evil.example"]
)
@pytest.mark.parametrize("forwarded", [{}, {"X-Forwarded-Proto": "https"}])
def test_the_304_fast_path_answers_like_the_flask_route(
    make_app: Callable[..., Flask], origin: str | None, forwarded: dict
) -> None:
    app = make_app(PROXY_FIX=1)
    reached_flask = []
    app.before_request(lambda: reached_flask.append(True) and None)
    client = app.test_client()
    etag = client.get("/api/v1/rules/pinterest").headers["ETag"]
    headers = {**forwarded, **({"Origin": origin} if origin else {})}
    reached_flask.clear()
    fast = client.get("/api/v1/rules/pinterest", headers={**headers, "If-None-Match": etag})
    assert reached_flask == []  # answered before Flask
    routed = client.get("/api/v1/rules/pinterest", headers={**headers, "If-None-Match": f'"x", {etag}'})
    assert reached_flask == [True]  # a form the fast path leaves to the route
    assert fast.status_code == routed.status_code == 304
    assert comparable(fast.headers) == comparable(routed.headers)


def test_the_304_fast_path_still_refuses_foreign_hosts(app: Flask) -> None:
    client = app.test_client()
    etag = client.get("/api/v1/rules/pinterest").headers["ETag"]
    response = client.get("/api/v1/rules/pinterest", headers={"If-None-Match": etag, "Host": "evil.example"})
    assert response.status_code == 421
