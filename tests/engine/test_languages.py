"""Runs on settings pages in German and Spanish: known wordings are changed and verified, unknown ones are reported
as unknown (never as a success), the language is read from the page, and the browser speaks the person's languages.
"""

from __future__ import annotations

import copy
import json

from native_host.rules.format import RULES_DIR, load_shipped_rules, parse_rules
from native_host.statuses import RunStatus, SettingReason, SettingStatus
from replica import pages

RULES = load_shipped_rules()
GERMAN = ("de-DE", "de")
KNOWN_IN_GERMAN = [pages.SITES, pages.PARTNER, pages.ABOUT, pages.REPORTING, pages.SHARING]
UNKNOWN_IN_GERMAN = [pages.CANVAS, pages.OFF_PINTEREST, pages.ACTIVITY]
GERMANY = "https://www.pinterest.de"
UNKNOWN_MESSAGE = "Optout does not know yet how Pinterest words this setting in {}."


def by_id(report) -> dict:
    return {result.id: result for result in report.results}


def test_a_german_account_is_opted_out_where_the_wordings_are_known_and_told_the_truth_elsewhere(replica_account):
    account = replica_account(language="de")
    report = account.run("apply", languages=GERMAN)
    results = by_id(report)
    state = account.state()
    assert report.language == "de"
    for key in KNOWN_IN_GERMAN:
        result = results[key]
        assert result.status == SettingStatus.CHANGED and result.verified, (key, result.message)
        assert result.language == "de" and result.wording in RULES.setting(key).languages["de"].labels
        assert state[key] is False  # the server holds the change
    assert results[pages.PARTNER].wording == "Partner-Infos verwenden"
    for key in UNKNOWN_IN_GERMAN:
        result = results[key]
        assert result.status == SettingStatus.NOT_FOUND and result.reason == SettingReason.UNKNOWN_LANGUAGE
        assert result.message == UNKNOWN_MESSAGE.format("German")
        assert result.language == "de" and result.wording is None
        assert state[key] is True  # untouched
        # the teach flow still offers the page's unnamed switches, the unknown ones among them
        assert "Deine Daten zum Trainieren von Pinterest Canvas verwenden" in [c["label"] for c in result.candidates]
    assert {key for key, _ in account.writes()} == set(KNOWN_IN_GERMAN)
    assert report.status == RunStatus.PARTIAL  # never "done" while settings were not read
    assert "Optout does not know yet how Pinterest words 3 settings in German." in report.message
    assert report.to_json()["language"] == "de"
    assert report.to_json()["results"][0]["reason"] == "unknown_language"
    assert {r["reason"] for r in report.to_json()["results"] if r["status"] == "changed"} == {""}


def test_a_german_account_on_the_country_domain_is_opted_out_there_where_the_wordings_are_known(replica_account):
    account = replica_account(language="de", domain="www.pinterest.de")  # the account's jar is .pinterest.de
    report = account.run("apply", languages=GERMAN)
    results = by_id(report)
    state = account.state()
    assert (report.origin, report.redirected_to, report.language) == (GERMANY, "", "de")
    assert report.to_json()["origin"] == GERMANY and report.to_json()["language"] == "de"
    for key in KNOWN_IN_GERMAN:
        result = results[key]
        assert result.status == SettingStatus.CHANGED and result.verified, (key, result.message)
        assert result.reason == SettingReason.NONE and result.page.startswith(f"{GERMANY}/settings/")
        assert state[key] is False
    for key in UNKNOWN_IN_GERMAN:
        result = results[key]
        assert result.status == SettingStatus.NOT_FOUND and result.reason == SettingReason.UNKNOWN_LANGUAGE
        assert result.message == UNKNOWN_MESSAGE.format("German") and state[key] is True
    assert {key for key, _ in account.writes()} == set(KNOWN_IN_GERMAN)
    assert report.status == RunStatus.PARTIAL
    # every request went to the German domain, asking for German
    assert {host for host, _, _ in account.store.received()} == {"www.pinterest.de"}
    assert account.store.accept_languages() and all(h.startswith("de-DE") for h in account.store.accept_languages())


def test_a_second_german_run_changes_nothing_and_still_reads_the_known_settings(replica_account):
    account = replica_account(language="de", states={key: False for key in KNOWN_IN_GERMAN})
    report = account.run("check", languages=GERMAN)
    results = by_id(report)
    assert all(results[key].status == SettingStatus.ALREADY_OK for key in KNOWN_IN_GERMAN)
    assert report.status == RunStatus.PARTIAL and not account.writes()


def test_older_german_wordings_are_read_on_the_older_page_styles(replica_account):
    account = replica_account(language="de", variant="checkbox")
    report = account.run("check", [pages.SITES, pages.PARTNER, pages.ABOUT, pages.REPORTING], languages=GERMAN)
    results = by_id(report)
    assert results[pages.SITES].wording.startswith("Nutze deine Webseitenaufrufe")
    assert all(result.status == SettingStatus.WOULD_CHANGE for result in report.results), report.message


