"""The in-process API the engine tests use: sessions, state, writes, saves, drift, controls, and config errors."""

from __future__ import annotations

import pytest
from replica_helpers import items, save, with_cookies

from replica import ConfigError, ReplicaConfig, ReplicaStore, UnknownSession, create_app, pages
from replica.app import EXTENSION


def store_and_client(**config):
    app = create_app(config)
    store: ReplicaStore = app.extensions[EXTENSION]
    cookies = store.new_session()
    return store, cookies, with_cookies(app.test_client(), cookies)


def test_new_session_returns_chrome_cookies_for_a_logged_in_account():
    store, cookies, client = store_and_client()
    names = [cookie["name"] for cookie in cookies]
    assert names == ["_pinterest_sess", "csrftoken", "_auth", "_b", "_routing_id"]
    for cookie in cookies:
        assert {"domain", "hostOnly", "path", "secure", "httpOnly", "sameSite", "expirationDate", "storeId"} <= set(
            cookie
        )
    assert client.get("/settings/privacy").status_code == 200
    assert store.state(cookies) == store.state(cookies[0]["value"])  # a cookie list or the session value


def test_new_session_starts_from_pinterests_defaults_or_given_states():
    store, cookies, _ = store_and_client()
    state = store.state(cookies)
    assert state[pages.CANVAS] is True and all(state[key] for key in pages.AD_KEYS)
    assert state[pages.SEARCH_PRIVACY] is False and state[pages.PRIVATE_PROFILE] is False
    custom = store.new_session({pages.CANVAS: False})
    assert store.state(custom)[pages.CANVAS] is False
    with pytest.raises(KeyError, match="Unknown setting key"):
        store.new_session({"pinterest.nope": True})


def test_writes_record_only_persisted_changes_in_order():
    store, cookies, client = store_and_client()
    assert save(client, {pages.CANVAS: True}).status_code == 200  # already on: not a write
    assert store.writes(cookies) == []
    save(client, {pages.CANVAS: False})
    save(client, {pages.CANVAS: False, pages.SITES: False})  # the first unchanged
    save(client, {pages.CANVAS: True})
    assert store.writes(cookies) == [(pages.CANVAS, False), (pages.SITES, False), (pages.CANVAS, True)]
    assert [s["options"] for s in store.saves(cookies)] == [
        {pages.CANVAS: True},
        {pages.CANVAS: False},
        {pages.CANVAS: False, pages.SITES: False},
        {pages.CANVAS: True},
    ]
    assert {s["status"] for s in store.saves(cookies)} == {200}


def test_set_state_is_drift_not_a_write():
    store, cookies, client = store_and_client()
    store.set_state(cookies, pages.SITES, False)
    assert store.state(cookies)[pages.SITES] is False
    assert items(client)[pages.SITES]["value"] is False
    assert store.writes(cookies) == []
    assert store.saves(cookies) == []
    with pytest.raises(KeyError, match="Unknown setting key"):
        store.set_state(cookies, "pinterest.nope", False)


def test_returned_history_is_a_copy():
    store, cookies, client = store_and_client()
    save(client, {pages.CANVAS: False})
    store.writes(cookies).clear()
    store.saves(cookies)[0]["status"] = 999
    assert store.writes(cookies) == [(pages.CANVAS, False)]
    assert store.saves(cookies)[0]["status"] == 200


def test_unknown_sessions_raise():
    store, _, _ = store_and_client()
    with pytest.raises(UnknownSession):
        store.state("no-such-session")
    with pytest.raises(UnknownSession):
        store.writes([{"name": "csrftoken", "value": "x"}])


def test_controls_list_what_the_pages_show():
    store, _, _ = store_and_client(privacy_path="/settings/privacy-and-data")
    controls = {c["key"]: c for c in store.controls()}
    assert controls[pages.CANVAS] == {
        "key": pages.CANVAS,
        "page": "/settings/privacy-and-data",
        "section": "GenAI",
        "title": "Use your data to train Pinterest Canvas",
        "help": "Allow your data to be used to help train Pinterest Canvas.",
        "disabled": False,
    }
    assert controls[pages.SEARCH_PRIVACY]["page"] == "/settings/profile-visibility"
    assert controls[pages.AI_CONTENT]["page"] == "/settings/refine-recommendations"
    assert set(controls) <= set(pages.ALL_KEYS)


