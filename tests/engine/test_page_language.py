"""Reading a page's language from its text, language tags, and the honest not-found for an unknown wording."""

import pytest

from native_host.engine import decisions
from native_host.engine.page_language import guess, vocabularies
from native_host.languages import english_name, from_posix_locale, is_language_tag, lookup, system_languages
from native_host.rules.format import load_shipped_rules
from native_host.statuses import SettingReason

RULES = load_shipped_rules()
WORDS = vocabularies(RULES)

GERMAN_PAGE = """Profil bearbeiten Kontoverwaltung Datenschutz und Daten
Einstellungen für die Personalisierung von Anzeigen
Informationen von dir besuchten Webseiten verwenden
Partner-Infos verwenden
Ads off Pinterest"""
ENGLISH_PAGE = """Edit profile Account management Privacy and data
Ads personalization Use info from sites you visit Use of partner info Ads about Pinterest"""
SPANISH_PAGE = "Editar perfil Privacidad y datos Refinar tus recomendaciones Intereses de GenAI Arte Moda"


@pytest.mark.parametrize(
    "text,language",
    [
        (GERMAN_PAGE, "de"),
        (ENGLISH_PAGE, "en"),
        (SPANISH_PAGE, "es"),
        ("Sekretess och data Använd partnerinformation för att förbättra rekommendationer och annonser", "sv"),
        ("", ""),
        ("Pinterest GenAI Canvas", ""),  # words every language shares say nothing
        ("Partner-Infos verwenden", ""),  # two telling words: too few to be sure
        # as much English as German: never a confident guess
        ("Datenschutz und Daten Partner-Infos verwenden. Privacy and data: Use of partner info, ads reporting", ""),
    ],
)
def test_the_language_of_a_page_is_guessed_only_on_clear_evidence(text, language):
    assert guess(text, WORDS) == language


def test_the_vocabularies_hold_only_words_no_other_language_uses():
    assert "verwenden" in WORDS["de"] and "pinterest" not in WORDS["de"] and "pinterest" not in WORDS["en"]
    for tag, words in WORDS.items():
        for other, other_words in WORDS.items():
            if other != tag:
                assert not words & other_words


@pytest.mark.parametrize("tag", ["de", "de-DE", "pt-PT", "zh-Hant-TW", "es-419", "sr-Latn", "DE-de"])
def test_well_formed_tags(tag):
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "de_DE", "d", "deutsch", "de-", "de DE", "de,en", "de;q=0.9", 7, None, "x" * 36])
def test_malformed_tags(tag):
    assert not is_language_tag(tag)


def test_a_page_tag_finds_its_wordings_by_falling_back_to_its_language_but_never_across_regions():
    keys = ["de", "pt-PT", "sv"]
    assert lookup("de-AT", keys) == "de"
    assert lookup("DE", keys) == "de"
    assert lookup("pt-pt", keys) == "pt-PT"
    assert lookup("pt-BR", keys) is None
    assert lookup("fr", keys) is None


def test_languages_are_named_in_english():
    assert english_name("de-AT") == "German" and english_name("nb") == "Norwegian Bokmål"
    assert english_name("tlh") == 'the language "tlh"'


@pytest.mark.parametrize(
    "environ,fallback,expected",
    [
        ({"LANG": "de_DE.UTF-8"}, None, ("de-DE", "de")),
        ({"LC_ALL": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}, None, ("es-ES", "es")),
        ({"LANGUAGE": "fr_CA:fr:en", "LANG": "fr_CA.UTF-8"}, None, ("fr-CA", "fr", "en")),
        ({"LANG": "sr_RS@latin"}, None, ("sr-RS", "sr")),
        ({"LANG": "C.UTF-8"}, "nl_NL", ("nl-NL", "nl")),
        ({"LANG": "C.UTF-8"}, None, ("en",)),
        ({}, None, ("en",)),
        ({"LC_ALL": "POSIX"}, None, ("en",)),
    ],
)
def test_the_cli_asks_for_the_systems_languages(environ, fallback, expected):
    assert system_languages(environ, fallback) == expected


def test_posix_names_become_tags():
    assert from_posix_locale("pt_BR.ISO-8859-1") == "pt-BR"
    assert from_posix_locale("C") is None and from_posix_locale("") is None


def test_a_setting_with_no_wording_in_the_pages_language_says_so_and_why():
    canvas = RULES.setting("pinterest.genai.canvas_training")
    message, reason = decisions.not_found(canvas, "de-DE")
    assert reason == SettingReason.UNKNOWN_LANGUAGE
    assert message == "Optout does not know yet how Pinterest words this setting in German."
    message, reason = decisions.not_found(RULES.setting("pinterest.ads.partner_info"), "de")
    assert reason == SettingReason.NONE and "'Partner-Infos verwenden'" in message
    for language in ("", "en", "en-GB"):  # English, or a language Optout could not tell: an ordinary not found
        message, reason = decisions.not_found(canvas, language)
        assert reason == SettingReason.NONE and "'Use your data to train Pinterest Canvas'" in message
    message, reason = decisions.not_found(canvas, "pt-BR")
    assert reason == SettingReason.UNKNOWN_LANGUAGE and message.endswith("in Portuguese.")


def test_the_run_summary_says_how_many_settings_it_could_not_read_in_the_pages_language():
    text = decisions.summary("apply", {"changed": 5, "not_found": 4}, unknown_language=3, language="de")
    assert text == (
        "Apply finished: 5 changed, 4 not found. Optout does not know yet how Pinterest words 3 settings in German."
    )
    assert decisions.summary("check", {"not_found": 1}, 1, "es").endswith("words this setting in Spanish.")
    assert decisions.summary("check", {"already_ok": 2}) == "Check finished: 2 already ok."


def test_blocked_and_login_pages_are_known_in_any_language_the_rules_hold():
    import json

    from native_host.rules.format import RULES_DIR, parse_rules

    document = json.loads((RULES_DIR / "pinterest.json").read_text(encoding="utf-8"))  # a fresh copy to change
    document["languages"] = {
        "de": {
            "blocked_texts": ["Wir haben einen Bot entdeckt"],
            "login_texts": ["Willkommen bei Pinterest"],
            "sources": ["t"],
        }
    }
    rules = parse_rules(document)
    assert decisions.blocked(rules, 200, "WIR HABEN EINEN BOT ENTDECKT! Versuche es später.")
    assert not decisions.blocked(RULES, 200, "Wir haben einen Bot entdeckt!")
    empty = decisions.Scan("https://www.pinterest.com/", [])
    assert decisions.login_page(rules, "Willkommen bei Pinterest E-Mail Passwort", empty)
    assert not decisions.login_page(rules, "Willkommen bei Pinterestfans", empty)
    assert not decisions.login_page(RULES, "Willkommen bei Pinterest", empty)