def test_a_spanish_account_is_read_through_the_spanish_menu_and_every_setting_is_honestly_unknown(replica_account):
    account = replica_account(language="es")
    settings = [pages.CANVAS, pages.PARTNER, pages.AI_CONTENT, pages.genai_topic_key("art")]
    report = account.run("apply", settings, languages=("es-ES", "es"))
    assert report.language == "es"
    for result in report.results:
        assert result.status == SettingStatus.NOT_FOUND and result.reason == SettingReason.UNKNOWN_LANGUAGE
        assert result.message == UNKNOWN_MESSAGE.format("Spanish")
    # "Refinar tus recomendaciones" led to the page of the GenAI interests, which were looked for there
    ai = by_id(report)[pages.AI_CONTENT]
    assert ai.page.endswith(pages.PAGE_PATHS[pages.REFINE]) and "Mostrar contenido de IA" in [
        candidate["label"] for candidate in ai.candidates
    ]
    assert report.status == RunStatus.PARTIAL and not account.writes()


def test_a_page_that_names_no_language_is_read_by_its_text(replica_account):
    account = replica_account(language="de", html_lang=False)
    report = account.run("check", [pages.PARTNER, pages.CANVAS], languages=GERMAN)
    results = by_id(report)
    assert report.language == "de"
    assert results[pages.PARTNER].status == SettingStatus.WOULD_CHANGE and results[pages.PARTNER].language == "de"
    assert results[pages.CANVAS].reason == SettingReason.UNKNOWN_LANGUAGE


def test_an_english_page_without_a_language_stays_english_and_unknown_is_never_claimed(replica_account):
    account = replica_account(html_lang=False, faults={"reworded"})
    report = account.run("check", [pages.CANVAS, pages.PARTNER])
    results = by_id(report)
    assert report.language == "en"
    assert results[pages.CANVAS].status == SettingStatus.NOT_FOUND
    assert results[pages.CANVAS].reason == SettingReason.NONE  # renamed in English: not a language problem


def test_an_untranslated_english_string_on_a_german_page_is_still_found(replica_account):
    account = replica_account(language="de", untranslated={pages.OFF_PINTEREST})
    report = account.run("apply", [pages.OFF_PINTEREST, pages.PARTNER], languages=GERMAN)
    results = by_id(report)
    off = results[pages.OFF_PINTEREST]
    assert off.status == SettingStatus.CHANGED and off.wording == "Ads off Pinterest" and off.language == "de"
    assert results[pages.PARTNER].status == SettingStatus.CHANGED
    assert report.status == RunStatus.DONE and account.state()[pages.OFF_PINTEREST] is False


def test_the_browser_asks_for_the_persons_languages_and_never_forces_english(replica_account):
    account = replica_account(language="de")
    account.run("check", [pages.PARTNER], languages=GERMAN)
    asked = [header for header in account.store.accept_languages() if header]
    assert asked and all(header.startswith("de-DE,de;q=0.9") for header in asked), asked
    other = replica_account()
    other.run("check", [pages.PARTNER], languages=("es-419", "es"))
    assert all(header.startswith("es-419,es;q=0.9") for header in other.store.accept_languages() if header)


def test_the_english_replica_reads_as_before(replica_account):
    account = replica_account()
    report = account.run("apply", [pages.CANVAS, pages.PARTNER])
    assert report.status == RunStatus.DONE and report.language == "en"
    assert {result.reason for result in report.results} == {SettingReason.NONE}


def rules_with_german_buttons():
    """The shipped rules plus German buttons, as a rules author would add them once a source shows them."""
    document = copy.deepcopy(json.loads((RULES_DIR / "pinterest.json").read_text(encoding="utf-8")))
    document["languages"] = {
        "de": {"save_buttons": ["Fertig"], "confirm_buttons": ["Deaktivieren"], "sources": ["a test of the format"]}
    }
    return parse_rules(document)


def test_a_german_done_button_is_pressed_only_once_the_rules_know_its_wording(replica_account):
    unknown = replica_account(language="de", variant="checkbox")
    report = unknown.run("apply", [pages.PARTNER], languages=GERMAN)
    assert report.results[0].status == SettingStatus.NOT_SAVED and not unknown.writes()  # "Fertig" is unknown
    known = replica_account(language="de", variant="checkbox")
    report = known.run("apply", [pages.PARTNER], languages=GERMAN, rules=rules_with_german_buttons())
    assert report.results[0].status == SettingStatus.CHANGED and known.state()[pages.PARTNER] is False


def test_a_german_confirmation_is_answered_once_the_rules_know_its_wording(replica_account):
    account = replica_account(language="de", save_model="confirm")
    report = account.run("apply", [pages.PARTNER], languages=GERMAN, rules=rules_with_german_buttons())
    assert report.results[0].status == SettingStatus.CHANGED and account.state()[pages.PARTNER] is False
