"""The popup and the options page in German in real Chromium: German words, German dates, the rules' German
title where the rules have one, the honest sentence for a setting Optout cannot read in the page's language,
and axe-core still content. Screenshots of each state, light and dark, in tests/artifacts/popup-de-*.png."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from replica import ReplicaConfig, serve

from .accessibility import audit
from .browser import EXTENSION, EXTENSION_ID, extension_on_replica, log_in, ready_popup, service_worker

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 90_000
GERMAN = json.loads((EXTENSION / "_locales" / "de" / "messages.json").read_text(encoding="utf-8"))
ENGLISH = json.loads((EXTENSION / "_locales" / "en" / "messages.json").read_text(encoding="utf-8"))
CANVAS = "pinterest.genai.canvas_training"
ENGLISH_ONLY = "pinterest.ads.off_pinterest"  # its German words are taken out of the stored rules below
RULES = json.loads((EXTENSION.parent / "rules" / "pinterest.json").read_text(encoding="utf-8"))
# What the host's rules document will say for the canvas setting once it carries German words (contract 1).
GERMAN_CANVAS = {
    "title": "KI-Training mit deinen Pins",
    "explanation": "Pinterest nutzt deine Pins nicht mehr, um seine Bild-KI zu trainieren.",
    "labels": ["Deine Daten zum Trainieren von Pinterest Canvas verwenden"],
    "sources": ["test: a German title for the extension to show"],
}


def german(key: str) -> str:
    return GERMAN[key]["message"]


@dataclass
class World:
    context: Any
    worker: Any


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("language")
    with serve(ReplicaConfig()) as replica, extension_on_replica(replica, tmp, language="de") as context:
        log_in(context)
        yield World(context, service_worker(context))


def give_rules_german_words(world: World) -> None:
    """The stored rules document with a German title of the test's own for canvas, and no German words for one
    setting (the shipped rules have German titles for every setting)."""
    world.worker.evaluate(
        """async ([german, englishOnly]) => {
            const { rules } = await chrome.storage.local.get("rules");
            for (const setting of rules.document.settings) {
                if (setting.id === "pinterest.genai.canvas_training") setting.languages = { de: german };
                if (setting.id === englishOnly) delete setting.languages?.de;
            }
            await chrome.storage.local.set({ rules });
        }""",
        [GERMAN_CANVAS, ENGLISH_ONLY],
    )


def shipped_title(setting_id: str, language: str | None = None) -> str:
    setting = next(setting for setting in RULES["settings"] if setting["id"] == setting_id)
    return setting["languages"][language]["title"] if language else setting["title"]


def overflowing(page: Any) -> list[str]:
    """Elements whose text is wider than their box (cut off or spilling over), and anything wider than the popup."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")].filter((node) => {
            const style = getComputedStyle(node);
            if (style.display === "none" || node.closest("[hidden]")) return false;
            const spills = node.scrollWidth > node.clientWidth + 1 && style.overflowX !== "visible";
            return spills || node.getBoundingClientRect().right > innerWidth + 1;
        }).map((node) => `${node.tagName}#${node.id}.${node.className}: ${node.textContent.slice(0, 40)}`)"""
    )


def row(popup: Any, setting_id: str) -> Any:
    return popup.locator(f'.setting[data-setting-id="{setting_id}"]')


def test_the_browser_really_speaks_german_to_the_extension(world: World) -> None:
    popup = ready_popup(world.context)
    spoken = popup.evaluate(
        "() => [chrome.i18n.getMessage('ui_language'), document.documentElement.lang, document.title]"
    )
    assert spoken == ["de", "de", "Optout"]
    button = popup.locator("#opt-out").text_content()
    assert button == german("button_opt_me_out") != ENGLISH["button_opt_me_out"]["message"]
    popup.close()


def test_before_the_first_run_the_popup_is_german_with_the_rules_german_title(world: World) -> None:
    from playwright.sync_api import expect

    give_rules_german_words(world)
    popup = ready_popup(world.context)
    expect(popup.locator("#headline-title")).to_have_text(german("headline_not_checked"))
    expect(popup.locator(".brand-sub")).to_have_text(german("popup_subtitle"))
    expect(row(popup, CANVAS).locator(".setting-title")).to_have_text(GERMAN_CANVAS["title"])
    expect(row(popup, CANVAS).locator(".setting-explanation")).to_have_text(GERMAN_CANVAS["explanation"])
    expect(row(popup, CANVAS).locator(".pill")).to_have_text(german("pill_not_checked"))
    # A setting the rules have no German words for keeps its English title; the others show the rules' German one.
    expect(row(popup, ENGLISH_ONLY).locator(".setting-title")).to_have_text(shipped_title(ENGLISH_ONLY))
    sites = "pinterest.ads.sites_you_visit"
    expect(row(popup, sites).locator(".setting-title")).to_have_text(shipped_title(sites, "de"))
    assert overflowing(popup) == []
    audit(popup, "popup-de-before")
    popup.close()


def test_after_an_opt_out_the_summary_pills_and_times_are_german(world: World) -> None:
    from playwright.sync_api import expect

    popup = ready_popup(world.context)
    popup.click("#opt-out")
    popup.wait_for_function("() => document.querySelector('main').dataset.finished", timeout=RUN_TIMEOUT_MS)
    assert popup.evaluate("() => document.querySelector('main').dataset.finished") == "done"
    summary = popup.locator("#summary")
    expect(summary.locator("h2")).to_have_text(re.compile(f"^{german('summary_done')}"))
    assert german("summary_confirmed") in summary.locator("p").text_content()
    expect(row(popup, CANVAS).locator(".pill")).to_have_text(german("pill_opted_out"))
    popup.close()
    # A new popup shows when each setting was read, in German: "Geprüft gerade eben" or "Geprüft vor 1 Minute".
    popup = ready_popup(world.context)
    meta = row(popup, CANVAS).locator(".setting-meta").text_content()
    assert re.fullmatch(r"Geprüft (gerade eben|vor \d+ Minuten?)", meta), meta
    expect(popup.locator("#headline-title")).to_have_text(german("headline_opted_out"))
    assert world.worker.evaluate("() => chrome.action.getTitle({})") == german("badge_in_place")
    assert overflowing(popup) == []
    audit(popup, "popup-de-after")
    popup.close()


def test_the_history_dates_are_german(world: World) -> None:
    from playwright.sync_api import expect

    page = world.context.new_page()
    page.goto(f"chrome-extension://{EXTENSION_ID}/options.html")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=15_000)
    expect(page.locator("#history th").first).to_have_text(german("history_column_when"))
    first = page.locator("#history-rows tr").first.locator("td")
    when = first.nth(0).text_content()
    # dd.mm.yyyy, hh:mm: how German writes a medium date and a short time.
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}", when), when
    # A run on the replica is a practice run, and says so in German too.
    expect(first.nth(1)).to_have_text(german("history_opt_out") + german("practice_tag"))
    expect(page.locator(".group h3").first).to_have_text(german("category_ai_training"))
    audit(page, "options-de")
    page.close()


def test_a_setting_optout_cannot_read_in_the_page_language_says_so_in_german(world: World) -> None:
    from playwright.sync_api import expect

    # A report's result for a German page whose wording for this setting no rule knows (contract 4).
    world.worker.evaluate(
        """async () => {
            const { settingStates } = await chrome.storage.local.get("settingStates");
            settingStates["pinterest.genai.canvas_training"] = {
                state: null, status: "not_found", reason: "unknown_language", language: "de",
                confirmed: false, checkedAt: new Date().toISOString(), message: "", page: null, candidates: [],
            };
            await chrome.storage.local.set({ settingStates });
        }"""
    )
    popup = ready_popup(world.context)
    canvas = row(popup, CANVAS)
    expect(canvas.locator(".pill")).to_have_text(german("pill_cannot_read"))
    expect(canvas.locator(".setting-meta")).to_contain_text(
        "Optout weiß noch nicht, wie Pinterest diese Einstellung auf Deutsch nennt."
    )
    expect(canvas.locator(".setting-meta a")).to_have_text(german("link_look_on_pinterest"))
    expect(popup.locator("#headline-title")).to_have_text("Optout kann 1 Einstellung noch nicht lesen")
    assert overflowing(popup) == []
    audit(popup, "popup-de-unknown-language")
    popup.close()
