"""Teaching Optout a setting it could not find: candidates on a not-found setting's page, and taught wordings
that add a label to an existing setting on its own pages only."""

from __future__ import annotations

import dataclasses
import json

import pytest

from native_host.cli.main import main
from native_host.engine import decisions
from native_host.engine.decisions import Scan
from native_host.engine.labels import Control, Source, find_control
from native_host.rules.format import load_shipped_rules
from native_host.rules.wordings import (
    MAX_PER_SETTING,
    MAX_SETTINGS,
    MAX_WORDING,
    WordingsError,
    parse_wordings,
    read_wordings_file,
    with_wordings,
)
from native_host.statuses import SettingStatus
from replica import pages

RULES = load_shipped_rules()
CANVAS = "pinterest.genai.canvas_training"
SITES = "pinterest.ads.sites_you_visit"
PRIVACY_URL = "https://www.pinterest.com/settings/privacy"


def control(ref: str, title: str, kind: str = "switch", checked: bool | None = True, help_text: str = "") -> Control:
    titles = [title] if help_text else []
    names = [f"{title} {help_text}".strip()]
    return Control(ref, names, titles, [], checked, False, "control", kind)


# -- the structure ------------------------------------------------------------------------------------------


def test_wordings_are_checked_for_shape_with_a_sentence():
    assert parse_wordings(None) == {}
    assert parse_wordings({CANVAS: ["Let AI learn", "Let AI learn"]}) == {CANVAS: ("Let AI learn",)}
    refused = [
        (["x"], "must be an object"),
        ({CANVAS: "Let AI learn"}, "must be a list of texts"),
        ({CANVAS: [3]}, "must be a list of texts"),
        ({CANVAS: ["x" * (MAX_WORDING + 1)]}, f"longer than {MAX_WORDING}"),
        ({CANVAS: ["?!"]}, "no letters or digits"),
        ({CANVAS: [f"w{n}" for n in range(MAX_PER_SETTING + 1)]}, "more than"),
        ({f"a.b{n}": ["w"] for n in range(MAX_SETTINGS + 1)}, f"at most {MAX_SETTINGS}"),
    ]
    for document, words in refused:
        with pytest.raises(WordingsError, match=words):
            parse_wordings(document)


def test_a_wording_for_a_setting_the_rules_do_not_have_is_refused():
    with pytest.raises(WordingsError, match="'pinterest.made_up'"):
        with_wordings(RULES, {"pinterest.made_up": ("Anything",)})
    taught = with_wordings(RULES, {CANVAS: ("Let AI learn",)})
    assert taught.setting(CANVAS).taught == ("Let AI learn",)
    assert taught.setting(CANVAS).labels == RULES.setting(CANVAS).labels  # the rules' own wordings stay
    assert RULES.setting(CANVAS).taught == ()  # the rules themselves are untouched


# -- matching -----------------------------------------------------------------------------------------------


def test_a_taught_wording_counts_only_on_the_settings_own_page():
    rules = with_wordings(RULES, {CANVAS: (pages.REWORDED_CANVAS,)})
    controls = [control("1", pages.REWORDED_CANVAS, help_text="Allow your data to be used.")]
    elsewhere = find_control(rules.setting(CANVAS), controls, rules.settings)
    assert elsewhere.control is None
    own = find_control(rules.setting(CANVAS), controls, rules.settings, taught=True)
    assert own.control is controls[0] and own.source == Source.TAUGHT and own.wording == pages.REWORDED_CANVAS


def test_the_rules_wording_wins_over_a_taught_one_and_says_so():
    rules = with_wordings(RULES, {CANVAS: ("Some other switch",)})
    controls = [control("1", "Use your data to train Pinterest Canvas"), control("2", "Some other switch")]
    match = find_control(rules.setting(CANVAS), controls, rules.settings, taught=True)
    assert match.source == Source.RULES and match.control is controls[0] and not match.ambiguous


def test_a_taught_wording_never_takes_a_control_another_settings_rules_name():
    rules = with_wordings(RULES, {CANVAS: ("Use info from sites you visit",)})
    controls = [control("1", "Use info from sites you visit")]
    assert find_control(rules.setting(CANVAS), controls, rules.settings, taught=True).control is None
    assert find_control(rules.setting(SITES), controls, rules.settings).control is controls[0]


# -- candidates ---------------------------------------------------------------------------------------------


def test_candidates_are_the_on_off_controls_no_rule_names():
    long_title = "Let it " + "learn " * 100
    scan = Scan(
        PRIVACY_URL,
        [
            control("1", "Use info from sites you visit"),
            control("2", pages.REWORDED_CANVAS, "switch", True, "Allow your data to be used."),
            control("3", "Personalized recommendations", "checkbox", False),
            control("4", "Personalized recommendations", "checkbox", False),  # listed once
            control("5", long_title, "other", None),
        ],
    )
    found = [candidate.to_json() for candidate in decisions.candidates(scan, RULES)]
    assert found == [
        {"label": pages.REWORDED_CANVAS, "kind": "switch", "state": True},
        {"label": "Personalized recommendations", "kind": "checkbox", "state": False},
        {"label": decisions.clip(long_title), "kind": "other", "state": None},
    ]
    assert len(found[2]["label"]) == decisions.MAX_TEXT


