"""Pages built differently from the bundled replica: the engine must cope, and never touch what it is unsure of."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask, redirect, request
from werkzeug.serving import make_server

from native_host.engine.run import RunOptions, apply, check
from native_host.rules.format import load_shipped_rules
from native_host.statuses import RunStatus, SettingStatus

pytestmark = pytest.mark.browser

RULES = load_shipped_rules()
CANVAS = "pinterest.genai.canvas_training"
OFF_PINTEREST = "pinterest.ads.off_pinterest"


class TinySite:
    """A settings page served from plain HTML; `{name}` in the body becomes `checked` while that box is on."""

    def __init__(self, body: str, state: dict[str, bool] | None = None):
        self.body = body
        self.state = dict(state or {})
        self.posts: list[dict[str, str]] = []
        self.app = Flask(__name__)
        self.app.add_url_rule("/settings/privacy", view_func=self.page, methods=["GET", "POST"])
        self.app.add_url_rule("/settings/privacy-and-data", view_func=lambda: redirect("/settings/privacy"))

    def page(self):
        if request.method == "POST":
            self.posts.append(dict(request.form))
            self.state = {name: name in request.form for name in self.state}
            return redirect("/settings/privacy")
        boxes = self.body.format(**{name: "checked" if on else "" for name, on in self.state.items()})
        return f"<!doctype html><html><body><h1>Privacy and data</h1><form method=post>{boxes}</form></body></html>"


@pytest.fixture()
def tiny_site(quiet_home) -> Iterator[callable]:
    servers = []

    def start(body: str, state: dict[str, bool] | None = None) -> tuple[TinySite, RunOptions]:
        site = TinySite(body, state)
        server = make_server("127.0.0.1", 0, site.app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_port}"
        return site, RunOptions(site_map={"https://www.pinterest.com": url}, pause_seconds=0, render_seconds=2)

    yield start
    for server in servers:
        server.shutdown()


def statuses(report) -> dict[str, SettingStatus]:
    return {result.id: result.status for result in report.results}


def test_a_disabled_control_in_the_wrong_state_is_locked(tiny_site):
    site, options = tiny_site(
        "<input type=checkbox id=q1 name=q1 checked disabled>"
        "<label for=q1>Use your data to train Pinterest Canvas</label>"
    )
    report = apply(RULES, [], [CANVAS], options)
    assert statuses(report)[CANVAS] == SettingStatus.LOCKED
    assert report.clicks == 0 and site.posts == []


def test_two_controls_with_the_same_label_are_left_alone(tiny_site):
    site, options = tiny_site(
        "<label><input type=checkbox name=a checked> Ads off Pinterest</label>"
        "<label><input type=checkbox name=b checked> Ads off Pinterest</label><button>Save</button>"
    )
    report = apply(RULES, [], [OFF_PINTEREST], options)
    assert statuses(report)[OFF_PINTEREST] == SettingStatus.AMBIGUOUS
    assert report.clicks == 0 and site.posts == []


def test_a_form_with_a_save_button_is_saved_and_verified(tiny_site):
    site, options = tiny_site(
        "<label><input type=checkbox name=canvas {canvas}> Use your data to train Pinterest Canvas</label>"
        "<label><input type=checkbox name=private {private}> Private profile</label>"
        "<button type=submit>Save</button>",
        {"canvas": True, "private": True},
    )
    report = apply(RULES, [], [CANVAS], options)
    assert statuses(report)[CANVAS] == SettingStatus.CHANGED, report.results[0].message
    assert site.state == {"canvas": False, "private": True}  # the decoy kept its state
    assert len(site.posts) == 1


def test_an_unknown_wording_is_not_found_and_nothing_is_clicked(tiny_site):
    site, options = tiny_site("<label><input type=checkbox checked> Let Canvas learn from your Pins</label>")
    report = check(RULES, [], [CANVAS], options)
    assert report.status == RunStatus.PARTIAL
    assert statuses(report)[CANVAS] == SettingStatus.NOT_FOUND
    assert report.clicks == 0


def test_a_menu_link_off_pinterest_is_never_followed(tiny_site):
    site, options = tiny_site(
        '<nav><a href="https://evil.example/settings/recommendations">Refine your recommendations</a></nav>'
    )
    visited: list[str] = []
    report = check(
        RULES,
        [],
        ["pinterest.recommendations.ai_content"],
        options,
        lambda event: visited.append(event.page or "") if event.step == "loading" else None,
    )
    assert report.status == RunStatus.PARTIAL, report.message
    assert statuses(report)["pinterest.recommendations.ai_content"] == SettingStatus.NOT_FOUND
    assert visited == [RULES.menu_page]


def test_a_menu_link_on_pinterest_is_followed_by_its_name(tiny_site):
    site, options = tiny_site('<nav><a href="/settings/genai">Refine your recommendations</a></nav>')
    site.app.add_url_rule(
        "/settings/genai",
        "genai",
        lambda: "<h2>GenAI interests</h2><label><input type=checkbox checked> Show AI content</label>",
    )
    report = check(RULES, [], ["pinterest.recommendations.ai_content"], options)
    [result] = report.results
    assert result.status == SettingStatus.WOULD_CHANGE and result.page == "https://www.pinterest.com/settings/genai"
