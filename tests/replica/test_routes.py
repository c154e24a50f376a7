"""Login, logout, the two privacy URLs, CSRF on saves, and state kept per session."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from replica_helpers import Markup, csrf_value, items, log_in, read, save, session_value, store_of

from replica import pages
from replica.app import SAVE_PATH
from replica.config import PRIVACY_PATHS
from replica.store import SESSION_COOKIE

SETTINGS_PAGES = ["/settings/", "/settings/privacy", "/settings/profile-visibility", "/settings/refine-recommendations"]


def test_login_page_shows_the_form_and_gives_an_anonymous_session(make_app):
    app = make_app()
    client = app.test_client()
    response = client.get("/login/?next=/settings/privacy")
    assert response.status_code == 200
    markup = Markup(response.get_data(as_text=True))
    assert markup.find("form", method="post", action="/login/")
    assert markup.find("input", name="next", value="/settings/privacy")
    assert markup.find("input", name="id", type="email")
    assert markup.find("input", name="password", type="password")
    anonymous = session_value(client)
    assert store_of(app).logged_in(anonymous) is None
    assert client.get("/settings/privacy").status_code == 302


def test_login_redirects_to_next_and_opens_the_settings(make_app):
    app = make_app()
    client = app.test_client()
    client.get("/login/")
    response = client.post("/login/", data={"id": "me@example.com", "password": "pw", "next": "/settings/privacy"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings/privacy"
    assert client.get_cookie("_auth").value == "1"
    assert store_of(app).logged_in(session_value(client)) is not None
    page = client.get("/settings/privacy")
    assert page.status_code == 200
    assert "Privacy and data" in page.get_data(as_text=True)


def test_login_without_a_password_shows_an_error_and_logs_nobody_in(make_app):
    app = make_app()
    client = app.test_client()
    response = client.post("/login/", data={"id": "me@example.com", "password": "", "next": "/settings/privacy"})
    assert response.status_code == 200
    assert "Enter your email and password to log in." in response.get_data(as_text=True)
    assert client.get("/settings/privacy").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "evil", "/\\evil.example"])
def test_login_never_redirects_off_the_site(make_app, target):
    client = make_app().test_client()
    response = client.post("/login/", data={"id": "a@b.c", "password": "pw", "next": target})
    location = urlsplit(response.headers["Location"])
    assert not location.scheme and not location.netloc
    assert "\\" not in location.path and not location.path.startswith("//")


@pytest.mark.parametrize("path", SETTINGS_PAGES + ["/"])
def test_settings_pages_send_a_logged_out_visitor_to_login_with_next(make_app, path):
    client = make_app().test_client()
    response = client.get(path + "?tab=1")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login/"
    expected = path if path == "/" else path + "?tab=1"
    assert parse_qs(location.query)["next"] == [expected]


def test_logout_ends_the_login_but_leaves_a_session_cookie(make_app):
    app = make_app()
    client = app.test_client()
    log_in(client)
    before = session_value(client)
    response = client.get("/logout/")
    assert response.status_code == 302 and response.headers["Location"] == "/login/"
    after = client.get_cookie(SESSION_COOKIE)
    assert after is not None and after.value != before  # like Pinterest: the cookie outlives the login
    assert store_of(app).logged_in(before) is None
    assert client.get("/settings/privacy").status_code == 302
    client.set_cookie(SESSION_COOKIE, before)  # the old cookie does not log back in either
    assert client.get("/settings/privacy").status_code == 302


@pytest.mark.parametrize("canonical", PRIVACY_PATHS)
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_the_alias_privacy_path_redirects_to_the_canonical_one(logged_in, canonical, status):
    _, client = logged_in(privacy_path=canonical, alias_status=status)
    alias = next(path for path in PRIVACY_PATHS if path != canonical)
    response = client.get(alias + "?locale=en-US")
    assert response.status_code == status
    assert response.headers["Location"] == canonical + "?locale=en-US"
    assert client.get(alias + "/").headers["Location"] == canonical
    page = client.get(canonical)
    assert page.status_code == 200
    assert "Privacy and data" in page.get_data(as_text=True)
    menu = Markup(client.get("/settings/").get_data(as_text=True))
    assert menu.find("a", href=canonical)
    assert not menu.find("a", href=alias)


def test_unknown_settings_pages_are_404(logged_in):
    _, client = logged_in()
    assert client.get("/settings/no-such-page").status_code == 404


def test_save_needs_the_csrf_token_of_the_cookie(logged_in):
    app, client = logged_in()
    session = session_value(client)
    no_header = client.post(SAVE_PATH, json={"options": {pages.CANVAS: False}})
    assert no_header.status_code == 403
    assert no_header.get_json()["resource_response"]["message"] == "CSRF verification failed."
    assert save(client, {pages.CANVAS: False}, token="0" * 32).status_code == 403
    assert store_of(app).state(session)[pages.CANVAS] is True
    assert store_of(app).saves(session) == []

    ok = save(client, {pages.CANVAS: False}, token=csrf_value(client))
    assert ok.status_code == 200
    assert ok.get_json()["resource_response"]["status"] == "success"
    assert store_of(app).state(session)[pages.CANVAS] is False


def test_csrf_without_a_csrftoken_cookie_is_refused(logged_in):
    app, client = logged_in()
    token = csrf_value(client)
    client.delete_cookie("csrftoken")
    assert save(client, {pages.CANVAS: False}, token=token).status_code == 403
    assert store_of(app).writes(session_value(client)) == []


def test_legacy_form_save_needs_the_csrf_token(logged_in):
    app, client = logged_in(variant="legacy", seed=3)
    names = store_of(app).names
    field = names.field_name(pages.SEARCH_PRIVACY)
    refused = client.post("/settings/privacy", data={"csrfmiddlewaretoken": "wrong", field: "on"})
    assert refused.status_code == 403
    assert store_of(app).state(session_value(client))[pages.SEARCH_PRIVACY] is False


def test_malformed_saves_are_400_and_change_nothing(logged_in):
    app, client = logged_in()
    for body in ({"options": {pages.CANVAS: "off"}}, {"nothing": 1}, ["x"]):
        response = client.post(SAVE_PATH, json=body, headers={"X-CSRFToken": csrf_value(client)})
        assert response.status_code == 400
    assert save(client, {"pinterest.no_such_setting": False}).status_code == 400
    assert store_of(app).writes(session_value(client)) == []


def test_reads_and_saves_need_a_login(make_app):
    client = make_app().test_client()
    client.get("/login/")
    assert read(client).status_code == 401
    assert save(client, {pages.CANVAS: False}).status_code == 401
    log_in(client)
    assert read(client, "no_such_page").status_code == 404


def test_two_sessions_keep_their_own_state(make_app):
    app = make_app()
    first, second = app.test_client(), app.test_client()
    log_in(first)
    log_in(second)
    assert session_value(first) != session_value(second)
    assert save(first, {pages.SITES: False}).status_code == 200
    assert items(first)[pages.SITES]["value"] is False
    assert items(second)[pages.SITES]["value"] is True
    assert save(second, {pages.PARTNER: False}).status_code == 200
    store = store_of(app)
    assert store.writes(session_value(first)) == [(pages.SITES, False)]
    assert store.writes(session_value(second)) == [(pages.PARTNER, False)]
    assert store.state(session_value(first))[pages.PARTNER] is True
    # One session's csrftoken does not save for another.
    assert save(second, {pages.ABOUT: False}, token=csrf_value(first)).status_code == 403
