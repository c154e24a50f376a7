"""A field report's whole journey, end to end: the replica renames Canvas training's switch, the popup finds it
not, the person teaches it by choosing a candidate, sends the field report to the real rules service (built by
its app factory, served live on this computer, SQLite in its own data directory), and the next opt-out turns
the switch off on the replica's server. A maintainer then finds the report with `optout reports list` and
accepts it into a copy of the rules file, which afterwards names the taught wording and the reports as its
source, and still loads."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from native_host.rules.format import RULES_DIR, load_rules_file
from native_host.rules.signing import generate_private_key, private_key_to_pem
from replica import ReplicaConfig, pages, serve
from server import create_app
from server.report_store import ReportStore, finding_id, sqlite_url

from .browser import EXTENSION_ID, PYTHON, ROOT, extension_on_replica, log_in, ready_popup, service_worker
from .test_teach_popup import CANVAS, local, opt_out

pytestmark = pytest.mark.browser

PLATFORM = "pinterest"


@dataclass
class Flow:
    """What test_teach_popup's helpers look at (context, worker), plus the live rules service."""

    replica: Any
    context: Any
    worker: Any
    session: str
    service_url: str
    database_url: str


@contextmanager
def live_rules_service(data_dir: Path) -> Iterator[str]:
    """The rules service as `optout serve` builds it, on a loopback port; yields its address.

    It signs with a key made here, which the host's data directory does not trust: every bundle it serves is
    refused by the host, which then runs its own copy. That refusal is part of what the test checks (a rules
    service with a foreign key must not break a run), so the key is deliberately not added to trusted_keys.json.
    """
    from werkzeug.serving import make_server

    app = create_app(
        {
            "DATA_DIR": str(data_dir),
            "SIGNING_KEY": private_key_to_pem(generate_private_key()).decode(),
            # The CORS origin the extension's fetches carry; the same id the manifest's key gives it.
            "EXTENSION_IDS": [EXTENSION_ID],
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def optout(*args: str) -> subprocess.CompletedProcess[str]:
    """The `optout` command as a maintainer runs it, in its own process with no inherited Optout settings."""
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("OPTOUT_")}
    return subprocess.run(
        [str(PYTHON), "-m", "native_host.cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def flow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flow]:
    # create_app reads OPTOUT_SERVER_* and OPTOUT_DATA_DIR: nothing from the machine may change this service.
    import os

    for name in list(os.environ):
        if name.startswith("OPTOUT_"):
            monkeypatch.delenv(name)
    service_data = tmp_path / "service-data"
    with live_rules_service(service_data) as service_url:
        with serve(ReplicaConfig(faults=frozenset({"reworded"}))) as replica:
            with extension_on_replica(replica, tmp_path / "browser") as context:
                worker = service_worker(context)
                yield Flow(replica, context, worker, log_in(context), service_url, sqlite_url(service_data))


def configure_service(world: Flow) -> None:
    """Options → Advanced: the rules service address, as a person types it. Saving fetches the service's bundle
    at once (through its CORS answer) and hands it to the host, which refuses the foreign key, and the page says
    so. Waiting for that sentence proves the fetch reached the service and the host judged what came back."""
    from playwright.sync_api import expect

    options = world.context.new_page()
    options.goto(f"chrome-extension://{EXTENSION_ID}/options.html")
    options.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=30_000)
    options.fill("#service-url", world.service_url)
    options.locator("#service-form").evaluate("(form) => form.requestSubmit()")
    status = options.locator("#service-status")
    expect(status).to_have_attribute("data-state", "refused", timeout=30_000)
    expect(status).to_contain_text(world.service_url)
    expect(status).to_contain_text("did not pass the helper\u2019s safety check")
    options.close()
    assert local(world, "preferences")["serviceUrl"] == world.service_url
    rules = local(world, "rules")
    assert rules["fromService"] == world.service_url and rules["refused"]
    assert rules["source"] == "shipped"  # the host ran its own copy, not the refused bundle


def test_a_taught_wording_travels_from_the_popup_to_the_rules_file(flow: Flow, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    world, database_url = flow, flow.database_url
    configure_service(world)
    assert world.replica.store.state(world.session)[CANVAS] is True

    # The renamed switch is not found; the popup offers the switches on its page.
    popup = ready_popup(world.context)
    opt_out(popup)
    row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
    expect(row.locator(".pill")).to_have_text("Not offered")
    candidate = row.locator(f'.teach-candidates button[data-label="{pages.REWORDED_CANVAS}"]')
    expect(candidate).to_be_visible()

    # Choosing the right one teaches it; the report it offers then carries that choice. The popup offers the
    # report only while the setting's last run said "not found", so it is sent before the next opt-out.
    candidate.click()
    expect(row.locator(".taught-note")).to_contain_text(pages.REWORDED_CANVAS)
    assert local(world, "taught") == {CANVAS: [pages.REWORDED_CANVAS]}
    store = ReportStore(database_url)
    assert store.count() == 0  # nothing is sent before the person presses Send

    row.locator(".report-toggle").click()
    shown = json.loads(row.locator(".report-document").inner_text())
    assert shown["taught"] == {"setting": CANVAS, "label": pages.REWORDED_CANVAS}
    row.locator(".report-send").click()
    expect(row.locator(".report-sent")).to_contain_text("Sent")

    # The service kept exactly the document the popup showed.
    assert store.count() == 1
    (report_id,) = store.report_ids()
    assert store.report(report_id)["report"] == shown

    # The next opt-out finds the switch by the taught name and turns it off on the replica's server, although
    # the rules service's bundle was refused.
    opt_out(popup)
    row = popup.locator(f'.setting[data-setting-id="{CANVAS}"]')
    expect(row.locator(".pill")).to_have_text("Opted out")
    assert world.replica.store.state(world.session)[CANVAS] is False
    popup.close()

    # The maintainer's side: the report is one finding, found by the command line in the service's database.
    listed = optout("reports", "--database", database_url, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    findings = json.loads(listed.stdout)["findings"]
    expected_id = finding_id(PLATFORM, CANVAS, shown["language"], pages.REWORDED_CANVAS)
    assert [(found["id"], found["setting"], found["wording"], found["count"]) for found in findings] == [
        (expected_id, CANVAS, pages.REWORDED_CANVAS, 1)
    ]

    rules_file = tmp_path / "pinterest.json"
    shutil.copy(RULES_DIR / "pinterest.json", rules_file)
    before = load_rules_file(rules_file)
    assert pages.REWORDED_CANVAS not in before.setting(CANVAS).labels
    accepted = optout("reports", "--database", database_url, "accept", expected_id, "--rules", str(rules_file))
    assert accepted.returncode == 0, accepted.stderr
    assert pages.REWORDED_CANVAS in accepted.stdout

    after = load_rules_file(rules_file)  # raises if the written file would not load
    canvas = after.setting(CANVAS)
    assert canvas.labels[0] == pages.REWORDED_CANVAS
    assert set(before.setting(CANVAS).labels) < set(canvas.labels)
    new_sources = [line for line in canvas.sources if line not in before.setting(CANVAS).sources]
    assert len(new_sources) == 1 and expected_id in new_sources[0] and report_id in new_sources[0]
    assert after.version != before.version
    assert ReportStore(database_url).findings("accepted")[0].id == expected_id
    assert ReportStore(database_url).findings() == []  # no longer open
