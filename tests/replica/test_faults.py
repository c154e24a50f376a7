"""Every fault the replica injects, seen through its pages, its JSON resources and its store."""

from __future__ import annotations

import html
import time

import pytest
from replica_helpers import READ_PATH, items, log_in, read, save, session_value, store_of, with_cookies

from replica import pages
from replica.config import FAULTS

BOT_TEXT = "We've detected a bot!"


def test_every_documented_fault_has_a_test_here():
    tested = {name.removeprefix("test_").split("__")[0] for name in globals() if name.startswith("test_")}
    assert set(FAULTS) <= tested, set(FAULTS) - tested


def test_logged_out__every_settings_page_goes_to_login(make_app):
    app = make_app(faults={"logged_out"})
    client = with_cookies(app.test_client(), store_of(app).new_session())
    response = client.get("/settings/privacy")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/?next=%2Fsettings%2Fprivacy"
    assert client.get("/settings/").status_code == 302
    assert read(client).status_code == 401
    assert save(client, {pages.CANVAS: False}).status_code == 401
    log_in(client)  # even a fresh login has expired
    assert client.get("/settings/privacy").status_code == 302
    assert client.get("/login/").status_code == 200


def test_logged_out__can_be_switched_on_between_page_loads(make_app):
    app = make_app()
    client = with_cookies(app.test_client(), store_of(app).new_session())
    assert client.get("/settings/privacy").status_code == 200
    store_of(app).configure(faults={"logged_out"})
    assert client.get("/settings/privacy").status_code == 302
    store_of(app).configure(faults=())
    assert client.get("/settings/privacy").status_code == 200


def test_save_500__answers_500_and_persists_nothing(logged_in):
    app, client = logged_in(faults={"save_500"})
    session = session_value(client)
    response = save(client, {pages.CANVAS: False, pages.SITES: False})
    assert response.status_code == 500
    assert response.get_json()["resource_response"]["status"] == "failure"
    store = store_of(app)
    assert store.writes(session) == []
    assert store.state(session)[pages.CANVAS] is True and store.state(session)[pages.SITES] is True
    assert [save["status"] for save in store.saves(session)] == [500]
    assert items(client)[pages.CANVAS]["value"] is True


def test_save_500__legacy_form_fails_too(logged_in):
    app, client = logged_in(faults={"save_500"}, variant="legacy")
    form = {"csrfmiddlewaretoken": client.get_cookie("csrftoken").value}
    response = client.post("/settings/privacy", data=form)
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert store_of(app).writes(session_value(client)) == []


def test_slow__settings_arrive_only_after_slow_seconds(logged_in):
    _, fast = logged_in()
    started = time.monotonic()
    read(fast)
    assert time.monotonic() - started < 0.5
    _, slow = logged_in(faults={"slow"}, slow_seconds=0.6)
    started = time.monotonic()
    page = slow.get("/settings/privacy")  # the page shell comes at once, its settings late
    assert page.status_code == 200 and time.monotonic() - started < 0.5
    started = time.monotonic()
    assert read(slow).status_code == 200
    assert time.monotonic() - started >= 0.6


def test_slow__legacy_page_itself_is_slow(logged_in):
    _, client = logged_in(faults={"slow"}, slow_seconds=0.3, variant="legacy")
    started = time.monotonic()
    assert client.get("/settings/privacy").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_changes__answers_200_and_persists_nothing(logged_in):
    app, client = logged_in(faults={"drop_changes"})
    session = session_value(client)
    response = save(client, {pages.CANVAS: False, pages.SITES: False})
    assert response.status_code == 200
    assert response.get_json()["resource_response"]["status"] == "success"
    assert store_of(app).writes(session) == []
    assert items(client)[pages.CANVAS]["value"] is True
    assert [save["status"] for save in store_of(app).saves(session)] == [200]


def test_drop_changes__with_drop_keys_drops_only_those(logged_in):
    app, client = logged_in(faults={"drop_changes"}, drop_keys={pages.CANVAS})
    session = session_value(client)
    assert save(client, {pages.CANVAS: False, pages.SITES: False}).status_code == 200
    assert store_of(app).writes(session) == [(pages.SITES, False)]
    state = store_of(app).state(session)
    assert state[pages.CANVAS] is True and state[pages.SITES] is False


