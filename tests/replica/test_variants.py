"""Each page style: its wordings (from pinterest-facts.md), its markup, and nothing a selector could cheat with."""

from __future__ import annotations

import json
import re

import pytest
from replica_helpers import Markup, items, save, session_value, store_of

from replica import pages
from replica.config import VARIANTS

# Titles of the privacy page per variant, as pinterest-facts.md quotes them.
WORDINGS = {
    "switch": {
        pages.CANVAS: "Use your data to train Pinterest Canvas",
        pages.SITES: "Use info from sites you visit",
        pages.PARTNER: "Use of partner info",
        pages.ABOUT: "Ads about Pinterest",
        pages.REPORTING: "Activity for ads reporting",
        pages.SHARING: "Sharing info with partners",
        pages.OFF_PINTEREST: "Ads off Pinterest",
        pages.ACTIVITY: "Use of Pinterest Activity",
    },
    "checkbox": {
        pages.SITES: "Use sites you visit to improve which ads you see on Pinterest",
        pages.PARTNER: "Use partner info to improve which ads you see on Pinterest",
        pages.ABOUT: "Use your activity to improve ads you see about Pinterest on other sites or apps you may visit",
        pages.REPORTING: "Share activity for ads performance reporting",
        pages.PRIVATE_PROFILE: "Private profile",
        pages.SEARCH_PRIVACY: "Search privacy",
    },
    "legacy": {
        pages.SITES: "Use sites you visit",
        pages.PARTNER: "Use information from our partners to improve recommendations and ads you see",
        pages.ABOUT: "Improve the ads you see about Pinterest",
        pages.REPORTING: "Share activity for ads performance reporting",
        pages.SEARCH_PRIVACY: "Search privacy",
    },
    "aria": {
        pages.SITES: "Use sites you visit to improve which recommendations and ads you see on Pinterest",
        pages.PARTNER: "Use info from our ad partners",
        pages.ABOUT: "Ads about Pinterest",
        pages.REPORTING: "Activity for ads reporting",
    },
}
WORDINGS["gestalt"] = WORDINGS["switch"]  # the Gestalt app shows the app audit's wordings too
CLIENT_VARIANTS = ["switch", "checkbox", "aria"]
# Pages without the hand-written page script: the legacy form, and the gestalt app, whose bundle is Gestalt's own
# library (it can write data-test-id when asked); what that app draws is checked in a browser in test_gestalt.py.
WITHOUT_PAGE_SCRIPT = {"legacy", "gestalt"}
PAGES = {
    "/settings/privacy": "privacy",
    "/settings/profile-visibility": "profile_visibility",
    "/settings/refine-recommendations": "refine_recommendations",
}
RULE_ID = re.compile(r"pinterest\.[a-z_]+\.[a-z_]+")


def js_function(script: str, name: str) -> str:
    """The source of one top-level function of the page script."""
    match = re.search(rf"\n  function {name}\(.*?\n  \}}\n", script, re.S)
    assert match, f"the page script has no function {name}"
    return match.group(0)


def page_script(client, html: str) -> str:
    src = Markup(html).find("script", defer="")
    assert len(src) == 1, src
    response = client.get(src[0]["src"])
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    return response.get_data(as_text=True)


def test_the_variants_are_the_four_documented_ones():
    assert set(VARIANTS) == set(WORDINGS)


@pytest.mark.parametrize("variant", CLIENT_VARIANTS)
def test_client_pages_render_the_variants_wordings_from_their_json(logged_in, variant):
    app, client = logged_in(variant=variant)
    html = client.get("/settings/privacy").get_data(as_text=True)
    props_tag = re.search(r'<script id="__PWS_INITIAL_PROPS__" type="application/json">(.*?)</script>', html, re.S)
    props = json.loads(props_tag.group(1))
    assert props["mode"] == variant
    assert props["page"] == "privacy"
    assert props["saveLabel"] == "Done"
    shown = items(client)
    for key, title in WORDINGS[variant].items():
        assert shown[key]["title"] == title, key
    assert shown[pages.CANVAS]["help"] == "Allow your data to be used to help train Pinterest Canvas."
    assert {c["key"] for c in store_of(app).controls() if c["page"] == "/settings/privacy"} == set(shown)


def test_legacy_page_is_server_rendered_with_checkboxes_inside_their_labels(logged_in):
    app, client = logged_in(variant="legacy")
    response = client.get("/settings/privacy")
    html = response.get_data(as_text=True)
    assert "<script" not in html
    markup = Markup(html)
    assert markup.find("form", method="post", action="/settings/privacy")
    assert markup.find("input", type="hidden", name="csrfmiddlewaretoken", value=client.get_cookie("csrftoken").value)
    assert markup.find("button", type="submit")
    assert "Save" in markup.text
    labels = re.findall(r"<label[^>]*>\s*<input type=\"checkbox\"([^>]*)>\s*([^<]+?)\s*</label>", html)
    titles = {title for _, title in labels}
    assert set(WORDINGS["legacy"].values()) <= titles
    assert "Private profile" not in titles  # the legacy privacy page has no profile section
    checked = {title: " checked" in attrs for attrs, title in labels}
    assert checked["Use sites you visit"] is True
    assert checked["Search privacy"] is False
    for attrs, _ in labels:
        assert " id=" not in attrs and "aria-" not in attrs and "role=" not in attrs


