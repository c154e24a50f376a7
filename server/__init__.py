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
from server.security import init_security, trust_proxies

__all__ = ["ConfigError", "create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the service; raises ConfigError or RulesError (naming the file) when it must not start."""
    settings = load_config(config)
    keys = load_key_ring(settings)
    catalog = LiveCatalog(settings, keys)
    app = Flask(__name__)
    app.config.update(settings)
    app.config["DEBUG"] = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["optout"] = catalog
    init_errors(app)
    init_security(app)
    app.register_blueprint(api)
    app.register_blueprint(health)
    app.register_blueprint(pages)
    app.wsgi_app = NotModifiedFastPath(app.wsgi_app, catalog, app.config)  # type: ignore[method-assign]
    trust_proxies(app)  # outermost, so every layer sees the client's host and scheme
    return app
