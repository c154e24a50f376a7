"""The manifest asks for no more than the extension uses, and its key fixes the id the host is installed for."""

import base64
import hashlib
import json
import re

import pytest

from native_host.rules.domains import domains_of

from .browser import EXTENSION, EXTENSION_ID, isolated_env, launch, service_worker

MANIFEST = json.loads((EXTENSION / "manifest.json").read_text())
EXPECTED_PERMISSIONS = {"nativeMessaging", "storage", "alarms", "notifications", "cookies", "declarativeNetRequest"}


def id_from_key(key: str) -> str:
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(char, 16)) for char in digest)


def test_permissions_are_exactly_what_the_extension_needs() -> None:
    assert MANIFEST["manifest_version"] == 3
    assert set(MANIFEST["permissions"]) == EXPECTED_PERMISSIONS
    # A rules service answers the extension's origin with CORS headers: no host permission, and none for http.
    # Pinterest's own domains, each a cookie jar with the hosts it serves (native_host/rules/domains.py), and no
    # other: `*.` because the session cookies sit on the jar's domain itself (.pinterest.de), which a permission
    # for www.pinterest.de alone does not reach.
    jars = [site.cookie_domain for site in domains_of("pinterest").sites]
    assert MANIFEST["host_permissions"] == [f"https://*.{jar}/*" for jar in jars]
    assert {"pinterest.com", "pinterest.de", "pinterest.co.uk"} <= set(jars)
    assert "optional_host_permissions" not in MANIFEST
    assert "content_scripts" not in MANIFEST and "web_accessible_resources" not in MANIFEST
    assert "content_security_policy" not in MANIFEST  # the default CSP: no remote or inline code


def test_firefox_settings_and_background_fallback() -> None:
    assert MANIFEST["browser_specific_settings"]["gecko"]["id"] == "optout@optout.invalid"
    background = MANIFEST["background"]
    assert background["service_worker"] == "background/worker.js"
    assert background["scripts"] == ["background/worker.js"]


def test_no_remote_code_in_pages_or_scripts() -> None:
    for path in [*EXTENSION.glob("*.html"), *EXTENSION.glob("*/*.js")]:
        if "node_modules" in path.parts:
            continue
        text = path.read_text()
        assert not re.search(r"""src=["']https?:""", text), path
        assert not re.search(r"""\bimport\s*\(?\s*["']https?:""", text), path
        assert "eval(" not in text and "new Function" not in text, path
        assert "<script>" not in text, path  # inline scripts would break under the default CSP


def test_pages_and_scripts_the_manifest_names_exist() -> None:
    for relative in [
        MANIFEST["action"]["default_popup"],
        MANIFEST["options_ui"]["page"],
        MANIFEST["background"]["service_worker"],
    ]:
        assert (EXTENSION / relative).is_file(), relative
    for icon in MANIFEST["icons"].values():
        assert (EXTENSION / icon).is_file(), icon


@pytest.mark.browser
def test_key_gives_the_recorded_id_and_the_loaded_id(tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    assert id_from_key(MANIFEST["key"]) == EXTENSION_ID
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", isolated_env(tmp_path))
        try:
            worker = service_worker(context)
            assert worker.url == f"chrome-extension://{EXTENSION_ID}/background/worker.js"
        finally:
            context.close()