def test_legacy_save_posts_the_whole_form(logged_in):
    app, client = logged_in(variant="legacy")
    html = client.get("/settings/privacy").get_data(as_text=True)
    markup = Markup(html)
    boxes = markup.find("input", type="checkbox")
    form = {"csrfmiddlewaretoken": client.get_cookie("csrftoken").value}
    for box in boxes:
        if "checked" in box:
            form[box["name"]] = "on"
    sites_field = store_of(app).names.field_name(pages.SITES)
    del form[sites_field]  # untick "Use sites you visit", keep the rest as they are
    response = client.post("/settings/privacy", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/settings/privacy"
    assert store_of(app).writes(session_value(client)) == [(pages.SITES, False)]
    after = client.get("/settings/privacy").get_data(as_text=True)
    assert "Your settings have been saved." in after
    assert "Your settings have been saved." not in client.get("/settings/privacy").get_data(as_text=True)


def test_legacy_form_posts_are_refused_on_client_variants(logged_in):
    _, client = logged_in(variant="switch")
    assert client.post("/settings/privacy", data={}).status_code == 405


@pytest.mark.parametrize("variant,label", [("checkbox", "Done"), ("legacy", "Save"), ("switch", "Done")])
def test_save_label_defaults_and_override(logged_in, variant, label):
    _, client = logged_in(variant=variant)
    assert label in client.get("/settings/privacy").get_data(as_text=True)
    _, client = logged_in(variant=variant, save_label="Update settings")
    assert "Update settings" in client.get("/settings/privacy").get_data(as_text=True)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_no_test_ids_or_rule_ids_reach_the_page(logged_in, variant):
    """Nothing the DOM carries names a setting: not the HTML, not the script, not the JSON fields it renders."""
    _, client = logged_in(variant=variant)
    for path, page in PAGES.items():
        html = client.get(path).get_data(as_text=True)
        assert "data-test" not in html
        assert not RULE_ID.search(html), path
        assert "decoy." not in html
        if variant in WITHOUT_PAGE_SCRIPT:
            continue
        script = page_script(client, html)
        assert "data-test" not in script and not RULE_ID.search(script) and "decoy." not in script
        for item in items(client, page).values():
            rendered = " ".join(str(item[name]) for name in ("id", "title", "help"))
            assert not RULE_ID.search(rendered) and "decoy." not in rendered
    # The field key is the only place a setting's id appears, and the script sends it back without rendering it.
    if variant not in WITHOUT_PAGE_SCRIPT:
        script = page_script(client, client.get("/settings/privacy").get_data(as_text=True))
        assert "item.field" in script
        assert not re.search(r"(setAttribute|dataset|textContent|id\s*=)[^;\n]*item\.field", script)


def test_switch_rows_follow_gestalt_switch_and_carry_no_aria_state(logged_in):
    _, client = logged_in(variant="switch")
    script = page_script(client, client.get("/settings/privacy").get_data(as_text=True))
    switch = js_function(script, "switchRow")
    assert 'el("input", "checkbox "' in switch and 'input.type = "checkbox"' in switch
    assert 'el("div", "switch "' in switch and '"slider "' in switch
    assert "label.htmlFor = forId" in js_function(script, "labelBlock")
    for forbidden in ("role", "aria-checked", "aria-label", "setAttribute"):
        assert forbidden not in switch, forbidden
    aria = js_function(script, "ariaRow")
    assert 'setAttribute("role", "switch")' in aria
    assert 'setAttribute("aria-labelledby"' in aria and "aria-checked" in aria
    checkbox = js_function(script, "checkboxRow")
    assert '"-helperText"' in checkbox and 'setAttribute("aria-invalid"' in checkbox


def test_generated_names_differ_between_instances_and_repeat_with_a_seed(make_app):
    def login_classes(app) -> set[str]:
        return Markup(app.test_client().get("/login/").get_data(as_text=True)).classes()

    def input_ids(app) -> set[str]:
        client = app.test_client()
        client.post("/login/", data={"id": "a@b.c", "password": "pw"})
        return {item["id"] for item in items(client).values()}

    one, two, again = make_app(seed=1), make_app(seed=2), make_app(seed=1)
    assert login_classes(one) and login_classes(one).isdisjoint(login_classes(two))
    assert login_classes(one) == login_classes(again)
    assert input_ids(one).isdisjoint(input_ids(two))
    assert input_ids(one) == input_ids(again)
    assert store_of(one).names.build != store_of(two).names.build
    unseeded = [login_classes(make_app()) for _ in range(2)]
    assert unseeded[0] != unseeded[1]


def test_old_script_builds_are_404(logged_in):
    app, client = logged_in()
    assert client.get(f"/static/js/settings.{store_of(app).names.build}.js").status_code == 200
    assert client.get("/static/js/settings.0000000.js").status_code == 404


def test_decoys_sit_next_to_the_rules(logged_in):
    app, client = logged_in(variant="switch")
    visibility = items(client, "profile_visibility")
    assert visibility[pages.PRIVATE_PROFILE]["title"] == "Private profile"
    assert visibility[pages.SEARCH_PRIVACY]["title"] == "Search privacy"
    refine = items(client, "refine_recommendations")
    assert refine[pages.AI_CONTENT]["title"] == "Show AI content"
    assert refine[pages.interest_key("art")]["title"] == refine[pages.genai_topic_key("art")]["title"] == "Art"
    assert save(client, {pages.genai_topic_key("art"): False}).status_code == 200
    assert store_of(app).state(session_value(client))[pages.interest_key("art")] is True
