"""A page that moves itself off Pinterest ends the run, and nothing read from the foreign page is reported."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from werkzeug.serving import make_server

from native_host.statuses import RunStatus, SettingStatus
from replica import ReplicaConfig
from replica.store import ReplicaStore

pytestmark = pytest.mark.browser


@pytest.fixture()
def lookalike():
    """Another origin showing every default setting's switch already off: the answer a false read would give."""
    titles = sorted({control["title"] for control in ReplicaStore(ReplicaConfig()).controls()})
    boxes = "".join(f"<label><input type=checkbox> {title}</label>" for title in titles)
    app = Flask(__name__)
    app.add_url_rule("/<path:anything>", "page", lambda anything: f"<h1>Privacy and data</h1>{boxes}")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_page_that_leaves_before_the_read_ends_the_run(replica_account, lookalike):
    account = replica_account(faults={"leaves_site"}, leave_to=lookalike, leave_seconds=0)
    report = account.run("check")
    assert report.status == RunStatus.FAILED
    assert "not Pinterest" in report.message and "read nothing" in report.message
    assert {result.status for result in report.results} == {SettingStatus.SKIPPED}
    assert all(result.before is None and result.after is None for result in report.results)


def test_a_page_that_leaves_before_the_verify_read_proves_nothing(replica_account, lookalike):
    account = replica_account()

    def leave_on_reload(event) -> None:
        if event.step == "verifying":
            account.store.configure(faults={"leaves_site"}, leave_to=lookalike, leave_seconds=0)

    report = account.run("apply", on_progress=leave_on_reload)
    assert report.status == RunStatus.FAILED and "not Pinterest" in report.message
    assert not any(result.status == SettingStatus.CHANGED or result.verified for result in report.results)
    assert all(result.after is None for result in report.results)
    assert all("could check" in result.message for result in report.results)
