"""The user's session: cookies as chrome.cookies.getAll returns them, kept to the platform's own domain.

Cookies live only in memory: they go into an in-memory browser context and are never written to disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from native_host.rules.domains import domains_of

if TYPE_CHECKING:  # the protocol layer checks cookies for `hello`'s quick start: no schema validator for it
    from native_host.rules.format import RuleSet

SAME_SITE = {"no_restriction": "None", "lax": "Lax", "strict": "Strict"}


class CookieError(ValueError):
    """The cookies handed to a run are not in the shape the browser's cookies API gives."""


def belongs_to(domain: str, cookie_domain: str) -> bool:
    host = domain.lstrip(".").lower()
    return host == cookie_domain or host.endswith("." + cookie_domain)


def check_cookies(chrome_cookies: Any) -> list[dict[str, Any]]:
    """The one check of cookies handed to a run, at the edge (the protocol layer, the CLI): a list of objects with
    a string name (not empty), value and domain, as chrome.cookies.getAll gives them. CookieError otherwise."""
    if not isinstance(chrome_cookies, list):
        raise CookieError("cookies must be a list of cookie objects, as chrome.cookies.getAll returns")
    for index, cookie in enumerate(chrome_cookies):
        if not isinstance(cookie, dict):
            raise CookieError(f"cookie {index} is not an object")
        name, value, domain = cookie.get("name"), cookie.get("value"), cookie.get("domain")
        if not isinstance(name, str) or not name or not isinstance(value, str) or not isinstance(domain, str):
            raise CookieError(f"cookie {index} needs a name, a value and a domain (strings)")
    return chrome_cookies


def session_cookies(chrome_cookies: Any, cookie_domain: str) -> list[dict[str, Any]]:
    """Playwright cookies for `cookie_domain` and its subdomains; every other cookie is dropped."""
    if chrome_cookies is None:
        return []
    return [
        _playwright_cookie(cookie, cookie["name"], cookie["value"], cookie["domain"])
        for cookie in check_cookies(chrome_cookies)
        if belongs_to(cookie["domain"], cookie_domain)
    ]


def session_origin(rules: RuleSet, chrome_cookies: list[dict[str, Any]] | None) -> str:
    """The origin the person is logged in on, read from the cookies: the host of the platform's session cookie.

    A session cookie on a jar (`.pinterest.de`) means that jar's home (https://www.pinterest.de); one set on a
    single host (`de.pinterest.com`) means that host. Several jars holding one: the cookie that expires last,
    because Pinterest sets it again, with a fresh expiry, on a visit (an assumption: no source says how
    Pinterest refreshes it); the extension decides the same way (extension/shared/sessions.js). None: the rules'
    canonical origin.
    """
    name = domains_of(rules.platform).session_cookie
    found: list[tuple[float, bool, str]] = []
    for cookie in chrome_cookies or []:
        if not isinstance(cookie, dict) or cookie.get("name") != name:
            continue
        origin = _origin_of_jar(rules, str(cookie.get("domain", "")))
        if origin is not None:
            expires = cookie.get("expirationDate")
            when = float(expires) if isinstance(expires, int | float) else float("inf")  # a browser session: in use
            found.append((when, origin == rules.canonical_origin, origin))
    return max(found)[2] if found else rules.canonical_origin


def _origin_of_jar(rules: RuleSet, domain: str) -> str | None:
    host = domain.lstrip(".").lower()
    for site in rules.sites:
        if host in site.hosts:
            return f"https://{host}"
        if host == site.cookie_domain:
            return site.home
    return None


def _playwright_cookie(cookie: dict[str, Any], name: str, value: str, domain: str) -> dict[str, Any]:
    host_only = bool(cookie.get("hostOnly", not domain.startswith(".")))
    converted: dict[str, Any] = {
        "name": name,
        "value": value,
        # Playwright reads a leading dot as "this domain and its subdomains"
        "domain": domain.lstrip(".") if host_only else "." + domain.lstrip("."),
        "path": cookie.get("path") or "/",
        "secure": bool(cookie.get("secure", True)),
        "httpOnly": bool(cookie.get("httpOnly", False)),
    }
    same_site = SAME_SITE.get(str(cookie.get("sameSite", "unspecified")))
    if same_site == "None" and not converted["secure"]:
        same_site = "Lax"  # browsers reject SameSite=None without Secure
    if same_site:
        converted["sameSite"] = same_site
    expires = cookie.get("expirationDate")
    if isinstance(expires, int | float) and not cookie.get("session", False):
        converted["expires"] = float(expires)
    return converted
