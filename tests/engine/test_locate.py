"""Finding controls by their label text in markup variants the engine was not written against."""

from dataclasses import replace

import pytest

from native_host.engine.labels import Control, Fit, find_control
from native_host.engine.run import MARKER, SCAN_CONTROLS
from native_host.rules.format import load_shipped_rules

pytestmark = pytest.mark.browser

RULES = load_shipped_rules()
CANVAS = RULES.setting("pinterest.genai.canvas_training")
SITES = RULES.setting("pinterest.ads.sites_you_visit")
PARTNER = RULES.setting("pinterest.ads.partner_info")
SEARCH = RULES.setting("pinterest.visibility.search_privacy")
AI_ART = RULES.setting("pinterest.recommendations.ai_content.art")

GESTALT_SWITCH = """
<div class="xQ4 r9k"><div class="switch Hsu Mk9"><input type="checkbox" id="{id}" class="checkbox x1 y2" {state}
  style="opacity:0;position:absolute;width:40px;height:24px;margin:0"><div class="slider qq1"></div></div>
  <label for="{id}" class="tBJ"><div class="X8m">{title}</div><div class="Ygm">{help}</div></label></div>
"""


def scan(page, html: str) -> list[Control]:
    page.set_content(f"<html><body>{html}</body></html>")
    return [Control.from_scan(raw) for raw in page.evaluate(SCAN_CONTROLS, MARKER)["controls"]]


def switch(id_: str, title: str, help_: str = "", on: bool = True) -> str:
    return GESTALT_SWITCH.format(id=id_, title=title, help=help_, state="checked" if on else "")


def test_gestalt_switch_title_matches_exactly_beside_help_text(page):
    controls = scan(
        page,
        switch(
            "a1",
            "Use your data to train Pinterest Canvas",
            "Allow your data to be used to help train Pinterest Canvas.",
        )
        + switch("a2", "Private profile", "Only people you approve can see your profile", on=False),
    )
    match = find_control(CANVAS, controls, RULES.settings)
    assert match.fit == Fit.EXACT and not match.ambiguous
    assert match.control.checked is True and match.control.click == "control"
    assert match.wording == "Use your data to train Pinterest Canvas"


def test_wording_is_normalised_for_case_whitespace_and_punctuation(page):
    controls = scan(page, switch("b", "  use SITES you   visit. ", on=False))
    match = find_control(SITES, controls, RULES.settings)
    assert match.fit == Fit.EXACT
    assert match.control.checked is False


def test_checkbox_with_wrapping_label(page):
    controls = scan(page, '<label><input type="checkbox" checked> Use info from our ad partners</label>')
    match = find_control(PARTNER, controls, RULES.settings)
    assert match.fit == Fit.EXACT and match.control.checked is True


def test_aria_switch_labelled_by_another_element(page):
    controls = scan(
        page,
        '<span id="t">Use of partner info</span>'
        '<button role="switch" aria-checked="false" aria-labelledby="t"></button>',
    )
    match = find_control(PARTNER, controls, RULES.settings)
    assert match.fit == Fit.EXACT and match.control.checked is False


def test_aria_label_names_a_control(page):
    controls = scan(page, '<div role="switch" tabindex="0" aria-checked="true" aria-label="Search privacy"></div>')
    assert find_control(SEARCH, controls, RULES.settings).control.checked is True


def test_an_unseen_longer_title_matches_loosely_when_no_exact_wording_exists(page):
    controls = scan(page, switch("c", "Use sites you visit to improve which ads and Pins you see"))
    match = find_control(SITES, controls, RULES.settings)
    assert match.fit == Fit.LOOSE and match.wording == "Use sites you visit"


def test_exact_wording_beats_a_looser_one(page):
    controls = scan(
        page,
        switch("d1", "Use sites you visit to improve which ads and Pins you see")
        + switch("d2", "Use info from sites you visit"),
    )
    match = find_control(SITES, controls, RULES.settings)
    assert match.fit == Fit.EXACT and not match.ambiguous
    assert match.control.describe() == "Use info from sites you visit"


def test_two_equally_good_controls_are_ambiguous(page):
    controls = scan(page, switch("e1", "Ads off Pinterest") + switch("e2", "Ads off Pinterest"))
    match = find_control(RULES.setting("pinterest.ads.off_pinterest"), controls, RULES.settings)
    assert match.ambiguous


def test_short_wordings_never_match_loosely(page):
    controls = scan(page, switch("f", "Search privacy for your boards"))
    assert find_control(SEARCH, controls, RULES.settings).control is None


def test_a_control_another_setting_names_exactly_is_not_taken_loosely(page):
    broad = replace(SITES, id="test.broad", labels=("Share your activity",))
    narrow = replace(SITES, id="test.narrow", labels=("Share your activity with partners",))
    controls = scan(page, switch("g", "Share your activity with partners"))
    assert find_control(broad, controls, (broad,)).fit == Fit.LOOSE  # alone, the broad wording would take it
    assert find_control(broad, controls, (broad, narrow)).control is None
    assert find_control(narrow, controls, (broad, narrow)).fit == Fit.EXACT


def test_section_scoping_keeps_topic_switches_apart(page):
    controls = scan(
        page,
        "<h2>Interests</h2>" + switch("i1", "Art") + "<h2>GenAI interests</h2>" + switch("i2", "Art", on=True),
    )
    match = find_control(AI_ART, controls, RULES.settings)
    assert not match.ambiguous
    assert "GenAI interests" in match.control.sections
    assert match.control.ref == controls[1].ref


def test_hidden_controls_are_not_candidates(page):
    controls = scan(
        page,
        '<div style="display:none">' + switch("h1", "Ads off Pinterest") + "</div>" + switch("h2", "Ads off Pinterest"),
    )
    match = find_control(RULES.setting("pinterest.ads.off_pinterest"), controls, RULES.settings)
    assert match.control is not None and not match.ambiguous


def test_disabled_control_is_reported_disabled(page):
    controls = scan(
        page,
        '<input type="checkbox" id="m" disabled checked><label for="m">Use your data to train Pinterest Canvas</label>',
    )
    assert find_control(CANVAS, controls, RULES.settings).control.disabled is True


def test_no_label_means_no_match_even_beside_the_text(page):
    controls = scan(page, '<div>Ads off Pinterest</div><input type="checkbox" checked>')
    assert find_control(RULES.setting("pinterest.ads.off_pinterest"), controls, RULES.settings).control is None


def test_title_and_subtitle_in_inline_spans(page):
    controls = scan(
        page,
        '<input type="checkbox" id="s"><label for="s"><span>Sharing info with partners</span>'
        "<span>Share your information and activity with partners</span></label>",
    )
    setting = RULES.setting("pinterest.ads.sharing_with_partners")
    assert find_control(setting, controls, RULES.settings).fit == Fit.EXACT
