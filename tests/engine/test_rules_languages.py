"""The rules' wordings per language: every translated wording known is in, with its source; tags are checked; a
page in one language is read with that language's wordings first, then English."""

import copy
import json

import pytest

from native_host.rules.format import RULES_DIR, RulesError, load_shipped_rules, parse_rules
from native_host.rules.wordings import with_wordings
from tests.engine.known_settings import PRIVACY_AND_DATA

DOCUMENT = json.loads((RULES_DIR / "pinterest.json").read_text(encoding="utf-8"))

# pinterest-world.md §4, wording by wording: (setting, tag, wording, a word its source must name).
KNOWN_LABELS = [
    (
        "pinterest.ads.sites_you_visit",
        "de",
        "Informationen von dir besuchten Webseiten verwenden",
        "help.pinterest.com/de",
    ),
    (
        "pinterest.ads.sites_you_visit",
        "de",
        "Nutze deine Webseitenaufrufe, um die auf Pinterest angezeigten Anzeigen besser auf dich abzustimmen",
        "help.pinterest.com/de",
    ),
    ("pinterest.ads.sites_you_visit", "de", "Von mir besuchte Webseiten verwenden", "help.pinterest.com/de"),
    ("pinterest.ads.partner_info", "de", "Partner-Infos verwenden", "help.pinterest.com/de"),
    (
        "pinterest.ads.partner_info",
        "de",
        "Nutze Partnerinformationen, um die auf Pinterest angezeigten Anzeigen besser auf dich abzustimmen",
        "help.pinterest.com/de",
    ),
    (
        "pinterest.ads.partner_info",
        "sv",
        "Använd partnerinformation för att förbättra rekommendationer och annonser",
        "help.pinterest.com/sv",
    ),
    (
        "pinterest.ads.partner_info",
        "sv",
        "Använd information från våra partner för att förbättra rekommendationer och annonser som du ser",
        "help.pinterest.com/sv",
    ),
    ("pinterest.ads.partner_info", "nb", "Bruk partnerinformasjon for å få bedre anbefalinger og annonser", "/nb/"),
    ("pinterest.ads.partner_info", "id", "Gunakan info mitra untuk meningkatkan rekomendasi dan iklan", "/id/"),
    (
        "pinterest.ads.partner_info",
        "ja",
        "Pinterest のパートナーからの利用情報を元に、ユーザーに表示するおすすめや広告を改善しています",
        "/ja/",
    ),
    ("pinterest.ads.partner_info", "ja", "広告パートナーからの情報を利用する", "/ja/"),
    ("pinterest.ads.about_pinterest", "de", "Anzeigen für Pinterest", "help.pinterest.com/de"),
    (
        "pinterest.ads.about_pinterest",
        "de",
        "Nutze deine Aktivitäten, um die Anzeigen zu verbessern, die du auf anderen Webseiten bzw. in anderen Apps "
        "über Pinterest siehst",
        "help.pinterest.com/de",
    ),
    (
        "pinterest.ads.about_pinterest",
        "de",
        "Verbessere, welche Anzeigen du über Pinterest siehst",
        "help.pinterest.com/de",
    ),
    (
        "pinterest.ads.performance_reporting",
        "de",
        "Aktivität für die Berichtserstellung zu Anzeigen",
        "help.pinterest.com/de",
    ),
    (
        "pinterest.ads.performance_reporting",
        "de",
        "Teile Aktivitäten für die Berichterstellung zur Anzeigen-Performance",
        "help.pinterest.com/de",
    ),
    ("pinterest.ads.sharing_with_partners", "de", "Informationen mit Partnern teilen", "help.pinterest.com/de"),
    ("pinterest.visibility.search_privacy", "de", "Datenschutz bei Suchvorgängen", "edit-your-account-privacy"),
]
PRIVACY_MENU = {
    "de": ("Datenschutz und Daten", "third-party"),
    "sv": ("Sekretess och data", "/sv/"),
    "nb": ("Personvern og data", "/nb/"),
    "id": ("Privasi dan data", "/id/"),
    "es": ("Privacidad y datos", "mdzol.com"),
    "pt-PT": ("Privacidade e dados", "/pt-pt/"),
}
GERMAN_AD_HEADINGS = [
    "Einstellungen für die Personalisierung von Anzeigen",
    "Anzeigenpersonalisierung",
    "Individuelle Anpassung",
]


