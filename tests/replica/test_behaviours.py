"""Page behaviours beyond the four variants: late states, save models, section styles, a page that leaves."""

from __future__ import annotations

import json
import re

import pytest
from replica_helpers import Markup

from replica.config import SAVE_MODELS, SECTION_STYLES, ConfigError, ReplicaConfig


def props_of(client, path: str = "/settings/privacy") -> dict:
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<script id="__PWS_INITIAL_PROPS__" type="application/json">(.*?)</script>', html, re.S)
    assert tag, "the page carries no initial props"
    return json.loads(tag.group(1))


def page_script(client) -> str:
    html = client.get("/settings/privacy").get_data(as_text=True)
    [src] = Markup(html).find("script", defer="")
    return client.get(src["src"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"save_model": "autosave"}, "save_model"),
        ({"section_style": "carousel"}, "section_style"),
        ({"variant": "legacy", "save_model": "bar"}, "page script"),
        ({"variant": "legacy", "faults": {"late_states"}}, "page script"),
        ({"faults": {"leaves_site"}}, "leave_to"),
        ({"late_seconds": -1}, "negative"),
    ],
)
def test_impossible_behaviours_are_refused_with_a_reason(options, problem):
    with pytest.raises(ConfigError, match=problem):
        ReplicaConfig(**options)


def test_the_page_script_is_told_its_behaviour(logged_in):
    app, client = logged_in(
        save_model="confirm",
        section_style="tab",
        faults={"late_states", "leaves_site"},
        late_draw_seconds=0.2,
        leave_to="http://127.0.0.1:9",
        leave_seconds=0.5,
    )
    behaviour = props_of(client)["behaviour"]
    assert behaviour == {
        "saveModel": "confirm",
        "sectionStyle": "tab",
        "lateStates": True,
        "lateDrawSeconds": 0.2,
        "leaveTo": "http://127.0.0.1:9",
        "leaveSeconds": 0.5,
    }


def test_a_plain_page_has_no_behaviour_switched_on(logged_in):
    app, client = logged_in()
    behaviour = props_of(client)["behaviour"]
    assert behaviour["saveModel"] == "" and behaviour["sectionStyle"] == "heading"
    assert behaviour["lateStates"] is False and behaviour["leaveTo"] == ""


def test_the_page_script_knows_every_save_model_and_section_style(logged_in):
    app, client = logged_in()
    script = page_script(client)
    for model in filter(None, SAVE_MODELS):
        assert f'saveModel === "{model}"' in script, model
    for style in SECTION_STYLES:
        if style != "heading":
            assert f'style === "{style}"' in script, style
