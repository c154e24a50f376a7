"""Helpers for the replica's own tests: clients logged in through the login form, saves, reads, markup."""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from replica import ReplicaStore
from replica.app import EXTENSION, READ_PATH, SAVE_PATH
from replica.store import CSRF_COOKIE, SESSION_COOKIE


def store_of(app: Flask) -> ReplicaStore:
    return app.extensions[EXTENSION]


def log_in(client: FlaskClient, next_path: str = "/") -> None:
    """Log in through the login form, as a person would."""
    client.get("/login/")
    response = client.post("/login/", data={"id": "me@example.com", "password": "secret", "next": next_path})
    assert response.status_code == 302, response.status_code


def session_value(client: FlaskClient) -> str:
    return client.get_cookie(SESSION_COOKIE).value


def csrf_value(client: FlaskClient) -> str:
    return client.get_cookie(CSRF_COOKIE).value


def save(client: FlaskClient, options: Mapping[str, bool], token: str | None = None) -> Any:
    """An instant save as the page script sends it, with the csrftoken cookie echoed unless `token` is given."""
    headers = {"X-CSRFToken": csrf_value(client) if token is None else token}
    return client.post(SAVE_PATH, json={"options": dict(options)}, headers=headers)


def read(client: FlaskClient, page: str = "privacy") -> Any:
    return client.get(READ_PATH, query_string={"page": page})


def items(client: FlaskClient, page: str = "privacy") -> dict[str, dict[str, Any]]:
    """The controls the page script renders, by setting key."""
    response = read(client, page)
    assert response.status_code == 200, response.status_code
    sections = response.get_json()["resource_response"]["data"]["sections"]
    return {item["field"]: item for section in sections for item in section["items"]}


def with_cookies(client: FlaskClient, cookies: list[dict[str, Any]]) -> FlaskClient:
    """Give a test client the cookies `ReplicaStore.new_session` returns."""
    for cookie in cookies:
        client.set_cookie(cookie["name"], cookie["value"])
    return client


class Markup(HTMLParser):
    """Every start tag of a page with its attributes, and the page's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(" ".join(data.split()))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def classes(self) -> set[str]:
        return {name for _, attrs in self.tags for name in attrs.get("class", "").split()}