def test_drop_changes__drop_keys_alone_drop_nothing(logged_in):
    app, client = logged_in(drop_keys={pages.CANVAS})
    assert save(client, {pages.CANVAS: False}).status_code == 200
    assert store_of(app).writes(session_value(client)) == [(pages.CANVAS, False)]


def test_minor__canvas_and_ads_are_off_and_disabled(logged_in):
    app, client = logged_in(faults={"minor"})
    session = session_value(client)
    store = store_of(app)
    store.set_state(session, pages.CANVAS, True)  # whatever is stored, a minor sees it off
    shown = items(client)
    for key in pages.MINOR_LOCKED:
        assert shown[key]["disabled"] is True and shown[key]["value"] is False, key
        assert store.state(session)[key] is False
    assert shown[pages.PERSONALIZED]["disabled"] is False and shown[pages.PERSONALIZED]["value"] is True
    disabled = {c["key"] for c in store.controls() if c["disabled"]}
    assert disabled == set(pages.MINOR_LOCKED)

    refused = save(client, {pages.CANVAS: False, pages.PERSONALIZED: False})
    assert refused.status_code == 400
    assert store.writes(session) == []  # refused whole, the decoy too
    assert save(client, {pages.PERSONALIZED: False}).status_code == 200
    assert store.writes(session) == [(pages.PERSONALIZED, False)]


def test_minor__legacy_checkboxes_are_disabled_and_unticked(logged_in):
    _, client = logged_in(faults={"minor"}, variant="legacy")
    html = client.get("/settings/privacy").get_data(as_text=True)
    assert '<input type="checkbox" name="' in html
    line = next(line for line in html.splitlines() if "Use sites you visit</label>" in line)
    assert " disabled" in line and " checked" not in line


def test_eu__ads_reporting_is_absent(logged_in):
    app, client = logged_in(faults={"eu"})
    shown = items(client)
    assert pages.REPORTING not in shown
    assert "Activity for ads reporting" not in {item["title"] for item in shown.values()}
    assert pages.SITES in shown and pages.CANVAS in shown
    assert pages.REPORTING not in {c["key"] for c in store_of(app).controls()}
    assert save(client, {pages.REPORTING: False}).status_code == 400


def test_uk_minor__ad_and_ai_training_settings_are_absent(logged_in):
    app, client = logged_in(faults={"uk_minor"})
    shown = items(client)
    assert not set(pages.MINOR_LOCKED) & set(shown)
    assert "Ads personalization" not in client.get("/resource/UserSettingsResource/get/?page=privacy").get_data(
        as_text=True
    )
    assert pages.PERSONALIZED in shown
    assert pages.SEARCH_PRIVACY in items(client, "profile_visibility")
    assert pages.AI_CONTENT in items(client, "refine_recommendations")
    assert not set(pages.MINOR_LOCKED) & {c["key"] for c in store_of(app).controls()}
    assert save(client, {pages.SITES: False}).status_code == 400
    assert store_of(app).writes(session_value(client)) == []


def test_uk_minor__legacy_page_shows_no_ad_wordings(logged_in):
    _, client = logged_in(faults={"uk_minor"}, variant="legacy")
    html = client.get("/settings/privacy").get_data(as_text=True)
    for title in ("Use sites you visit", "Improve the ads you see about Pinterest", "Use your data to train"):
        assert title not in html
    assert "Search privacy" in html