def test_candidates_are_capped():
    scan = Scan(PRIVACY_URL, [control(str(n), f"Topic number {n}") for n in range(200)])
    assert len(decisions.candidates(scan, RULES)) == decisions.MAX_CANDIDATES


def test_a_page_language_is_kept_only_when_it_is_a_language_tag():
    assert decisions.language_tag("en-US") == "en-US"
    assert decisions.language_tag("de") == "de"
    for bad in ("", None, "en US", "<script>", "x" * 40, 7):
        assert decisions.language_tag(bad) == ""


# -- on the replica -----------------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_reworded_switch_is_not_found_with_candidates_then_taught_and_opted_out(replica_account):
    account = replica_account(faults={"reworded"})
    report = account.run("check", [CANVAS, SITES])
    canvas, sites = report.results
    assert canvas.status == SettingStatus.NOT_FOUND and sites.status == SettingStatus.WOULD_CHANGE
    assert canvas.page.endswith("/settings/privacy") and canvas.language == "en"
    labels = {candidate["label"]: candidate for candidate in canvas.candidates}
    # Gestalt's Switch is a native checkbox drawn as a switch: the page says "checkbox"
    assert labels[pages.REWORDED_CANVAS] == {"label": pages.REWORDED_CANVAS, "kind": "checkbox", "state": True}
    assert "Use info from sites you visit" not in labels  # a rule names it
    assert sites.wording_source == "rules"

    taught = with_wordings(RULES, {CANVAS: (pages.REWORDED_CANVAS,)})
    report = account.run("apply", [CANVAS], rules=taught)
    (canvas,) = report.results
    assert canvas.status == SettingStatus.CHANGED, canvas.message
    assert canvas.wording == pages.REWORDED_CANVAS and canvas.wording_source == "taught"
    assert canvas.candidates == []
    assert account.state()[pages.CANVAS] is False
    assert report.to_json()["results"][0]["wording_source"] == "taught"


@pytest.mark.browser
def test_a_taught_wording_is_not_used_on_another_settings_page(replica_account):
    # Search privacy's own page is made the profile-visibility page alone; its taught wording names the reworded
    # Canvas switch on the privacy page, which is Canvas's page, not search privacy's: it must not be taken there.
    account = replica_account(faults={"reworded"})
    search = RULES.setting("pinterest.visibility.search_privacy")
    moved = dataclasses.replace(search, urls=("https://www.pinterest.com/settings/profile-visibility",))
    rules = dataclasses.replace(RULES, settings=tuple(moved if s.id == search.id else s for s in RULES.settings))
    rules = with_wordings(rules, {search.id: (pages.REWORDED_CANVAS,)})
    report = account.run("check", [CANVAS, search.id], rules=rules)
    results = {result.id: result for result in report.results}
    assert results[CANVAS].status == SettingStatus.NOT_FOUND
    assert results[search.id].wording == "Search privacy" and results[search.id].wording_source == "rules"
    assert results[search.id].page.endswith("/settings/profile-visibility")


# -- the command line ---------------------------------------------------------------------------------------


def test_cli_refuses_a_wordings_file_it_cannot_use(tmp_path, capsys):
    path = tmp_path / "wordings.json"
    (tmp_path / "none.json").write_text("[]", encoding="utf-8")
    for text, words in (
        ('{"pinterest.made_up": ["x"]}', "'pinterest.made_up'"),
        ('{"pinterest.genai.canvas_training": "x"}', "must be a list of texts"),
        ("{not json", "is not JSON"),
    ):
        path.write_text(text, encoding="utf-8")
        assert main(["check", "--wordings", str(path), "--cookies", str(tmp_path / "none.json")]) == 2
        assert words in capsys.readouterr().err
    with pytest.raises(WordingsError, match="Cannot read"):
        read_wordings_file(tmp_path / "missing.json")


@pytest.mark.browser
def test_cli_applies_a_taught_wording_from_a_file(replica_account, tmp_path, capsys):
    account = replica_account(faults={"reworded"})
    cookies = tmp_path / "cookies.json"
    cookies.write_text(json.dumps(account.cookies), encoding="utf-8")
    wordings = tmp_path / "wordings.json"
    wordings.write_text(json.dumps({CANVAS: [pages.REWORDED_CANVAS]}), encoding="utf-8")
    args = [
        "--settings",
        CANVAS,
        "--cookies",
        str(cookies),
        "--site-map",
        f"https://www.pinterest.com={account.replica.url}",
    ]
    assert main(["apply", *args, "--json", "--quiet", "--wordings", str(wordings)]) == 0
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["status"] == "changed" and result["wording_source"] == "taught"
    assert account.state()[pages.CANVAS] is False