def test_configure_changes_the_running_config():
    store, _, client = store_and_client()
    assert pages.REPORTING in items(client)
    config = store.configure(faults="eu, minor")
    assert config.faults == {"eu", "minor"} and store.config is config
    assert pages.REPORTING not in items(client)
    with pytest.raises(ConfigError):
        store.configure(faults={"gremlins"})
    assert store.config is config


@pytest.mark.parametrize(
    "options,message",
    [
        ({"variant": "tabs"}, "Unknown variant 'tabs'. Variants: switch, checkbox, legacy, aria, gestalt."),
        (
            {"faults": {"gremlins", "eu", "aliens"}},
            "Unknown fault(s) aliens, gremlins. Faults: logged_out, save_500, slow, drop_changes, minor, eu, "
            "uk_minor, blocked, not_rolled_out, late_states, leaves_site, reworded, country_redirect.",
        ),
        (
            {"privacy_path": "/settings/data"},
            "privacy_path must be one of /settings/privacy, /settings/privacy-and-data.",
        ),
        ({"alias_status": 200}, "alias_status must be a redirect status (301, 302, 307 or 308)."),
        ({"blocked_status": 500}, "blocked_status must be 403 or 429."),
        ({"slow_seconds": -1}, "slow_seconds cannot be negative."),
    ],
)
def test_config_errors_say_what_is_wrong_and_what_exists(options, message):
    with pytest.raises(ConfigError) as error:
        ReplicaConfig(**options)
    assert str(error.value) == message
    with pytest.raises(ConfigError):
        create_app(options)


def test_config_from_plain_values():
    config = ReplicaConfig.from_value({"variant": "aria", "faults": "eu,slow", "drop_keys": [pages.CANVAS]})
    assert config.variant == "aria" and config.faults == {"eu", "slow"} and config.drop_keys == {pages.CANVAS}
    assert ReplicaConfig.from_value(None) == ReplicaConfig()
    assert ReplicaConfig.from_value(config) is config
    with pytest.raises(ConfigError) as error:
        ReplicaConfig.from_value({"colour": "red"})
    assert str(error.value).startswith("Unknown replica option(s) colour. Options: alias_status, blocked_status,")
    assert isinstance(error.value, ValueError)


def test_drop_keys_must_name_settings_the_replica_has():
    """A misspelt drop key would make drop_changes drop nothing, and a verify test pass for the wrong reason."""
    with pytest.raises(ConfigError) as error:
        ReplicaConfig(faults={"drop_changes"}, drop_keys={"canvas_training", pages.CANVAS})
    assert str(error.value).startswith("Unknown drop key(s) canvas_training. Keys: pinterest.genai.canvas_training,")
    assert ReplicaConfig(faults={"drop_changes"}, drop_keys={pages.CANVAS}).drops(pages.CANVAS)


@pytest.mark.parametrize(
    ("domain", "jar"),
    [
        ("www.pinterest.com", ".pinterest.com"),
        ("de.pinterest.com", ".pinterest.com"),  # a country subdomain shares the .com jar
        ("www.pinterest.de", ".pinterest.de"),  # a country domain has its own
    ],
)
def test_a_sessions_cookies_are_on_the_jar_of_the_replicas_domain(domain, jar):
    cookies = ReplicaStore(ReplicaConfig(domain=domain)).new_session()
    session = next(cookie for cookie in cookies if cookie["name"] == "_pinterest_sess")
    routing = next(cookie for cookie in cookies if cookie["name"] == "_routing_id")
    assert (session["domain"], session["hostOnly"]) == (jar, False)
    assert (routing["domain"], routing["hostOnly"]) == (domain, True)


def test_the_domain_must_be_one_of_pinterests_hosts():
    for host in ("www.pinterest.com.evil.example", "pinterest.de", "evil.pinterest.com"):
        with pytest.raises(ConfigError, match="not one of Pinterest's web hosts"):
            ReplicaConfig(domain=host)


def test_the_store_keeps_the_cookie_header_each_host_received():
    app = create_app({"domain": "www.pinterest.de"})
    client = app.test_client()
    client.set_cookie("_pinterest_sess", "abc")
    client.get("/login/", headers={"X-Forwarded-Host": "www.pinterest.de"})
    client.get("/favicon.ico")
    received = app.extensions["replica"].received()
    assert received[0] == ("www.pinterest.de", "/login/", "_pinterest_sess=abc")
    assert received[1][:2] == ("localhost", "/favicon.ico")
