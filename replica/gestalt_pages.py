"""The `gestalt` variant: the settings pages as a React app built with Pinterest's own design system, Gestalt.

The app lives in replica/gestalt/ (`npm ci && npm run build` there makes replica/gestalt/dist). This module
serves its bundle and its pages, and holds back the settings resource for `gestalt_delay` seconds, so the app
first draws every switch off and shows the account's real states only when they arrive, as a React page does.

The page carries its layout (titles, help texts, generated ids) in its initial props; the rule ids travel only
in the settings resource, as on every other variant.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, make_response, render_template, request, send_from_directory
from werkzeug.wrappers import Response as BaseResponse

from replica import pages
from replica.app import READ_PATH, SAVE_PATH, _chrome, _current, _page, _page_name, _resource_error, config, store
from replica.store import page_path

PROJECT_DIR = Path(__file__).resolve().parent / "gestalt"
BUNDLE_DIR = PROJECT_DIR / "dist"
BUNDLE_FILES = ("settings.js", "settings.css")
BUILD_COMMAND = "npm ci && npm run build"
MAX_DELAY_SECONDS = 30.0

# How the app presents some settings, chosen by what they are (never written into the page).
COLLAPSED_KEYS = frozenset({pages.PERSONALIZED})  # its section is a closed Accordion
CHECKBOX_KEYS = frozenset(pages.interest_key(slug) for slug in pages.INTERESTS)
TABBED_PAGES = frozenset({pages.REFINE})  # one Tab per section

MESSAGES = {
    "saved": "Saved",
    "saveFailed": "Something went wrong. Your change wasn't saved. Please try again.",
    "loadFailed": "We couldn't load your settings. Refresh the page to try again.",
    "reset": "Reset",
}

bp = Blueprint("gestalt", __name__, static_folder=None)


def bundle_ready() -> bool:
    return all((BUNDLE_DIR / name).is_file() for name in BUNDLE_FILES)


@bp.before_app_request
def gestalt_page() -> BaseResponse | None:
    """On the gestalt variant, a logged-in visit to a settings page gets the React app.

    Everything else (redirects of the other privacy URL, the login redirect, 404s) stays with the replica's routes.
    """
    if config().variant != "gestalt" or request.method != "GET" or not request.path.startswith("/settings/"):
        return None
    page_name = _page_name(request.path.rstrip("/"))
    session = _current()
    if page_name is None or session is None:
        return None
    if not bundle_ready():
        return make_response(render_template("gestalt_missing.html", **_instructions(), **_chrome()), 503)
    page = pages.build_page(page_name, config())
    return _page("gestalt.html", session, active=page_path(page_name, config()), title=page.title, props=_props(page))


@bp.before_app_request
def hold_back_settings() -> BaseResponse | None:
    """Delay the settings resource: the app's switches stay in their first, default position meanwhile."""
    if config().variant != "gestalt" or request.path != READ_PATH:
        return None
    asked = request.args.get("delay")
    if asked is None:
        delay = config().gestalt_delay
    else:
        try:
            delay = float(asked)
        except ValueError:
            delay = math.nan
        if not 0 <= delay <= MAX_DELAY_SECONDS:
            return _resource_error(400, f"delay must be a number of seconds from 0 to {MAX_DELAY_SECONDS:g}.")
    time.sleep(delay)
    return None


@bp.get("/static/gestalt/<name>")
def bundle(name: str) -> Response:
    if name not in BUNDLE_FILES or not bundle_ready():
        return make_response("Not found", 404)
    return send_from_directory(BUNDLE_DIR, name)


def _props(page: pages.Page) -> dict[str, Any]:
    names = store().names
    cfg = config()
    return {
        "page": page.name,
        "title": page.title,
        "intro": page.intro,
        "read": READ_PATH,
        "save": SAVE_PATH,
        "saveMode": cfg.gestalt_save,
        "saveLabel": cfg.save_button,
        "messages": MESSAGES,
        "tabs": page.name in TABBED_PAGES,
        "sections": [
            {
                "heading": section.heading,
                "intro": section.intro,
                "collapsed": any(control.key in COLLAPSED_KEYS for control in section.controls),
                "items": [
                    {
                        "id": names.element_id(control.key),
                        "kind": "checkbox" if control.key in CHECKBOX_KEYS else "switch",
                        "title": control.title,
                        "help": control.help,
                        "disabled": control.disabled,
                    }
                    for control in section.controls
                ],
            }
            for section in page.sections
        ],
    }


def _instructions() -> dict[str, str]:
    return {"project_dir": str(PROJECT_DIR), "build_command": BUILD_COMMAND}
