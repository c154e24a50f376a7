"""The rules are data that hold to their schema, and the engine refuses what it must not run."""

import copy
import json

import jsonschema
import pytest

from native_host.rules.domains import domains_of
from native_host.rules.format import (
    RULES_DIR,
    SCHEMA_PATH,
    RulesError,
    load_shipped_rules,
    parse_rules,
    rebase,
)
from native_host.version import ENGINE_VERSION
from tests.engine.known_settings import FACT_IDS

DOCUMENT = json.loads((RULES_DIR / "pinterest.json").read_text(encoding="utf-8"))


def changed(**edits) -> dict:
    document = copy.deepcopy(DOCUMENT)
    document.update(edits)
    return document


def test_every_rules_file_holds_to_the_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    files = [path for path in RULES_DIR.glob("*.json") if path != SCHEMA_PATH]
    assert files
    for path in files:
        jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text(encoding="utf-8")))


def test_every_setting_in_the_facts_has_a_rule():
    assert FACT_IDS <= set(load_shipped_rules().ids())


def test_default_opt_out_leaves_the_choices_out():
    rules = load_shipped_rules()
    defaults = {setting.id for setting in rules.select()}
    assert "pinterest.genai.canvas_training" in defaults
    assert "pinterest.visibility.search_privacy" not in defaults
    assert not any(setting_id.startswith("pinterest.recommendations") for setting_id in defaults)
    assert rules.setting("pinterest.visibility.search_privacy").desired is True


def test_rules_carry_no_code():
    text = (RULES_DIR / "pinterest.json").read_text(encoding="utf-8").lower()
    for sign in ("<script", "javascript:", "=>", "function(", "eval"):
        assert sign not in text


def test_a_rule_that_needs_a_newer_engine_is_refused():
    major = int(ENGINE_VERSION.split(".")[0])
    with pytest.raises(RulesError, match="needs Optout engine .* or newer"):
        parse_rules(changed(min_engine_version=f"{major + 1}.0.0"))


def test_a_rule_pointing_outside_its_origins_is_refused():
    document = copy.deepcopy(DOCUMENT)
    document["settings"][0]["pages"]["urls"] = ["https://evil.example/settings/privacy"]
    with pytest.raises(RulesError, match="outside Pinterest's canonical origin"):
        parse_rules(document)


def test_page_addresses_are_written_on_the_canonical_origin_even_for_another_pinterest_host():
    document = copy.deepcopy(DOCUMENT)
    document["settings"][0]["pages"]["urls"] = ["https://www.pinterest.de/settings/privacy"]
    with pytest.raises(RulesError, match=r"canonical origin \(https://www.pinterest.com\)"):
        parse_rules(document)


def with_sites(*sites: tuple[str, list[str]]) -> dict:
    return changed(sites=[{"cookie_domain": jar, "hosts": hosts} for jar, hosts in sites])


def test_a_host_outside_the_platform_domain_is_refused():
    sites = with_sites(("pinterest.com", ["www.pinterest.com", "tracker.example"]))
    with pytest.raises(RulesError, match="host tracker.example, which is not one of pinterest's own hosts"):
        parse_rules(sites)


def test_rules_naming_another_cookie_domain_are_refused_with_a_sentence():
    document = with_sites(("evil.example", ["www.evil.example"]))
    document["menu_page"] = "https://www.evil.example/settings/privacy"
    for setting in document["settings"]:
        setting["pages"]["urls"] = ["https://www.evil.example/settings/privacy"]
    with pytest.raises(RulesError, match="cookie domain evil.example, which is not one of pinterest's own domains"):
        parse_rules(document)


def test_the_shipped_rules_name_every_host_of_the_fixed_list_under_its_own_jar():
    fixed = domains_of("pinterest")
    rules = load_shipped_rules()
    assert set(rules.sites) == set(fixed.sites)
    assert rules.canonical_origin == "https://www.pinterest.com"
    assert rules.site_for("https://de.pinterest.com").cookie_domain == "pinterest.com"
    assert rules.site_for("https://www.pinterest.de").cookie_domain == "pinterest.de"
    assert rules.site_for("https://www.pinterest.de:8443") is None
    assert rules.allows("https://www.pinterest.co.uk/settings/privacy")
    assert not rules.allows("https://www.pinterest.com.evil.example/settings")


