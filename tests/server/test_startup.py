"""Starting the service: bad rules stop it, keys are created or loaded and rotated, optout sign and optout serve."""

from __future__ import annotations

import base64
import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from server_testkit import CHROME_ID, rules_document, write_rules

from native_host.cli.main import main
from native_host.exit_codes import ExitCode
from native_host.rules.format import RulesError, shipped_rules_path
from native_host.rules.signing import (
    SERVICE_LIFETIME,
    BundleError,
    generate_private_key,
    key_id,
    load_public_keys,
    parse_stamp,
    private_key_to_pem,
    public_key_entry,
    public_keys_from_document,
    save_private_key,
    save_public_keys,
    sign_rules,
    utc_now,
)
from native_host.rules.sources import rules_from_envelope, verify_envelope
from server import ConfigError, create_app
from server.bundles import LiveCatalog, load_presigned_dir
from server.config import load_config
from server.keys import KeyRing, load_key_ring
from server.not_modified import NotModifiedFastPath

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (rules_document(settings=[]), "settings"),
        (rules_document(min_engine_version="99.0.0"), "needs Optout engine 99.0.0"),
        (rules_document(menu_page="https://evil.example/privacy"), "outside"),
        (rules_document(version="one"), "version"),
    ],
)
def test_an_invalid_rules_file_stops_the_start_naming_file_and_problem(
    make_app: Callable[..., Flask], rules_dir: Path, document: dict, problem: str
) -> None:
    path = write_rules(rules_dir, document)
    with pytest.raises(RulesError) as refused:
        make_app(RULES_DIR=str(rules_dir))
    assert str(path) in str(refused.value)
    assert problem in str(refused.value)


def test_a_rules_file_that_is_not_json_stops_the_start(make_app: Callable[..., Flask], rules_dir: Path) -> None:
    (rules_dir / "pinterest.json").write_text("{ not json")
    with pytest.raises(RulesError, match=r"pinterest\.json is not valid JSON"):
        make_app(RULES_DIR=str(rules_dir))


def test_one_bad_file_stops_the_whole_set(make_app: Callable[..., Flask], rules_dir: Path) -> None:
    write_rules(rules_dir, rules_document(platform="zzz_broken", settings=[]))
    with pytest.raises(RulesError, match="zzz_broken.json"):
        make_app(RULES_DIR=str(rules_dir))


def test_a_file_named_after_another_platform_stops_the_start(make_app: Callable[..., Flask], rules_dir: Path) -> None:
    (rules_dir / "pinterest.json").rename(rules_dir / "instagram.json")
    with pytest.raises(RulesError, match="name the file after its platform"):
        make_app(RULES_DIR=str(rules_dir))


def test_an_empty_rules_directory_stops_the_start(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="nothing to serve"):
        make_app(RULES_DIR=str(tmp_path))


def test_a_signing_key_is_created_owner_only_on_first_start_and_reused(data_dir: Path) -> None:
    first = create_app({"EXTENSION_IDS": []})
    key_file = data_dir / "signing_key.pem"
    assert first.extensions["optout"].keys.created
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    second = create_app({"EXTENSION_IDS": []})
    assert not second.extensions["optout"].keys.created
    ids = [app.test_client().get("/api/v1/rules/pinterest").get_json()["key_id"] for app in (first, second)]
    assert ids[0] == ids[1] == first.extensions["optout"].keys.active_id


def test_the_signing_key_can_come_from_a_file_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signing_key: Ed25519PrivateKey
) -> None:
    expected = key_id(signing_key.public_key())
    save_private_key(signing_key, tmp_path / "k.pem")
    from_file = create_app({"SIGNING_KEY_FILE": str(tmp_path / "k.pem")})
    assert from_file.test_client().get("/api/v1/rules/pinterest").get_json()["key_id"] == expected
    monkeypatch.setenv("OPTOUT_SERVER_SIGNING_KEY", private_key_to_pem(signing_key).decode())
    from_env = create_app()
    assert from_env.test_client().get("/api/v1/rules/pinterest").get_json()["key_id"] == expected
    assert not (tmp_path / "data" / "signing_key.pem").exists()