def changed_setting(index: int, languages: object) -> dict:
    document = copy.deepcopy(DOCUMENT)
    document["settings"][index]["languages"] = languages
    return document


@pytest.mark.parametrize("setting_id,tag,wording,source", KNOWN_LABELS)
def test_every_known_label_is_in_the_rules_with_its_source(setting_id, tag, wording, source):
    wordings = load_shipped_rules().setting(setting_id).languages[tag]
    assert wording in wordings.labels
    assert any(source in text for text in wordings.sources)


def test_the_privacy_menu_is_named_in_every_known_language_for_every_setting_behind_it():
    rules = load_shipped_rules()
    for setting_id in PRIVACY_AND_DATA:
        for tag, (name, source) in PRIVACY_MENU.items():
            wordings = rules.setting(setting_id).languages[tag]
            assert wordings.menu_links == (name,), (setting_id, tag)
            assert any(source in text for text in wordings.sources), (setting_id, tag)


def test_the_recommendations_page_and_its_genai_section_in_spanish_and_french():
    rules = load_shipped_rules()
    genai = [setting for setting in rules.settings if setting.id.startswith("pinterest.recommendations.ai_content")]
    assert len(genai) == 10
    for setting in genai:
        spanish, french = setting.languages["es"], setting.languages["fr"]
        assert spanish.menu_links == ("Refinar tus recomendaciones",) and spanish.section == ("Intereses de GenAI",)
        assert french.menu_links == ("affiner vos recommandations",) and french.section == ("centres d'intérêt GenAI",)
        assert any("mdzol.com" in text for text in spanish.sources)
        assert any("blogia.fr" in text for text in french.sources)
        assert not spanish.labels and not french.labels  # no wording of the controls themselves is known


def test_the_german_ads_heading_is_kept_for_every_ad_setting():
    rules = load_shipped_rules()
    for setting in rules.settings:
        if setting.id.startswith("pinterest.ads."):
            assert list(setting.languages["de"].section) == GERMAN_AD_HEADINGS


def test_no_wording_is_claimed_where_none_is_known():
    """Canvas training, Ads off Pinterest and Use of Pinterest Activity are known in no language."""
    rules = load_shipped_rules()
    for setting_id in (
        "pinterest.genai.canvas_training",
        "pinterest.ads.off_pinterest",
        "pinterest.ads.pinterest_activity",
    ):
        setting = rules.setting(setting_id)
        assert all(not wordings.labels for wordings in setting.languages.values())
        assert not setting.knows_language("de") and setting.knows_language("en-GB") and setting.knows_language("")


@pytest.mark.parametrize("tag", ["de_DE", "DE", "en", "en-US", "deutsch", "de-de", "x"])
def test_a_malformed_or_english_language_tag_is_refused(tag):
    with pytest.raises(RulesError, match="not valid rules"):
        parse_rules(changed_setting(0, {tag: {"labels": ["Etwas"], "sources": ["somewhere"]}}))
    document = copy.deepcopy(DOCUMENT)
    document["languages"] = {tag: {"save_buttons": ["Fertig"], "sources": ["somewhere"]}}
    with pytest.raises(RulesError, match="not valid rules"):
        parse_rules(document)


@pytest.mark.parametrize("tag", ["de", "pt-PT", "zh-Hant-TW", "es-419", "fil"])
def test_well_formed_tags_are_taken(tag):
    rules = parse_rules(changed_setting(0, {tag: {"labels": ["Etwas"], "sources": ["somewhere"]}}))
    assert rules.settings[0].languages[tag].labels == ("Etwas",)


