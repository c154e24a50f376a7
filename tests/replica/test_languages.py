"""The replica in German and Spanish: every page string in the language, the known wordings where known, and
wordings no rule has where none is known, so that the honest outcome is what a run shows."""

from __future__ import annotations

import html

import pytest
from replica_helpers import READ_PATH, log_in, store_of

from native_host.engine.labels import Control as ScannedControl
from native_host.engine.labels import Fit, fit
from native_host.rules.format import load_shipped_rules
from replica import create_app, languages, pages
from replica.__main__ import build_parser, config_from_args
from replica.config import VARIANTS, ConfigError, ReplicaConfig

RULES = load_shipped_rules()
SCRIPTED_VARIANTS = [variant for variant in VARIANTS if variant != "gestalt"]


def client_for(**config):
    app = create_app(config)
    client = app.test_client()
    log_in(client)
    return app, client


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def every_rule_wording() -> list[str]:
    wordings = []
    for setting in RULES.settings:
        wordings += [*setting.labels, *setting.section, *setting.menu_links]
        for language in setting.languages.values():
            wordings += [*language.labels, *language.section, *language.menu_links]
    return wordings + list(RULES.save_buttons) + list(RULES.confirm_buttons)


def named_by_a_rule(text: str) -> bool:
    control = ScannedControl("r", [text], [], [], True, False, "control")
    return any(fit(wording, control) != Fit.NONE for wording in every_rule_wording())


@pytest.mark.parametrize("language,menu_name", [("de", "Datenschutz und Daten"), ("es", "Privacidad y datos")])
def test_the_pages_speak_the_chosen_language(language, menu_name):
    _, client = client_for(language=language)
    page = text_of(client.get("/settings/privacy"))
    assert f'<html lang="{language}">' in page
    assert menu_name in page and "Privacy and data" not in page and "Account management" not in page
    words = languages.ui(language)
    assert words["search"] in page and words["practice"] in page
    for path in ("/settings/", "/settings/notifications", "/"):
        assert words["settings"] in text_of(client.get(path))
    login = text_of(create_app({"language": language}).test_client().get("/login/"))
    assert words["login_title"] in login and words["log_in"] in login and "Welcome to Pinterest" not in login


def test_the_german_privacy_page_shows_the_newest_known_wordings_and_the_known_heading():
    _, client = client_for(language="de")
    data = client.get(READ_PATH + "?page=privacy").get_json()["resource_response"]["data"]
    assert data["title"] == "Datenschutz und Daten"
    headings = [section["heading"] for section in data["sections"]]
    assert "Einstellungen für die Personalisierung von Anzeigen" in headings
    titles = {item["field"]: item["title"] for section in data["sections"] for item in section["items"]}
    assert titles[pages.PARTNER] == "Partner-Infos verwenden"
    assert titles[pages.SITES] == "Informationen von dir besuchten Webseiten verwenden"
    assert titles[pages.CANVAS] == "Deine Daten zum Trainieren von Pinterest Canvas verwenden"


@pytest.mark.parametrize("language", ["de", "es"])
@pytest.mark.parametrize("variant", SCRIPTED_VARIANTS)
def test_where_no_wording_is_known_the_replica_shows_one_no_rule_has(language, variant):
    config = ReplicaConfig(language=language, variant=variant)
    for page in pages.all_pages(config):
        for control in page.controls():
            setting = RULES.setting(control.key) if control.key in RULES.ids() else None
            if setting is not None and setting.knows_language(language):
                assert control.title in setting.languages[language].labels, (variant, control.key)
            else:
                assert not named_by_a_rule(control.title), (variant, control.key, control.title)


def test_buttons_dialogs_and_toasts_are_translated_for_the_page_script():
    app, client = client_for(language="de", variant="checkbox", save_model="confirm")
    page = text_of(client.get("/settings/privacy"))
    for key in ("done", "turn_off", "turn_on", "ask_off", "cancel", "saved", "load_failed"):
        assert languages.ui("de")[key] in page  # in the script's props
    assert store_of(app).config.save_button == "Fertig"
    assert ReplicaConfig(language="es", variant="legacy").save_button == "Guardar"
    assert ReplicaConfig(variant="legacy").save_button == "Save"


def test_a_page_may_name_no_language():
    _, client = client_for(language="de", html_lang=False)
    page = text_of(client.get("/settings/privacy"))
    assert "<html>" in page and "lang=" not in page and "Datenschutz und Daten" in page


def test_untranslated_settings_keep_their_english_title_on_a_german_page():
    config = ReplicaConfig(language="de", untranslated={pages.OFF_PINTEREST})
    titles = {control.key: control.title for control in pages.build_page(pages.PRIVACY, config).controls()}
    assert titles[pages.OFF_PINTEREST] == "Ads off Pinterest"
    assert titles[pages.PARTNER] == "Partner-Infos verwenden"


def test_the_english_replica_is_unchanged_by_default():
    _, client = client_for()
    page = text_of(client.get("/settings/privacy"))
    assert '<html lang="en">' in page and "Privacy and data" in page and "Practice replica" in page


def test_the_replica_records_the_languages_each_request_asks_for():
    app, client = client_for()
    client.get("/settings/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert store_of(app).accept_languages()[-1] == "de-DE,de;q=0.9"


@pytest.mark.parametrize(
    "options,message",
    [
        ({"language": "fr"}, "Unknown language 'fr'"),
        ({"language": "de", "variant": "gestalt"}, "gestalt pages are in English only"),
        ({"untranslated": {"pinterest.nothing"}}, "Unknown untranslated key"),
    ],
)
def test_languages_it_does_not_have_are_refused(options, message):
    with pytest.raises(ConfigError, match=message):
        ReplicaConfig.from_value(options)


def test_the_command_line_takes_the_language_options():
    args = build_parser().parse_args(
        ["--language", "de", "--no-html-lang", "--untranslated", pages.OFF_PINTEREST, "--variant", "aria"]
    )
    config = config_from_args(args)
    assert config.language == "de" and config.html_lang is False
    assert config.untranslated == frozenset({pages.OFF_PINTEREST}) and config.variant == "aria"
    assert config_from_args(build_parser().parse_args([])).language == "en"
