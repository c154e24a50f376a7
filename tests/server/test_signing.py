"""The signed bundle format: round trip, tampering anywhere, keys and their files."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from server_testkit import dated, rules_document

from native_host.rules.format import RulesError, shipped_rules_path
from native_host.rules.signing import (
    BundleError,
    generate_private_key,
    key_id,
    load_or_create_private_key,
    load_private_key,
    load_public_keys,
    private_key_from_text,
    public_key_bytes,
    public_key_entry,
    public_keys_from_document,
    save_private_key,
    save_public_keys,
    sign_bundle,
    sign_rules,
    verify_bundle,
)
from native_host.rules.sources import PINNED_KEYS_PATH, rules_from_envelope

RAW = dated(shipped_rules_path("pinterest").read_bytes())
SMALL = dated(json.dumps({"platform": "pinterest", "version": "1.2"}).encode())
KEY = generate_private_key()
TRUSTED = {key_id(KEY.public_key()): KEY.public_key()}


def signed(raw: bytes = RAW, key: Ed25519PrivateKey = KEY, platform: str = "pinterest", version: str | None = None):
    return sign_bundle(raw, platform, version or json.loads(raw)["version"], key)


def with_bundle(envelope: dict, raw: bytes) -> dict:
    return {**envelope, "bundle": base64.b64encode(raw).decode()}


def test_round_trip_returns_the_exact_bytes_and_names_the_key() -> None:
    envelope = signed()
    assert set(envelope) == {"format", "platform", "version", "key_id", "signature", "bundle"}
    assert envelope["format"] == 1
    assert envelope["key_id"] == key_id(KEY.public_key())
    assert envelope["version"] == json.loads(RAW)["version"]
    assert verify_bundle(envelope, TRUSTED) == RAW
    assert verify_bundle(json.loads(json.dumps(envelope)), TRUSTED, expected_platform="pinterest") == RAW


def test_key_id_is_the_start_of_the_sha256_of_the_raw_public_key() -> None:
    expected = hashlib.sha256(public_key_bytes(KEY.public_key())).hexdigest()[:16]
    assert key_id(KEY.public_key()) == expected
    assert key_id(generate_private_key().public_key()) != expected


def test_flipping_any_byte_of_the_bundle_fails_verification() -> None:
    envelope = signed(SMALL)
    for position in range(len(SMALL)):
        for mask in (0x01, 0x80, 0xFF):
            tampered = bytearray(SMALL)
            tampered[position] ^= mask
            with pytest.raises(BundleError, match="changed after signing"):
                verify_bundle(with_bundle(envelope, bytes(tampered)), TRUSTED)


def test_flipping_bytes_across_the_real_rules_file_fails_verification() -> None:
    envelope = signed()
    positions = sorted({*range(0, len(RAW), 5), *range(len(RAW) - 64, len(RAW))})
    for position in positions:
        tampered = bytearray(RAW)
        tampered[position] ^= 0x01
        with pytest.raises(BundleError):
            verify_bundle(with_bundle(envelope, bytes(tampered)), TRUSTED)


def test_flipping_any_byte_of_the_signature_fails_verification() -> None:
    envelope = signed(SMALL)
    signature = base64.b64decode(envelope["signature"])
    for position in range(len(signature)):
        tampered = bytearray(signature)
        tampered[position] ^= 0x01
        with pytest.raises(BundleError, match="changed after signing"):
            verify_bundle({**envelope, "signature": base64.b64encode(bytes(tampered)).decode()}, TRUSTED)


def test_dropping_or_adding_bytes_fails_verification() -> None:
    envelope = signed(SMALL)
    for raw in (SMALL[:-1], SMALL[1:], SMALL + b" ", b"", SMALL + SMALL):
        with pytest.raises(BundleError):
            verify_bundle(with_bundle(envelope, raw), TRUSTED)


@settings(max_examples=300, deadline=None)
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_no_change_to_the_envelope_text_yields_different_verified_bytes(position: int, value: int) -> None:
    """Whatever a byte of the transmitted envelope becomes, verification refuses it or returns the signed bytes."""
    text = bytearray(json.dumps(signed(SMALL)).encode())
    text[position % len(text)] = value
    try:
        envelope = json.loads(bytes(text))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return
    try:
        verified = verify_bundle(envelope, TRUSTED)
    except BundleError:
        return
    assert verified == SMALL


def test_an_unknown_key_is_refused_naming_it() -> None:
    other = generate_private_key()
    envelope = signed(key=other)
    with pytest.raises(BundleError, match=f"{key_id(other.public_key())}.*does not trust"):
        verify_bundle(envelope, TRUSTED)
    with pytest.raises(BundleError, match="does not trust"):
        verify_bundle(envelope, {})


def test_a_signature_from_another_key_under_our_key_id_is_refused() -> None:
    forged = signed(key=generate_private_key())
    forged["key_id"] = key_id(KEY.public_key())
    with pytest.raises(BundleError, match="changed after signing"):
        verify_bundle(forged, TRUSTED)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: [], "not a JSON object"),
        (lambda e: {k: v for k, v in e.items() if k != "signature"}, "lacks signature"),
        (lambda e: {**e, "extra": 1}, "unknown fields extra"),
        (lambda e: {**e, "format": 2}, "format 2"),
        (lambda e: {**e, "format": True}, "format True"),
        (lambda e: {**e, "version": 3}, "version must be a string"),
        (lambda e: {**e, "platform": "../etc"}, "no valid platform"),
        (lambda e: {**e, "key_id": "XYZ"}, "not 16 hex"),
        (lambda e: {**e, "signature": "not base64!"}, "signature is not valid base64"),
        (lambda e: {**e, "bundle": "***"}, "bundle is not valid base64"),
    ],
)
def test_malformed_envelopes_are_refused(change, message: str) -> None:
    with pytest.raises(BundleError, match=message):
        verify_bundle(change(signed(SMALL)), TRUSTED)


def test_a_bundle_for_another_platform_is_refused() -> None:
    with pytest.raises(BundleError, match="not 'instagram'"):
        verify_bundle(signed(), TRUSTED, expected_platform="instagram")


def test_labels_that_do_not_describe_the_signed_rules_are_refused() -> None:
    with pytest.raises(BundleError, match="signed rules are for 'pinterest'"):
        verify_bundle(signed(platform="instagram"), TRUSTED)
    with pytest.raises(BundleError, match="signed rules are version"):
        verify_bundle(signed(version="9999.1"), TRUSTED)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (rules_document(min_engine_version="99.0.0"), "needs Optout engine 99.0.0"),
        (rules_document(menu_page="https://evil.example/settings"), "not valid rules|outside"),
        (rules_document(settings=[]), "not valid rules"),
    ],
)
def test_a_verified_bundle_the_engine_must_not_run_is_refused(document: dict, message: str) -> None:
    raw = dated(json.dumps(document).encode())
    envelope = signed(raw)
    assert verify_bundle(envelope, TRUSTED) == raw  # authentic...
    with pytest.raises(RulesError, match=message):  # ...and still refused
        rules_from_envelope(envelope, TRUSTED, "pinterest")


def test_rules_from_envelope_parses_what_verifies() -> None:
    rules = rules_from_envelope(signed(), TRUSTED, "pinterest")
    assert rules.version == json.loads(RAW)["version"]
    assert rules.ids() == [setting["id"] for setting in json.loads(RAW)["settings"]]


def test_private_keys_are_created_owner_only_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "signing_key.pem"
    key, created = load_or_create_private_key(path)
    assert created
    again, created_again = load_or_create_private_key(path)
    assert not created_again
    assert key_id(again.public_key()) == key_id(key.public_key())
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(FileExistsError):
        save_private_key(generate_private_key(), path)
    assert key_id(load_private_key(path).public_key()) == key_id(key.public_key())
    assert [p.name for p in path.parent.iterdir()] == ["signing_key.pem"]


def test_private_keys_load_from_pem_or_base64_and_refuse_anything_else(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    seed = KEY.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    from_text = private_key_from_text(base64.b64encode(seed).decode())
    assert key_id(from_text.public_key()) == key_id(KEY.public_key())
    with pytest.raises(BundleError, match="not an unencrypted Ed25519 private key"):
        private_key_from_text("hello")
    with pytest.raises(BundleError, match="Cannot read the signing key"):
        load_private_key(tmp_path / "missing.pem")


def test_public_key_lists_round_trip_and_refuse_a_wrong_id(tmp_path: Path) -> None:
    other = generate_private_key().public_key()
    path = tmp_path / "keys.json"
    save_public_keys([public_key_entry(KEY.public_key()), public_key_entry(other, "retired")], path)
    keys = load_public_keys(path)
    assert list(keys) == [key_id(KEY.public_key()), key_id(other)]
    wrong = public_key_entry(KEY.public_key())
    wrong["id"] = key_id(other)
    with pytest.raises(BundleError, match="says its id is"):
        public_keys_from_document({"keys": [wrong]}, "test")
    with pytest.raises(BundleError, match='"keys" list'):
        public_keys_from_document([], "test")


def test_the_pinned_keys_hold_the_project_key_and_no_private_key() -> None:
    text = PINNED_KEYS_PATH.read_text(encoding="utf-8")
    keys = load_public_keys(PINNED_KEYS_PATH)
    assert keys, "at least one project key is pinned"
    assert "PRIVATE" not in text
    for identifier, public_key in keys.items():
        assert key_id(public_key) == identifier


# ---- dates signed into the bundle ----------------------------------------------------------------------------

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_sign_rules_writes_issued_and_expires_inside_the_signed_bytes() -> None:
    signed_rules = sign_rules(shipped_rules_path("pinterest").read_bytes(), KEY, lifetime=timedelta(days=7), now=NOW)
    document = json.loads(verify_bundle(signed_rules.envelope, TRUSTED, now=NOW))
    assert (document["issued"], document["expires"]) == ("2026-11-23T12:00:00Z", "2026-11-30T12:00:00Z")
    assert (signed_rules.rules.issued, signed_rules.rules.expires) == (document["issued"], document["expires"])
    moved = {**document, "expires": "2099-01-01T00:00:00Z"}  # a date cannot be changed without the key
    with pytest.raises(BundleError, match="changed after signing"):
        verify_bundle(with_bundle(signed_rules.envelope, json.dumps(moved).encode()), TRUSTED, now=NOW)


@pytest.mark.parametrize(
    ("issued", "lifetime", "now", "message"),
    [
        (NOW - timedelta(days=8), timedelta(days=7), NOW, "expired on 2026-11-22T12:00:00Z"),
        (NOW, timedelta(days=7), NOW + timedelta(days=7), "expired on"),
        (datetime(2999, 1, 1, tzinfo=UTC), timedelta(days=7), NOW, "more than a day ahead"),
        (NOW + timedelta(days=1, minutes=1), timedelta(days=7), NOW, "more than a day ahead"),
    ],
)
def test_an_expired_bundle_or_one_from_the_future_is_refused(
    issued: datetime, lifetime: timedelta, now: datetime, message: str
) -> None:
    envelope = signed(dated(shipped_rules_path("pinterest").read_bytes(), issued, lifetime))
    with pytest.raises(BundleError, match=message):
        verify_bundle(envelope, TRUSTED, now=now)


def test_a_small_clock_difference_is_tolerated() -> None:
    envelope = signed(dated(shipped_rules_path("pinterest").read_bytes(), NOW + timedelta(hours=23)))
    assert verify_bundle(envelope, TRUSTED, now=NOW)


def test_a_bundle_without_dates_is_refused() -> None:
    undated = shipped_rules_path("pinterest").read_bytes()
    with pytest.raises(BundleError, match="no valid signing and expiry dates"):
        verify_bundle(signed(undated), TRUSTED)


def test_sign_rules_refuses_rules_no_client_would_run_and_silly_lifetimes() -> None:
    with pytest.raises(RulesError, match="needs Optout engine"):
        sign_rules(json.dumps(rules_document(min_engine_version="99.0.0")).encode(), KEY, lifetime=timedelta(days=1))
    with pytest.raises(BundleError, match="lifetime"):
        sign_rules(shipped_rules_path("pinterest").read_bytes(), KEY, lifetime=timedelta(days=4000))
