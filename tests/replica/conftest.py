"""Fixtures for the replica's own tests: apps built from a config, clients logged in through the login form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from replica_helpers import log_in

from replica import create_app


@pytest.fixture()
def make_app() -> Callable[..., Flask]:
    def make(**config: Any) -> Flask:
        return create_app(config)

    return make


@pytest.fixture()
def logged_in(make_app: Callable[..., Flask]) -> Callable[..., tuple[Flask, FlaskClient]]:
    """An app with `config` and a client logged in through the form."""

    def make(**config: Any) -> tuple[Flask, FlaskClient]:
        app = make_app(**config)
        client = app.test_client()
        log_in(client)
        return app, client

    return make