def test_a_missing_or_broken_key_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="Cannot read the signing key"):
        create_app({"SIGNING_KEY_FILE": str(tmp_path / "missing.pem")})
    with pytest.raises(BundleError, match="not an unencrypted Ed25519 private key"):
        create_app({"SIGNING_KEY": "not a key"})


def test_key_rotation_publishes_old_and_new_keys_and_signs_with_the_new(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    old_key, new_key = generate_private_key(), generate_private_key()
    raw = shipped_rules_path("pinterest").read_bytes()
    old_envelope = sign_rules(raw, old_key, lifetime=SERVICE_LIFETIME).envelope
    published = tmp_path / "published.json"
    save_public_keys([public_key_entry(old_key.public_key(), "retired")], published)

    app = make_app(SIGNING_KEY=private_key_to_pem(new_key).decode(), PUBLISHED_KEYS_FILE=str(published))
    client = app.test_client()
    listed = client.get("/api/v1/keys").get_json()
    assert [(entry["id"], entry["status"]) for entry in listed["keys"]] == [
        (key_id(new_key.public_key()), "active"),
        (key_id(old_key.public_key()), "retired"),
    ]
    keys = public_keys_from_document(listed, "keys")
    new_envelope = client.get("/api/v1/rules/pinterest").get_json()
    assert new_envelope["key_id"] == key_id(new_key.public_key())
    assert rules_from_envelope(new_envelope, keys, "pinterest").platform == "pinterest"
    assert rules_from_envelope(old_envelope, keys, "pinterest").platform == "pinterest"  # old bundles still verify
    only_old = {key_id(old_key.public_key()): old_key.public_key()}
    with pytest.raises(BundleError, match="does not trust"):
        rules_from_envelope(new_envelope, only_old, "pinterest")  # a client that never pinned the new key


def test_optout_sign_round_trip_serves_presigned_bundles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    key_file = tmp_path / "offline" / "key.pem"
    assert main(["sign", "--new-key", str(key_file)]) == ExitCode.ALL_DONE
    entry = json.loads(capsys.readouterr().out.split("public key:\n", 1)[1])
    out = tmp_path / "bundles"
    assert main(["sign", "--key", str(key_file), "--out", str(out)]) == ExitCode.ALL_DONE
    signed = json.loads((out / "pinterest.bundle.json").read_text())
    assert signed["key_id"] == entry["id"]
    keys = public_keys_from_document(json.loads((out / "keys.json").read_text()), "keys.json")
    assert list(keys) == [entry["id"]]
    assert rules_from_envelope(signed, keys, "pinterest").version == rules_document()["version"]

    app = create_app({"BUNDLES_DIR": str(out)})
    client = app.test_client()
    assert client.get("/api/v1/rules/pinterest").get_json() == signed
    assert [key["id"] for key in client.get("/api/v1/keys").get_json()["keys"]] == [entry["id"]]
    assert app.extensions["optout"].keys.signing_key is None
    assert not (data_dir / "signing_key.pem").exists()  # the web server never held a private key


def test_optout_sign_refuses_invalid_rules_and_never_overwrites_a_key(tmp_path: Path) -> None:
    key_file = tmp_path / "key.pem"
    assert main(["sign", "--new-key", str(key_file)]) == ExitCode.ALL_DONE
    assert main(["sign", "--new-key", str(key_file)]) == ExitCode.USAGE
    bad = write_rules(tmp_path, rules_document(min_engine_version="99.0.0"))
    assert main(["sign", str(bad), "--key", str(key_file), "--out", str(tmp_path / "out")]) == ExitCode.FAILED
    assert not (tmp_path / "out").exists()
    assert main(["sign", "--key", str(key_file)]) == ExitCode.USAGE


def test_optout_sign_with_a_new_key_keeps_the_old_one_as_retired(tmp_path: Path) -> None:
    old_file, new_file, out = tmp_path / "old.pem", tmp_path / "new.pem", tmp_path / "out"
    for key_file in (old_file, new_file):
        main(["sign", "--new-key", str(key_file)])
    main(["sign", "--key", str(old_file), "--out", str(out)])
    main(["sign", "--key", str(new_file), "--out", str(out)])
    entries = json.loads((out / "keys.json").read_text())["keys"]
    assert [entry["status"] for entry in entries] == ["active", "retired"]
    app = create_app({"BUNDLES_DIR": str(out)})
    assert app.test_client().get("/api/v1/rules/pinterest").get_json()["key_id"] == entries[0]["id"]


def test_a_tampered_presigned_bundle_stops_the_start(tmp_path: Path) -> None:
    key_file, out = tmp_path / "key.pem", tmp_path / "out"
    main(["sign", "--new-key", str(key_file)])
    main(["sign", "--key", str(key_file), "--out", str(out)])
    bundle_file = out / "pinterest.bundle.json"
    envelope = json.loads(bundle_file.read_text())
    envelope["signature"] = (
        envelope["signature"][:10] + ("A" if envelope["signature"][10] != "A" else "B") + (envelope["signature"][11:])
    )
    bundle_file.write_text(json.dumps(envelope))
    with pytest.raises(RulesError, match=r"pinterest\.bundle\.json.*changed after signing"):
        create_app({"BUNDLES_DIR": str(out)})


def test_presigned_bundles_without_keys_stop_the_start(tmp_path: Path) -> None:
    key_file, out = tmp_path / "key.pem", tmp_path / "out"
    main(["sign", "--new-key", str(key_file)])
    main(["sign", "--key", str(key_file), "--out", str(out)])
    (out / "keys.json").unlink()
    with pytest.raises(RulesError, match="No public keys"):
        create_app({"BUNDLES_DIR": str(out)})


def test_optout_serve_refuses_to_start_on_bad_rules(
    rules_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_rules(rules_dir, rules_document(settings=[]))
    monkeypatch.setenv("OPTOUT_SERVER_RULES_DIR", str(rules_dir))
    assert main(["serve", "--port", "1"]) == ExitCode.FAILED
    assert f"cannot start: {bad}" in capsys.readouterr().err


def test_optout_serve_bad_settings_are_reported(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("OPTOUT_EXTENSION_IDS", "nope")
    assert main(["serve", "--port", "1"]) == ExitCode.FAILED
    assert "not a Chrome extension id" in capsys.readouterr().err
    with pytest.raises(ConfigError):
        create_app()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_optout_serve_runs_waitress_on_loopback_and_trusts_its_key(data_dir: Path) -> None:
    port = free_port()
    environment = {**os.environ, "OPTOUT_DATA_DIR": str(data_dir), "OPTOUT_EXTENSION_IDS": CHROME_ID}
    process = subprocess.Popen(
        [sys.executable, "-m", "native_host", "serve", "--port", str(port)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        health, headers = None, None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and health is None:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"Origin": f"chrome-extension://{CHROME_ID}"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:
                    health, headers = json.loads(response.read()), response.headers
            except OSError:
                assert process.poll() is None, process.communicate()[1].decode()
                time.sleep(0.1)
        assert health is not None and health["status"] == "ok"
        assert headers["Access-Control-Allow-Origin"] == f"chrome-extension://{CHROME_ID}"
        assert headers["Server"] == "optout"
        trusted = json.loads((data_dir / "trusted_keys.json").read_text())["keys"]
        created = key_id(create_app().extensions["optout"].keys.signing_key.public_key())
        assert [entry["id"] for entry in trusted] == [created]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "Serving Optout rules on http://127.0.0.1:" in stderr.decode()


def test_optout_sign_dates_its_bundles_and_an_expired_presigned_bundle_stops_the_start(tmp_path: Path) -> None:
    key_file, out = tmp_path / "key.pem", tmp_path / "out"
    main(["sign", "--new-key", str(key_file)])
    assert main(["sign", "--key", str(key_file), "--out", str(out), "--days", "2"]) == ExitCode.ALL_DONE
    document = json.loads(base64.b64decode(json.loads((out / "pinterest.bundle.json").read_text())["bundle"]))
    issued, expires = parse_stamp(document["issued"]), parse_stamp(document["expires"])
    assert expires - issued == timedelta(days=2) and abs(issued - utc_now()) < timedelta(minutes=1)
    keys = KeyRing(None, None, False, load_public_keys(out / "keys.json"))
    with pytest.raises(RulesError, match=r"pinterest\.bundle\.json.*expired on"):
        load_presigned_dir(out, keys, now=expires + timedelta(seconds=1))


def test_the_service_signs_again_once_half_the_lifetime_has_passed(
    data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    moments = [datetime(2026, 11, 23, 12, 0, tzinfo=UTC)]
    settings = load_config({"SIGNING_KEY": private_key_to_pem(signing_key).decode(), "BUNDLE_LIFETIME_HOURS": 48})
    live = LiveCatalog(settings, load_key_ring(settings), clock=lambda: moments[-1])
    first = live.current().get("pinterest")
    # The grid of signings: every 24 h (half of 48) since the epoch, so at midnight UTC.
    assert (first.rules.issued, first.rules.expires) == ("2026-11-23T00:00:00Z", "2026-11-25T00:00:00Z")
    moments.append(datetime(2026, 11, 23, 23, 59, tzinfo=UTC))
    assert live.current().get("pinterest") is first  # more than half its life left: the same body, the same ETag
    moments.append(datetime(2026, 11, 24, 0, 0, tzinfo=UTC))
    renewed = live.current().get("pinterest")
    assert renewed.rules.issued == "2026-11-24T00:00:00Z" and renewed.etag != first.etag
    keys = {key_id(signing_key.public_key()): signing_key.public_key()}
    verified = verify_envelope(renewed.envelope, keys, "pinterest", now=moments[-1])
    assert verified.rules.expires == "2026-11-26T00:00:00Z"


def test_the_fast_304_follows_a_renewed_signing(data_dir: Path, signing_key: Ed25519PrivateKey) -> None:
    moments = [utc_now()]
    settings = load_config({"SIGNING_KEY": private_key_to_pem(signing_key).decode(), "BUNDLE_LIFETIME_HOURS": 2})
    live = LiveCatalog(settings, load_key_ring(settings), clock=lambda: moments[-1])
    fast = NotModifiedFastPath(lambda environ, start: [b"flask"], live, settings)
    old_etag = f'"{live.current().get("pinterest").etag}"'

    def ask(etag: str) -> str:
        statuses = []
        environ = {"PATH_INFO": "/api/v1/rules/pinterest", "REQUEST_METHOD": "GET", "HTTP_IF_NONE_MATCH": etag}
        fast({**environ, "HTTP_HOST": "127.0.0.1"}, lambda status, headers: statuses.append(status))
        return statuses[0] if statuses else "passed on"

    assert ask(old_etag) == "304 NOT MODIFIED"
    moments.append(moments[0] + timedelta(hours=1))
    assert ask(old_etag) == "passed on"  # the old signing is no longer the one served
    assert ask(f'"{live.current().get("pinterest").etag}"') == "304 NOT MODIFIED"


def test_workers_that_renew_at_different_moments_serve_the_same_bytes(
    data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    start = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)
    settings = load_config({"SIGNING_KEY": private_key_to_pem(signing_key).decode(), "BUNDLE_LIFETIME_HOURS": 48})
    early, late = [start], [start]
    first = LiveCatalog(settings, load_key_ring(settings), clock=lambda: early[-1])
    second = LiveCatalog(settings, load_key_ring(settings), clock=lambda: late[-1])
    early.append(start + timedelta(hours=24, seconds=1))
    late.append(start + timedelta(hours=30))
    assert first.current().get("pinterest").body == second.current().get("pinterest").body
    assert first.current().get("pinterest").rules.issued == "2026-11-24T00:00:00Z"
    late.append(start + timedelta(days=9))  # idle for longer than a lifetime: still a bundle valid now
    assert second.current().get("pinterest").rules.expires == "2026-12-04T00:00:00Z"


def test_workers_started_in_different_seconds_serve_the_same_bytes(
    data_dir: Path, signing_key: Ed25519PrivateKey
) -> None:
    settings = load_config({"SIGNING_KEY": private_key_to_pem(signing_key).decode(), "BUNDLE_LIFETIME_HOURS": 48})
    starts = [datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC), datetime(2026, 11, 23, 17, 45, 2, tzinfo=UTC)]
    bodies = [
        LiveCatalog(settings, load_key_ring(settings), clock=lambda start=start: start).current().get("pinterest")
        for start in starts
    ]
    assert bodies[0].body == bodies[1].body and bodies[0].etag == bodies[1].etag
    # Every client still gets at least half the lifetime: issued at the last grid point, expiring a lifetime later.
    assert parse_stamp(bodies[1].rules.expires) - starts[1] >= timedelta(hours=24)
