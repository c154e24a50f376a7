"""The focus ring and the landmarks of the popup and the options page, checked without the helper so
the pages are quick to reach; axe-core and the screenshots of every state run in the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .accessibility import FOCUS_CONTRAST, SCHEMES, audit, contrast, focus_ring, luminance
from .browser import EXTENSION_ID, isolated_env, launch, open_popup

pytestmark = pytest.mark.browser

POPUP_CONTROLS = ("#open-options", "#welcome-link")
OPTIONS_CONTROLS = ("#recheck", "#notifications", "#export", "#service-url", ".jump a")


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    tmp: Path = tmp_path_factory.mktemp("accessibility")
    with sync_playwright() as playwright:
        browser_context = launch(playwright, tmp / "profile", isolated_env(tmp))
        try:
            yield browser_context
        finally:
            browser_context.close()


def popup_without_helper(context: Any) -> Any:
    popup = open_popup(context)
    popup.wait_for_function("() => document.querySelector('main').dataset.ready === 'true'", timeout=15_000)
    popup.locator("#welcome-link").wait_for()
    return popup


def options_page(context: Any) -> Any:
    page = context.new_page()
    page.goto(f"chrome-extension://{EXTENSION_ID}/options.html")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=15_000)
    return page


@pytest.fixture(params=["popup", "options"])
def page_and_controls(request: pytest.FixtureRequest, context: Any) -> Iterator[tuple[Any, tuple[str, ...]]]:
    if request.param == "popup":
        page, controls = popup_without_helper(context), POPUP_CONTROLS
    else:
        page, controls = options_page(context), OPTIONS_CONTROLS
    yield page, controls
    page.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_focus_ring_stands_out_at_3_to_1(page_and_controls: tuple[Any, tuple[str, ...]], scheme: str) -> None:
    page, controls = page_and_controls
    page.emulate_media(color_scheme=scheme)
    for selector in controls:
        ring = focus_ring(page, selector)
        assert ring["focusVisible"], selector
        assert ring["style"] == "solid" and ring["width"] >= 2, (selector, ring)
        ratio = contrast(ring["colour"], ring["behind"])
        assert ratio >= FOCUS_CONTRAST, f"{selector} in {scheme}: {ring['colour']} on {ring['behind']} is {ratio:.2f}:1"


def test_in_forced_colours_the_ring_is_the_system_highlight(page_and_controls: tuple[Any, tuple[str, ...]]) -> None:
    page, controls = page_and_controls
    page.emulate_media(forced_colors="active")
    highlight = page.evaluate(
        """() => {
            const probe = document.createElement("span");
            probe.style.color = "Highlight";
            document.body.append(probe);
            const colour = getComputedStyle(probe).color;
            probe.remove();
            return colour;
        }"""
    )
    for selector in controls:
        ring = focus_ring(page, selector)
        assert ring["style"] == "solid" and ring["width"] >= 3, (selector, ring)
        assert ring["colour"] == highlight, (selector, ring)


def landmarks(page: Any) -> dict[str, int]:
    return page.evaluate(
        """() => ({
            main: document.querySelectorAll("main").length,
            banner: [...document.querySelectorAll("header")].filter((h) => !h.closest("main, section, nav")).length,
            nav: document.querySelectorAll("nav").length,
            outside: [...document.body.children].filter((n) => !n.matches("header, main, nav, footer, script")
                && !n.querySelector("main")).length,
        })"""
    )


def test_the_popup_has_a_banner_and_a_main_landmark(context: Any) -> None:
    popup = popup_without_helper(context)
    assert landmarks(popup) == {"main": 1, "banner": 1, "nav": 0, "outside": 0}
    popup.close()


def test_the_options_page_has_a_banner_a_nav_and_a_main_landmark(context: Any) -> None:
    page = options_page(context)
    assert landmarks(page) == {"main": 1, "banner": 1, "nav": 1, "outside": 0}
    audit(page, "options-no-helper")
    page.close()


def test_dark_mode_darkens_the_page_and_keeps_text_readable(page_and_controls: tuple[Any, tuple[str, ...]]) -> None:
    page, _ = page_and_controls
    page.emulate_media(color_scheme="dark")
    colours = page.evaluate(
        """() => {
            const style = getComputedStyle(document.body);
            return { page: style.backgroundColor, text: style.color };
        }"""
    )
    assert luminance(colours["page"]) < 0.05, colours
    assert contrast(colours["text"], colours["page"]) >= 4.5, colours
