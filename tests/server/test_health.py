"""/healthz warns before bundles signed offline expire, and fails once they have."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from native_host.cli.main import main
from native_host.rules.signing import parse_stamp
from server import create_app


@pytest.fixture()
def presigned(tmp_path: Path) -> Path:
    key_file, out = tmp_path / "key.pem", tmp_path / "bundles"
    main(["sign", "--new-key", str(key_file)])
    main(["sign", "--key", str(key_file), "--out", str(out), "--days", "30"])
    return out


def expiry(bundles: Path) -> object:
    import base64

    envelope = json.loads((bundles / "pinterest.bundle.json").read_text())
    return parse_stamp(json.loads(base64.b64decode(envelope["bundle"]))["expires"])


def test_healthz_says_ok_then_expiring_then_expired_as_a_presigned_bundle_ages(
    presigned: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app({"BUNDLES_DIR": str(presigned)})
    live, client, expires = app.extensions["optout"], app.test_client(), expiry(presigned)

    fresh = client.get("/healthz")
    assert (fresh.status_code, fresh.get_json()["status"]) == (200, "ok")
    assert "warnings" not in fresh.get_json()

    monkeypatch.setattr(live, "_clock", lambda: expires - timedelta(days=1))
    soon = client.get("/healthz")
    assert (soon.status_code, soon.get_json()["status"]) == (200, "expiring")
    assert "pinterest bundle expires on" in soon.get_json()["warnings"][0]
    assert "optout sign" in soon.get_json()["warnings"][0]
    assert any("pinterest bundle expires on" in record.getMessage() for record in caplog.records)

    monkeypatch.setattr(live, "_clock", lambda: expires + timedelta(seconds=1))
    late = client.get("/healthz")
    assert (late.status_code, late.get_json()["status"]) == (503, "expired")
    assert "clients refuse it" in late.get_json()["warnings"][0]
    assert late.get_json()["platforms"] == fresh.get_json()["platforms"]


def test_a_service_that_signs_its_own_bundles_never_reports_them_expiring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPTOUT_DATA_DIR", str(tmp_path / "data"))
    app = create_app({"BUNDLE_LIFETIME_HOURS": 24})
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.get_json()["status"]) == (200, "ok")