def test_rules_may_narrow_to_a_country_domain_with_its_own_jar():
    document = json.loads(json.dumps(DOCUMENT).replace("https://www.pinterest.com", "https://www.pinterest.de"))
    document["sites"] = [{"cookie_domain": "pinterest.de", "hosts": ["www.pinterest.de"]}]
    rules = parse_rules(document)
    assert [(site.cookie_domain, site.hosts) for site in rules.sites] == [("pinterest.de", {"www.pinterest.de"})]
    assert rules.canonical_origin == "https://www.pinterest.de"
    assert not rules.allows("https://www.pinterest.com/settings/privacy")
    narrowed = parse_rules(with_sites(("pinterest.com", ["www.pinterest.com", "de.pinterest.com"])))
    assert narrowed.site_for("https://de.pinterest.com") is not None
    assert narrowed.site_for("https://fr.pinterest.com") is None


@pytest.mark.parametrize(
    "sites",
    [
        [("pinterest.com", ["www.pinterest.de"])],  # a country domain is not served by the .com jar
        [("pinterest.de", ["www.pinterest.com"])],
        [("pinterest.com", ["www.pinterest.com", "evil.pinterest.com"])],  # not a host Pinterest uses
        [("www.pinterest.com", ["www.pinterest.com"])],  # a jar Pinterest does not use
        [("pinterest.com", ["www.pinterest.com"]), ("pinterest.de", ["www.pinterest.de", "fr.pinterest.com"])],
    ],
)
def test_hosts_and_jar_must_belong_together(sites):
    with pytest.raises(RulesError, match="not one of pinterest's own"):
        parse_rules(with_sites(*sites))


def test_rebase_moves_path_and_query_to_the_runs_origin():
    assert rebase("https://www.pinterest.com/settings/privacy?tab=1", "https://www.pinterest.de") == (
        "https://www.pinterest.de/settings/privacy?tab=1"
    )


def test_a_platform_without_fixed_domains_runs_no_rules():
    with pytest.raises(RulesError, match="no fixed list of domains for the platform 'myspace'"):
        parse_rules(changed(platform="myspace"))


def test_the_fixed_list_has_pinterests_sites_and_finds_the_site_of_an_origin():
    pinterest = domains_of("pinterest")
    assert {"www.pinterest.com", "de.pinterest.com", "www.pinterest.de", "www.pinterest.co.uk"} <= pinterest.hosts
    assert {"pinterest.com", "pinterest.de", "pinterest.com.au"} <= pinterest.cookie_domains
    assert pinterest.site_for("https://www.pinterest.de").cookie_domain == "pinterest.de"
    assert pinterest.site_for("https://uk.pinterest.com").cookie_domain == "pinterest.com"
    assert pinterest.site_for("http://www.pinterest.com") is None
    assert pinterest.site_for("https://www.pinterest.com.evil.example") is None


def test_a_lookalike_domain_is_not_pinterest():
    document = copy.deepcopy(DOCUMENT)
    document["settings"][0]["pages"]["urls"] = ["https://www.pinterest.com.evil.example/settings"]
    with pytest.raises(RulesError):
        parse_rules(document)


def test_schema_violations_name_the_place():
    document = copy.deepcopy(DOCUMENT)
    document["settings"][2]["desired"] = "maybe"
    with pytest.raises(RulesError, match="settings/2/desired"):
        parse_rules(document)


def test_unknown_fields_are_refused():
    document = copy.deepcopy(DOCUMENT)
    document["settings"][0]["script"] = "document.querySelector('input').click()"
    with pytest.raises(RulesError, match="script"):
        parse_rules(document)


def test_duplicate_ids_are_refused():
    document = copy.deepcopy(DOCUMENT)
    document["settings"].append(copy.deepcopy(document["settings"][0]))
    with pytest.raises(RulesError, match="twice"):
        parse_rules(document)


def test_not_json_is_a_clear_error():
    with pytest.raises(RulesError, match="not valid JSON"):
        parse_rules(b"{not json")


def test_selecting_an_unknown_setting_names_the_known_ones():
    with pytest.raises(RulesError, match="pinterest.genai.canvas_training"):
        load_shipped_rules().select(["pinterest.nope"])


def test_allows_compares_whole_origins():
    rules = load_shipped_rules()
    assert rules.allows("https://www.pinterest.com/settings/privacy")
    assert not rules.allows("http://www.pinterest.com/settings/privacy")
    assert not rules.allows("https://www.pinterest.com:8443/settings")
    assert not rules.allows("https://pinterest.com.evil.example/")