def test_a_wording_needs_a_source_but_a_title_alone_does_not():
    with pytest.raises(RulesError, match="not valid rules"):
        parse_rules(changed_setting(0, {"de": {"labels": ["Etwas"], "sources": []}}))
    with pytest.raises(RulesError, match="not valid rules"):
        parse_rules(changed_setting(0, {"de": {"labels": [], "menu_links": ["Menü"], "sources": []}}))
    with pytest.raises(RulesError, match="not valid rules"):
        parse_rules(changed_setting(0, {"de": {"labels": ["Etwas"], "sources": ["x"], "selector": "#a"}}))
    rules = parse_rules(changed_setting(0, {"de": {"title": "KI-Training", "labels": [], "sources": []}}))
    assert rules.settings[0].languages["de"].title == "KI-Training"
    assert not rules.settings[0].knows_language("de-AT")


def test_the_top_level_buttons_and_page_texts_per_language_are_read():
    document = copy.deepcopy(DOCUMENT)
    document["languages"] = {
        "de": {
            "save_buttons": ["Fertig"],
            "confirm_buttons": ["Deaktivieren"],
            "blocked_texts": ["Wir haben einen Bot entdeckt"],
            "login_texts": ["Willkommen bei Pinterest"],
            "sources": ["a test"],
        }
    }
    rules = parse_rules(document)
    german = rules.in_language("de-DE")
    assert german.save_buttons[0] == "Fertig" and "Done" in german.save_buttons
    assert german.confirm_buttons[0] == "Deaktivieren" and "Turn off" in german.confirm_buttons
    assert rules.in_language("es").save_buttons == rules.save_buttons
    # a block page says nothing about the account's language: every language's texts count on every page
    assert (
        "Wir haben einen Bot entdeckt" in rules.blocked_wordings()
        and "We've detected a bot" in rules.blocked_wordings()
    )
    assert rules.login_wordings() == ("Willkommen bei Pinterest",)


def test_a_page_language_reads_its_own_wordings_first_then_english():
    rules = load_shipped_rules()
    partner = rules.in_language("de-AT").setting("pinterest.ads.partner_info")
    assert partner.labels[:2] == (
        "Partner-Infos verwenden",
        "Nutze Partnerinformationen, um die auf Pinterest angezeigten Anzeigen besser auf dich abzustimmen",
    )
    assert "Use of partner info" in partner.labels  # Pinterest leaves some strings untranslated
    assert partner.menu_links == ("Datenschutz und Daten", "Privacy and data")
    # the English rules require no heading for the ad settings: the German heading does not start to require one
    assert partner.section == ()
    ai = rules.in_language("es").setting("pinterest.recommendations.ai_content")
    assert ai.section == ("Intereses de GenAI", "GenAI interests")
    assert ai.menu_links == ("Refinar tus recomendaciones", "Refine your recommendations")
    # a language the rules do not know, or pt-BR for pt-PT's wordings: the English ones only
    assert rules.in_language("pt-BR").setting("pinterest.ads.partner_info") == rules.setting(
        "pinterest.ads.partner_info"
    )
    assert rules.in_language("pt-PT").setting("pinterest.ads.partner_info").menu_links[0] == "Privacidade e dados"


def test_taught_wordings_keep_working_on_a_page_in_another_language():
    rules = with_wordings(load_shipped_rules(), {"pinterest.genai.canvas_training": ("Deine Daten für Canvas",)})
    canvas = rules.in_language("de").setting("pinterest.genai.canvas_training")
    assert canvas.taught == ("Deine Daten für Canvas",)
    assert canvas.languages == rules.setting("pinterest.genai.canvas_training").languages


def test_optouts_own_titles_are_given_in_german_and_spanish():
    for setting in load_shipped_rules().settings:
        for tag in ("de", "es"):
            assert setting.languages[tag].title and setting.languages[tag].explanation, (setting.id, tag)
