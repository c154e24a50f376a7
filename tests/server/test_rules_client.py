"""The client: a verified bundle from the service, else the last good one, else the shipped rules; tampering refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from server_testkit import StubService, dated, rules_document, write_rules

from native_host.rules.format import RulesError, load_shipped_rules
from native_host.rules.signing import (
    generate_private_key,
    key_id,
    load_public_keys,
    public_key_entry,
    save_public_keys,
    utc_now,
)
from native_host.rules.signing import sign_bundle as sign
from native_host.rules.sources import (
    PINNED_KEYS_PATH,
    add_trusted_key,
    cache_path,
    highest_verified,
    load_trusted_keys,
    resolve_rules,
    rules_endpoint,
    rules_from_envelope,
)

SHIPPED = load_shipped_rules("pinterest")
NEWER = "2030.1.1"


def envelope_for(key: Ed25519PrivateKey, version: str = NEWER, **changes) -> dict:
    raw = dated(json.dumps(rules_document(version=version, **changes), indent=2).encode())
    return sign(raw, "pinterest", version, key)


def trusted(key: Ed25519PrivateKey) -> dict:
    return {key_id(key.public_key()): key.public_key()}


def test_service_up_gives_its_rules_and_keeps_them(
    make_app: Callable[..., Flask], live_server, rules_dir: Path, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    write_rules(rules_dir, rules_document(version=NEWER))
    base = live_server(make_app(RULES_DIR=str(rules_dir)))
    resolved = resolve_rules("pinterest", base, data_dir=data_dir, trusted_keys=trusted(signing_key))
    assert resolved.source == "service"
    assert resolved.rules.version == NEWER
    assert resolved.refused is None
    assert base in resolved.message and key_id(signing_key.public_key()) in resolved.message
    assert json.loads(cache_path("pinterest", data_dir).read_text())["version"] == NEWER


def test_service_down_uses_the_last_good_bundle(
    stub_service: StubService, closed_port_url: str, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    stub_service.serve(envelope_for(signing_key))
    keys = trusted(signing_key)
    assert resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys).source == "service"
    resolved = resolve_rules("pinterest", closed_port_url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "cache"
    assert resolved.rules.version == NEWER
    assert "Cannot reach the rules service" in resolved.message
    assert "last good rules" in resolved.message
    assert resolved.refused is None


def test_service_down_without_a_cache_uses_the_shipped_rules(closed_port_url: str, data_dir: Path) -> None:
    resolved = resolve_rules("pinterest", closed_port_url, data_dir=data_dir, trusted_keys={})
    assert resolved.source == "shipped"
    assert resolved.rules == SHIPPED
    assert "Cannot reach" in resolved.message and "shipped" in resolved.message


@pytest.mark.parametrize("status", [404, 500, 503])
def test_service_errors_fall_back(stub_service: StubService, data_dir: Path, status: int) -> None:
    stub_service.serve(b'{"error": {}}', status=status)
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys={})
    assert resolved.source == "shipped"
    assert f"answered {status}" in resolved.message


def test_a_service_that_does_not_send_json_falls_back(stub_service: StubService, data_dir: Path) -> None:
    stub_service.serve(b"<html>captive portal</html>")
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys={})
    assert resolved.source == "shipped"
    assert "did not send JSON" in resolved.message


def tamper(envelope: dict) -> dict:
    raw = bytearray(base64.b64decode(envelope["bundle"]))
    at = raw.index(b"Use your data to train")
    raw[at : at + 3] = b"Don"
    return {**envelope, "bundle": base64.b64encode(bytes(raw)).decode()}


def test_a_tampered_bundle_is_refused_loudly_and_the_last_good_one_used(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    good = envelope_for(signing_key)
    stub_service.serve(good)
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    stub_service.serve(tamper(envelope_for(signing_key, version="2031.1.1")))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "cache"
    assert resolved.rules.version == NEWER
    assert "changed after signing" in resolved.refused
    assert resolved.message.startswith(f"Refused the rules from {stub_service.url}")
    assert json.loads(cache_path("pinterest", data_dir).read_text()) == good  # never replaced by the refused one


def test_a_tampered_bundle_without_a_cache_falls_back_to_the_shipped_rules(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    stub_service.serve(tamper(envelope_for(signing_key)))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=trusted(signing_key))
    assert resolved.source == "shipped"
    assert resolved.rules == SHIPPED
    assert "changed after signing" in resolved.refused
    assert not cache_path("pinterest", data_dir).exists()


def test_a_bundle_from_an_unknown_key_is_refused(stub_service: StubService, data_dir: Path) -> None:
    stranger = generate_private_key()
    stub_service.serve(envelope_for(stranger))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys={})
    assert resolved.source == "shipped"
    assert f"signed by key {key_id(stranger.public_key())}" in resolved.refused
    assert "does not trust" in resolved.refused


def test_an_authentic_bundle_the_engine_cannot_run_is_refused(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    stub_service.serve(envelope_for(signing_key, min_engine_version="99.0.0"))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=trusted(signing_key))
    assert resolved.source == "shipped"
    assert "needs Optout engine 99.0.0" in resolved.refused


def test_an_older_bundle_sent_again_is_refused(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    stub_service.serve(envelope_for(signing_key, version=NEWER))
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    stub_service.serve(envelope_for(signing_key, version="2029.1.1"))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "cache"
    assert resolved.rules.version == NEWER
    assert "older than version 2030.1.1" in resolved.refused


def test_a_cached_bundle_changed_on_disk_is_refused_when_loaded(
    stub_service: StubService, closed_port_url: str, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    stub_service.serve(envelope_for(signing_key))
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    path = cache_path("pinterest", data_dir)
    path.write_text(json.dumps(tamper(json.loads(path.read_text()))))
    resolved = resolve_rules("pinterest", closed_port_url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "shipped"
    assert "last good rules were refused too" in resolved.message


def test_without_a_rules_url_the_shipped_rules_are_used_and_nothing_fetched(
    stub_service: StubService, data_dir: Path
) -> None:
    resolved = resolve_rules("pinterest", None, data_dir=data_dir)
    assert (resolved.source, resolved.rules) == ("shipped", SHIPPED)
    assert stub_service.requests == []


def test_the_client_asks_the_documented_endpoint(stub_service: StubService, data_dir: Path) -> None:
    resolve_rules("pinterest", stub_service.url + "/", data_dir=data_dir, trusted_keys={})
    assert stub_service.requests == ["/api/v1/rules/pinterest"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org", "127.0.0.1:8787"])
def test_only_http_rules_urls_are_accepted(url: str, data_dir: Path) -> None:
    with pytest.raises(RulesError, match="must start with https"):
        resolve_rules("pinterest", url, data_dir=data_dir, trusted_keys={})


def test_a_platform_name_cannot_reach_outside_the_rules(data_dir: Path) -> None:
    with pytest.raises(RulesError, match="not a platform name"):
        resolve_rules("../pinterest", None, data_dir=data_dir)


def test_trusted_keys_are_the_pinned_ones_plus_the_users(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned = load_public_keys(PINNED_KEYS_PATH)
    assert set(load_trusted_keys(data_dir)) == set(pinned)
    local = generate_private_key().public_key()
    path = add_trusted_key(local, data_dir, comment="mine")
    assert path == data_dir / "trusted_keys.json"
    add_trusted_key(local, data_dir)  # twice: still one entry
    assert [entry["id"] for entry in json.loads(path.read_text())["keys"]] == [key_id(local)]
    assert set(load_trusted_keys(data_dir)) == {*pinned, key_id(local)}


def test_no_key_is_trusted_from_the_environment(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An inherited variable must not make the helper trust a stranger's key (as OPTOUT_TRUSTED_KEYS_FILE once did).
    extra = generate_private_key().public_key()
    save_public_keys([public_key_entry(extra)], tmp_path / "extra.json")
    monkeypatch.setenv("OPTOUT_TRUSTED_KEYS_FILE", str(tmp_path / "extra.json"))
    assert key_id(extra) not in load_trusted_keys(data_dir)


def test_keys_trusted_by_optout_serve_verify_its_bundles(
    make_app: Callable[..., Flask], live_server, rules_dir: Path, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    write_rules(rules_dir, rules_document(version=NEWER))
    base = live_server(make_app(RULES_DIR=str(rules_dir)))
    assert resolve_rules("pinterest", base, data_dir=data_dir).source == "shipped"  # not trusted yet
    add_trusted_key(signing_key.public_key(), data_dir)
    resolved = resolve_rules("pinterest", base, data_dir=data_dir)
    assert (resolved.source, resolved.rules.version) == ("service", NEWER)


def test_rules_from_envelope_refuses_another_platforms_bundle(signing_key: Ed25519PrivateKey) -> None:
    with pytest.raises(RulesError, match="not 'instagram'"):
        rules_from_envelope(envelope_for(signing_key), trusted(signing_key), "instagram")


# ---- rollback: the highest version verified is kept ----------------------------------------------------------


def test_the_same_version_with_other_content_is_refused(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    stub_service.serve(envelope_for(signing_key))
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    stub_service.serve(envelope_for(signing_key, blocked_texts=["something else"]))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "cache" and "says something other than the version 2030.1.1" in resolved.refused


def test_the_same_rules_signed_again_are_taken_and_kept_for_their_later_expiry(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    first = envelope_for(signing_key)
    stub_service.serve(first)
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    raw = dated(json.dumps(rules_document(version=NEWER)).encode(), utc_now() + timedelta(hours=1))
    again = sign(raw, "pinterest", NEWER, signing_key)
    stub_service.serve(again)
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "service" and resolved.refused is None
    assert json.loads(cache_path("pinterest", data_dir).read_text()) == again


def test_an_older_bundle_is_refused_even_after_the_cache_is_gone(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    stub_service.serve(envelope_for(signing_key, version=NEWER))
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    assert highest_verified("pinterest", data_dir)[0] == NEWER
    cache_path("pinterest", data_dir).unlink()
    stub_service.serve(envelope_for(signing_key, version="2029.1.1"))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "shipped" and "older than version 2030.1.1" in resolved.refused


def test_an_older_signed_bundle_copied_over_the_cache_is_refused(
    stub_service: StubService, closed_port_url: str, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    stub_service.serve(envelope_for(signing_key, version=NEWER))
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    cache_path("pinterest", data_dir).write_text(json.dumps(envelope_for(signing_key, version="2029.1.1")))
    resolved = resolve_rules("pinterest", closed_port_url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "shipped"
    assert "older than version 2030.1.1 already verified" in resolved.message


def test_a_bundle_older_than_the_shipped_rules_is_refused(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    stub_service.serve(envelope_for(signing_key, version="2020.1.1"))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=trusted(signing_key))
    assert resolved.source == "shipped"
    assert f"older than version {SHIPPED.version} shipped with this Optout" in resolved.refused


def test_an_expired_cache_is_not_used(
    stub_service: StubService, closed_port_url: str, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    stub_service.serve(envelope_for(signing_key))
    resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    later = utc_now() + timedelta(days=8)
    resolved = resolve_rules("pinterest", closed_port_url, data_dir=data_dir, trusted_keys=keys, now=later)
    assert resolved.source == "shipped" and "expired on" in resolved.message


def test_a_bundle_dated_2999_is_refused_and_does_not_block_later_bundles(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    keys = trusted(signing_key)
    far = dated(json.dumps(rules_document(version="2999.1.1")).encode(), datetime(2999, 1, 1, tzinfo=UTC))
    stub_service.serve(sign(far, "pinterest", "2999.1.1", signing_key))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys)
    assert resolved.source == "shipped" and "more than a day ahead" in resolved.refused
    stub_service.serve(envelope_for(signing_key))
    assert resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=keys).source == "service"


# ---- https ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://rules.example.org", "http://10.0.0.1:8787", "http://127.example.org"])
def test_plain_http_is_refused_off_this_computer(url: str, data_dir: Path, stub_service: StubService) -> None:
    with pytest.raises(RulesError, match="uses plain http; use https://.*development source"):
        resolve_rules("pinterest", url, data_dir=data_dir, trusted_keys={})


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.1.2.3"])
def test_plain_http_on_this_computer_is_a_development_source(host: str) -> None:
    assert rules_endpoint(f"http://{host}:8787", "pinterest") == f"http://{host}:8787/api/v1/rules/pinterest"


def test_the_message_names_a_plain_http_source_as_development(
    stub_service: StubService, data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    stub_service.serve(envelope_for(signing_key))
    resolved = resolve_rules("pinterest", stub_service.url, data_dir=data_dir, trusted_keys=trusted(signing_key))
    assert "a development source: plain HTTP on this computer" in resolved.message
