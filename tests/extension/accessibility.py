"""axe-core, colour schemes, zoom and focus checks for the extension's pages, with a screenshot of each.

axe-core comes from extension/node_modules (the npm devDependency `axe-core`, installed by `npm ci`).
Extension pages allow only their own scripts (`script-src 'self'`): `page.add_script_tag` fails there
(its inline script is refused by the policy) and `page.route` never sees `chrome-extension://` requests.
`page.evaluate` with the library's source as a string works, because DevTools evaluates it outside the
page's policy; the library's own functions are then called with the function form as usual.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .browser import ARTIFACTS, EXTENSION, screenshot

AXE = EXTENSION / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
# WCAG 2.2, 1.4.11 and 2.4.13: a focus indicator needs 3:1 against what surrounds it.
FOCUS_CONTRAST = 3.0
# At 200 % zoom Chromium halves the CSS pixels of a toolbar popup: at most 800 x 600 device pixels
# become a 400 x 300 layout viewport, and the popup's own 380 px width fills it.
POPUP_AT_200_PERCENT = {"width": 380, "height": 300}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (every rule axe runs by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map((node) => node.target.join(" ")),
        }))"""
    )


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}" for v in violations)


def audit(page: Any, name: str, whole: bool = True) -> list[Path]:
    """In light and in dark: 0 axe violations, and a screenshot `<name>-<scheme>.png` to look at.

    `whole` makes the viewport as tall as the page for the picture, the way the toolbar grows a popup
    to fit its content: a full-page capture of a shorter viewport would draw the sticky main button
    over the middle of the list. Without it the picture is the viewport as the person sees it.
    """
    shots = []
    viewport = page.viewport_size
    try:
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            violations = axe_violations(page)
            if whole:
                height = page.evaluate("() => document.documentElement.scrollHeight")
                page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
                shots.append(screenshot(page, f"{name}-{scheme}.png"))
            else:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                shots.append(ARTIFACTS / f"{name}-{scheme}.png")
                page.screenshot(path=str(shots[-1]))
            page.set_viewport_size(viewport)
            assert violations == [], f"{name} in {scheme}:\n{describe(violations)}"
    finally:
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(viewport)
    return shots


def _channels(css_colour: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_colour)]
    red, green, blue = numbers[:3]
    return red, green, blue, numbers[3] if len(numbers) > 3 else 1.0


def _luminance(red: float, green: float, blue: float) -> float:
    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def luminance(css_colour: str) -> float:
    """The WCAG relative luminance of an opaque CSS `rgb()` colour: 0 for black, 1 for white."""
    return _luminance(*_channels(css_colour)[:3])


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two opaque CSS `rgb()` colours."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_ring(page: Any, selector: str) -> dict[str, Any]:
    """Focus `selector` from the keyboard's point of view and read its ring and the page behind it."""
    page.focus(selector)
    return page.eval_on_selector(
        selector,
        """(node) => {
            const style = getComputedStyle(node);
            let behind = node.parentElement;
            while (behind && getComputedStyle(behind).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/)) {
                behind = behind.parentElement;
            }
            return {
                focusVisible: node.matches(":focus-visible"),
                style: style.outlineStyle,
                width: parseFloat(style.outlineWidth),
                colour: style.outlineColor,
                behind: behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)",
            };
        }""",
    )


def nested_scroll_areas(page: Any) -> list[str]:
    """Elements other than the page itself whose content scrolls inside them."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")].filter((node) => {
            const overflow = getComputedStyle(node).overflowY;
            return ["auto", "scroll"].includes(overflow) && node.scrollHeight > node.clientHeight;
        }).map((node) => node.id || node.className || node.tagName)"""
    )


def fully_in_view(page: Any, selector: str) -> bool:
    """Whether the whole of `selector` is inside the viewport, without scrolling."""
    return page.eval_on_selector(
        selector,
        """(node) => {
            const box = node.getBoundingClientRect();
            const inside = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
            return box.height > 0 && inside;
        }""",
    )
