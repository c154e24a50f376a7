"""The real Chromium starts the installed host from an extension page and gets `hello` back."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from native_host.engine.browser import CHROMIUM_FLAGS

from .conftest import ROOT, TEST_EXTENSION_ID, host_env

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/lib/chromium/chromium"
EXTENSION = Path(__file__).resolve().parent / "native_test_extension"


def test_extension_page_reaches_the_installed_host(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    env = host_env(tmp_path)
    installed = subprocess.run(
        [sys.executable, "-m", "native_host", "install", "--browser", "chromium", "--extension-id", TEST_EXTENSION_ID],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert installed.returncode == 0, installed.stderr
    manifest = Path(env["HOME"]) / ".config/chromium/NativeMessagingHosts/com.optout.host.json"
    profile = tmp_path / "profile"
    # With its own --user-data-dir this Chromium reads host manifests from <user-data-dir>/NativeMessagingHosts.
    (profile / "NativeMessagingHosts").mkdir(parents=True)
    shutil.copy(manifest, profile / "NativeMessagingHosts" / manifest.name)

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_FLAGS, f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}"],
            env=env,
        )
        try:
            worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
            assert worker.url.startswith(f"chrome-extension://{TEST_EXTENSION_ID}/")
            page = context.new_page()
            page.goto(f"chrome-extension://{TEST_EXTENSION_ID}/page.html")
            page.wait_for_function(
                "() => window.results && window.results.sendNativeMessage && window.results.connectNative",
                timeout=20_000,
            )
            results = page.evaluate("() => window.results")
        finally:
            context.close()

    one_shot = results["sendNativeMessage"]
    assert one_shot.get("event") == "result", json.dumps(results)
    assert one_shot["id"] == "one-shot" and one_shot["data"]["protocol"] == 1
    assert one_shot["data"]["platforms"]["pinterest"]["rules_version"]
    port = results["connectNative"]
    assert isinstance(port, list), json.dumps(results)
    assert [(reply["id"], reply["type"], reply["event"]) for reply in port] == [
        ("port-1", "hello", "result"),
        ("port-2", "status", "result"),
    ]
