"""GET /: a page a person can read, listing each platform and each setting the rules know."""

from __future__ import annotations

from flask import Blueprint, render_template

from server.bundles import current_catalog

pages = Blueprint("pages", __name__)


@pages.get("/")
def index() -> str:
    catalog = current_catalog()
    bundles = [catalog.bundles[name] for name in sorted(catalog.bundles)]
    return render_template("index.html", bundles=bundles, keys=catalog.keys.published())