@pytest.mark.parametrize("status", [429, 403])
def test_blocked__every_page_is_the_bot_block(make_app, status):
    app = make_app(faults={"blocked"}, blocked_status=status)
    client = with_cookies(app.test_client(), store_of(app).new_session())
    session = session_value(client)
    build = store_of(app).names.build
    for path in (
        "/",
        "/login/",
        "/settings/",
        "/settings/privacy",
        "/settings/privacy-and-data",
        f"/static/js/settings.{build}.js",
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert BOT_TEXT in html.unescape(response.get_data(as_text=True)), path
        assert response.headers["Retry-After"] == "600"
    assert read(client).status_code == status
    response = save(client, {pages.CANVAS: False})
    assert response.status_code == status and BOT_TEXT in html.unescape(response.get_data(as_text=True))
    assert store_of(app).saves(session) == []


def test_blocked__default_status_is_429(make_app):
    assert make_app(faults={"blocked"}).test_client().get("/login/").status_code == 429


def test_not_rolled_out__canvas_training_is_absent(logged_in):
    app, client = logged_in(faults={"not_rolled_out"})
    shown = items(client)
    assert pages.CANVAS not in shown
    assert "GenAI" not in client.get("/resource/UserSettingsResource/get/?page=privacy").get_data(as_text=True)
    assert set(pages.AD_KEYS) <= set(shown)
    assert save(client, {pages.CANVAS: False}).status_code == 400


def test_faults_combine(logged_in):
    _, client = logged_in(faults={"eu", "not_rolled_out", "minor"})
    shown = items(client)
    assert pages.CANVAS not in shown and pages.REPORTING not in shown
    assert shown[pages.SITES]["disabled"] is True


def test_late_states__come_from_their_own_request_after_late_seconds(logged_in):
    app, client = logged_in(faults={"late_states"}, late_seconds=0.3)
    store_of(app).set_state(session_value(client), pages.CANVAS, False)
    started = time.monotonic()
    response = client.get(READ_PATH, query_string={"page": "privacy", "part": "values"})
    assert time.monotonic() - started >= 0.3
    values = response.get_json()["resource_response"]["data"]["values"]
    names = store_of(app).names
    assert values[names.element_id(pages.CANVAS)] is False
    assert values[names.element_id(pages.SITES)] is True
    assert not any(key.startswith("pinterest.") for key in values)  # element ids only, never rule ids


def test_leaves_site__the_page_is_told_where_to_go_and_when(logged_in):
    app, client = logged_in(faults={"leaves_site"}, leave_to="https://elsewhere.example", leave_seconds=0.2)
    html = client.get("/settings/privacy").get_data(as_text=True)
    assert '"leaveTo": "https://elsewhere.example"' in html and '"leaveSeconds": 0.2' in html
    store_of(app).configure(faults=set())
    assert '"leaveTo": ""' in client.get("/settings/privacy").get_data(as_text=True)


def test_reworded__canvas_training_shows_a_title_no_rules_know(logged_in):
    app, client = logged_in(faults={"reworded"})
    shown = items(client)
    assert shown[pages.CANVAS]["title"] == pages.REWORDED_CANVAS
    assert shown[pages.SITES]["title"] == "Use info from sites you visit"
    assert save(client, {pages.CANVAS: False}).status_code == 200


def test_country_redirect__other_pinterest_hosts_send_visitors_to_the_domain(make_app):
    app = make_app(domain="www.pinterest.de", faults={"country_redirect"})
    visitor = app.test_client()
    on_com = {"X-Forwarded-Host": "www.pinterest.com"}
    logged_out = visitor.get("/settings/privacy?tab=1", headers=on_com)
    assert (logged_out.status_code, logged_out.headers["Location"]) == (
        302,
        "https://www.pinterest.de/settings/privacy?tab=1",
    )
    cookies = store_of(app).new_session()
    account = with_cookies(app.test_client(), cookies)
    moved = account.get("/settings/privacy", headers=on_com)
    assert moved.status_code == 302
    destination = moved.headers["Location"]
    assert destination.startswith("https://www.pinterest.de/_replica/handshake/?token=")
    # The country domain's jar is empty: the handshake sets the same session there, once.
    fresh = app.test_client()
    landed = fresh.get(
        destination.removeprefix("https://www.pinterest.de"), headers={"X-Forwarded-Host": "www.pinterest.de"}
    )
    assert (landed.status_code, landed.headers["Location"]) == (302, "/settings/privacy")
    assert session_value(fresh) == next(c["value"] for c in cookies if c["name"] == "_pinterest_sess")
    again = app.test_client()
    again.get(destination.removeprefix("https://www.pinterest.de"), headers={"X-Forwarded-Host": "www.pinterest.de"})
    assert again.get_cookie("_pinterest_sess") is None
    # The domain itself, and a server not standing in for Pinterest, are served as usual.
    assert account.get("/settings/privacy", headers={"X-Forwarded-Host": "www.pinterest.de"}).status_code == 200
    assert account.get("/settings/privacy").status_code == 200
    assert make_app(domain="www.pinterest.de").test_client().get("/login/", headers=on_com).status_code == 200
