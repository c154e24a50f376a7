"""The popup's first status, in real Chromium with the real helper.

With no helper running, the popup asks a helper itself (popup/refresh-request.js) instead of waiting for the worker
to wake and ask; the worker stores the answer and starts the helper that a following opt-out uses. With the
worker's helper running, the popup asks the worker, and no other helper starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from native_host.engine.report import RunReport, SettingResult
from native_host.history.store import Store
from native_host.paths import history_db_path
from native_host.statuses import RunStatus, SettingStatus
from replica import ReplicaConfig, serve

from .browser import RECORD_HELPER_PORTS, ROOT, extension_on_replica, log_in, open_popup, ready_popup, service_worker

pytestmark = pytest.mark.browser

RULES = json.loads((ROOT / "rules" / "pinterest.json").read_text())
DEFAULTS = [setting for setting in RULES["settings"] if setting["default"]]
RUN_TIMEOUT_MS = 60_000

# The type of each request sent on each port the worker opened to a helper since RECORD_HELPER_PORTS.
SENT_TYPES = "() => globalThis.helperPorts.map((sent) => sent.map((message) => message.type))"


@dataclass
class World:
    replica: Any
    context: Any
    worker: Any
    data: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("popup-status")
    with serve(ReplicaConfig()) as replica, extension_on_replica(replica, tmp) as context:
        worker = service_worker(context)
        log_in(context)
        ready_popup(context).close()  # the first open also fetches the rules
        yield World(replica, context, worker, tmp / "data")


def record_a_command_line_check(data: Path, setting: dict[str, Any], state: bool) -> None:
    """A check made with `optout check`, as the helper's history keeps it; the extension has not seen it."""
    store = Store(history_db_path(data))
    run_id = store.start_run(
        platform="pinterest",
        mode="check",
        settings=[setting["id"]],
        rules_version=RULES["version"],
        rules_source="shipped",
        engine_version="test",
    )
    result = SettingResult(
        id=setting["id"],
        title=setting["title"],
        status=SettingStatus.ALREADY_OK if state == (setting["desired"] == "on") else SettingStatus.WOULD_CHANGE,
        desired=setting["desired"] == "on",
        before=state,
        verified=True,
    )
    store.finish_run(run_id, RunReport("check", "pinterest", RunStatus.DONE, results=[result]))


def stored_state_once_the_worker_has_a_helper(world: World, setting_id: str) -> dict[str, Any]:
    """The setting's stored state, once the worker has stored the popup's answer and started its helper (it
    does both after the popup is drawn)."""
    return world.worker.evaluate(
        """async (id) => {
            const deadline = Date.now() + 10_000;
            const stored = async () => (await chrome.storage.local.get("settingStates")).settingStates?.[id];
            while (Date.now() < deadline && !(globalThis.helperPorts.length && (await stored())?.status)) {
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
            return (await stored()) ?? null;
        }""",
        setting_id,
    )


def test_with_no_helper_running_the_popup_asks_one_itself_and_the_opt_out_reuses_the_one_the_worker_started(
    world: World,
) -> None:
    setting = DEFAULTS[0]
    world.worker.evaluate(RECORD_HELPER_PORTS)
    record_a_command_line_check(world.data, setting, state=setting["desired"] != "on")

    popup = open_popup(world.context)
    popup.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'", timeout=RUN_TIMEOUT_MS)

    # The command line's reading is drawn, and reaches storage, though no status went over a port of the worker's.
    row = popup.locator(f'[data-setting-id="{setting["id"]}"]')
    assert row.get_attribute("data-standing") == "not_as_chosen"
    stored = stored_state_once_the_worker_has_a_helper(world, setting["id"])
    assert stored["state"] is (setting["desired"] != "on")
    assert stored["status"] == SettingStatus.WOULD_CHANGE
    ports = world.worker.evaluate(SENT_TYPES)
    assert ports == [[]], "the worker starts one helper ahead of an opt-out, and asks it nothing yet"

    popup.click("#opt-out")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
    assert popup.evaluate("() => document.querySelector('main').dataset.finished") == "done"
    ports = world.worker.evaluate(SENT_TYPES)
    assert len(ports) == 1 and "apply" in ports[0], f"the opt-out went to the helper started ahead: {ports}"
    assert "status" not in ports[0]
    popup.close()

    # Within the helper's idle time the worker's helper is still there: the popup asks the worker, and nothing new
    # starts.
    ready_popup(world.context).close()
    ports = world.worker.evaluate(SENT_TYPES)
    assert len(ports) == 1 and ports[0][-1] == "status", ports
