import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from native_host.browser import CHROMIUM_FLAGS, choose_browser


@pytest.fixture(scope="session")
def quiet_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chromium writes outside its profile; keep that in a temp dir."""
    home = tmp_path_factory.mktemp("home")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home)
    return home


@pytest.fixture(scope="module")  # closed with its module: the engine starts its own Playwright on this thread
def browser(quiet_home: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        choice = choose_browser(None, playwright.chromium.executable_path)
        launched = playwright.chromium.launch(executable_path=choice.executable_path, args=list(CHROMIUM_FLAGS))
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="en-US")
    yield context.new_page()
    context.close()
