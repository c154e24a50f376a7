"""Cookies stay on the platform's domain; site maps only point at this machine; labels normalise."""

import pytest

from native_host.engine.cookies import CookieError, session_cookies
from native_host.engine.labels import normalize
from native_host.engine.site_map import SiteMapError, parse_site_map

CHROME_COOKIE = {
    "domain": ".pinterest.com",
    "expirationDate": 1900000000.5,
    "hostOnly": False,
    "httpOnly": True,
    "name": "_pinterest_sess",
    "path": "/",
    "sameSite": "no_restriction",
    "secure": True,
    "session": False,
    "storeId": "0",
    "value": "secret",
}


def test_chrome_cookies_become_playwright_cookies():
    [cookie] = session_cookies([CHROME_COOKIE], "pinterest.com")
    assert cookie == {
        "name": "_pinterest_sess",
        "value": "secret",
        "domain": ".pinterest.com",
        "path": "/",
        "secure": True,
        "httpOnly": True,
        "sameSite": "None",
        "expires": 1900000000.5,
    }


def test_host_only_cookie_keeps_its_host():
    cookie = dict(CHROME_COOKIE, domain="www.pinterest.com", hostOnly=True, sameSite="lax", session=True)
    [converted] = session_cookies([cookie], "pinterest.com")
    assert converted["domain"] == "www.pinterest.com" and converted["sameSite"] == "Lax"
    assert "expires" not in converted


def test_cookies_of_other_domains_are_dropped():
    others = [
        dict(CHROME_COOKIE, domain=".google.com"),
        dict(CHROME_COOKIE, domain="pinterest.com.evil.example"),
        dict(CHROME_COOKIE, domain="notpinterest.com"),
    ]
    assert session_cookies(others + [CHROME_COOKIE], "pinterest.com") == session_cookies(
        [CHROME_COOKIE], "pinterest.com"
    )
    assert len(session_cookies(others, "pinterest.com")) == 0


@pytest.mark.parametrize(
    "bad", ["cookies", {"name": "x"}, [1], [{"name": "x", "value": 1, "domain": ".pinterest.com"}]]
)
def test_malformed_cookies_are_a_clear_error(bad):
    with pytest.raises(CookieError):
        session_cookies(bad, "pinterest.com")


def test_site_map_accepts_loopback_targets():
    assert parse_site_map(["https://www.pinterest.com=http://127.0.0.1:8000"]) == {
        "https://www.pinterest.com": "http://127.0.0.1:8000"
    }
    assert parse_site_map("https://www.pinterest.com=https://localhost:9443") == {
        "https://www.pinterest.com": "https://localhost:9443"
    }


@pytest.mark.parametrize(
    "entry",
    [
        "https://www.pinterest.com=http://10.0.0.5:8000",
        "https://www.pinterest.com=http://example.com:80",
        "https://www.pinterest.com=http://127.0.0.1",
        "http://www.pinterest.com=http://127.0.0.1:8000",
        "https://www.pinterest.com/settings=http://127.0.0.1:8000",
        "www.pinterest.com",
    ],
)
def test_site_map_refuses_anything_else(entry):
    with pytest.raises(SiteMapError):
        parse_site_map([entry])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Use  SITES you visit! ", "use sites you visit"),
        ("Food & drink", "food and drink"),
        ("Use your data to train\nPinterest Canvas.", "use your data to train pinterest canvas"),
        ("We\u2019ve detected a bot!", "weve detected a bot"),
        ("Ｕｓｅ of partner info", "use of partner info"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected
