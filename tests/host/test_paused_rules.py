"""A setting paused by a signed bundle: the engine skips it with the maintainers' reason, until a later bundle
unpauses it. Through the host's one rules path, with the real engine on the replica."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from native_host.history.recorded_run import engine_runner
from native_host.messaging.host import Host
from native_host.rules.format import RulesError, load_shipped_rules, parse_rules, shipped_rules_path
from native_host.rules.signing import generate_private_key, public_key_entry, save_public_keys, sign_rules
from native_host.statuses import SettingStatus
from replica import ReplicaConfig, serve

from .test_host_unit import Recorder, handle

RUN_SECONDS = 90.0  # a real browser on a busy machine


def final(recorder: Recorder, request_id: str) -> dict[str, Any]:
    return recorder.wait_for(lambda m: m["id"] == request_id and m["event"] in ("result", "error"), RUN_SECONDS)


CANVAS = "pinterest.genai.canvas_training"
SITES = "pinterest.ads.sites_you_visit"
REASON = "Pinterest changed this page; Optout's reading of it is being fixed."
SHIPPED = load_shipped_rules().version


def rules_document(**changes: Any) -> dict[str, Any]:
    return {**json.loads(shipped_rules_path("pinterest").read_text()), **changes}


def with_canvas_paused(document: dict[str, Any], reason: str) -> dict[str, Any]:
    settings = [{**s, "paused": {"reason": reason}} if s["id"] == CANVAS else s for s in document["settings"]]
    return {**document, "settings": settings}


def test_the_schema_takes_a_pause_with_a_reason_only():
    rules = parse_rules(with_canvas_paused(rules_document(), REASON))
    assert rules.setting(CANVAS).paused == REASON and rules.setting(SITES).paused is None
    for bad in ({"reason": ""}, {}, {"reason": "x", "until": "later"}):
        settings = [{**s, "paused": bad} if s["id"] == CANVAS else s for s in rules_document()["settings"]]
        with pytest.raises(RulesError, match="paused"):
            parse_rules({**rules_document(), "settings": settings})


@pytest.mark.browser
def test_a_paused_setting_is_skipped_until_a_later_bundle_unpauses_it(tmp_path: Path, monkeypatch) -> None:
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "home"))
    key = generate_private_key()
    save_public_keys([public_key_entry(key.public_key())], tmp_path / "trusted_keys.json")

    def signed(document: dict[str, Any]) -> dict[str, Any]:
        return sign_rules(json.dumps(document).encode(), key, lifetime=timedelta(days=7)).envelope

    with serve(ReplicaConfig()) as replica:
        site_map = {"https://www.pinterest.com": replica.url}
        recorder = Recorder()
        host = Host(recorder, run_function=engine_runner(site_map=site_map), base=tmp_path, site_map=site_map)
        cookies = replica.store.new_session()
        try:
            paused = with_canvas_paused(rules_document(version=f"{SHIPPED}.1"), REASON)
            handle(host, {"id": "b1", "type": "rules", "platform": "pinterest", "bundle": signed(paused)})
            assert final(recorder, "b1")["data"]["version"] == f"{SHIPPED}.1"
            run = {"type": "check", "platform": "pinterest", "cookies": cookies, "settings": [CANVAS, SITES]}
            handle(host, {"id": "c1", **run})
            results = {r["id"]: r for r in final(recorder, "c1")["data"]["results"]}
            assert results[CANVAS]["status"] == SettingStatus.PAUSED
            assert REASON in results[CANVAS]["message"] and results[CANVAS]["before"] is None
            assert results[SITES]["status"] == SettingStatus.WOULD_CHANGE  # the others still run

            handle(
                host, {"id": "c2", "type": "apply", "platform": "pinterest", "cookies": cookies, "settings": [CANVAS]}
            )
            report = final(recorder, "c2")["data"]
            assert report["results"][0]["status"] == SettingStatus.PAUSED and report["clicks"] == 0
            assert report["browser_launches"] == 0  # nothing to read: no browser at all
            assert replica.store.state(cookies)[CANVAS] is True

            unpaused = rules_document(version=f"{SHIPPED}.2")
            handle(host, {"id": "b2", "type": "rules", "platform": "pinterest", "bundle": signed(unpaused)})
            assert final(recorder, "b2")["data"]["version"] == f"{SHIPPED}.2"
            handle(host, {"id": "c3", **run})
            results = {r["id"]: r for r in final(recorder, "c3")["data"]["results"]}
            assert results[CANVAS]["status"] == SettingStatus.WOULD_CHANGE
        finally:
            host.shut_down(5)
