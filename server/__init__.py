"""The Optout rules service: publishes signed, versioned rule bundles.

`flask --app server run`, `optout serve`, or any WSGI server with `server:create_app()`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from server.api import api
from server.bundles import LiveCatalog
from server.config import ConfigError, load_config
from server.errors import init_errors
from server.health import health
from server.keys import load_key_ring
from server.not_modified import NotModifiedFastPath
from server.pages import pages
from server.report_store import ReportStore, StoreError
from server.reports import init_reports
from server.security import init_security, trust_proxies

__all__ = ["ConfigError", "create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the service; raises ConfigError or RulesError (naming the file) when it must not start."""
    settings = load_config(config)
    keys = load_key_ring(settings)
    catalog = LiveCatalog(settings, keys)
    reports = open_report_store(settings["DATABASE_URL"])
    app = Flask(__name__)
    app.config.update(settings)
    app.config["DEBUG"] = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["optout"] = catalog
    init_errors(app)
    init_security(app)
    app.register_blueprint(api)
    init_reports(app, reports)
    app.register_blueprint(health)
    app.register_blueprint(pages)
    app.wsgi_app = NotModifiedFastPath(app.wsgi_app, catalog, app.config)  # type: ignore[method-assign]
    trust_proxies(app)  # outermost, so every layer sees the client's host and scheme
    return app


def open_report_store(url: str) -> ReportStore:
    """The field reports' database, its schema brought up to date; ConfigError when it cannot be used."""
    try:
        store = ReportStore(url)
        store.migrate()
    except StoreError as error:
        raise ConfigError(str(error)) from error
    # The start-up connection is not shared with workers a forking server starts; each opens its own.
    store.close()
    return store
