import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from native_host.engine.browser import CHROMIUM_FLAGS, choose_browser


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


class ReplicaAccount:
    """One running replica with one logged-in account, and runs of the engine against it."""

    def __init__(self, replica, states: dict[str, bool] | None = None):
        self.replica = replica
        self.cookies = replica.store.new_session(states)

    @property
    def store(self):
        return self.replica.store

    def state(self) -> dict[str, bool]:
        return self.store.state(self.cookies)

    def writes(self) -> list[tuple[str, bool]]:
        return self.store.writes(self.cookies)

    def run(self, mode: str, settings: list[str] | None = None, on_progress=None, rules=None, **options):
        from native_host.engine.run import RunOptions, apply, check
        from native_host.rules.format import load_shipped_rules

        # the replica stands in for the Pinterest host it serves as (www.pinterest.com unless given a --domain)
        origin = f"https://{self.store.config.domain}"
        options = RunOptions(site_map={origin: self.replica.url}, pause_seconds=0, **options)
        run = {"check": check, "apply": apply}[mode]
        return run(rules or load_shipped_rules(), self.cookies, settings, options, on_progress)


@pytest.fixture()
def replica_account(quiet_home: Path) -> Iterator[object]:
    """`replica_account(states=None, **config)` starts a replica with that config and logs an account in."""
    from replica import serve

    servers = []

    def start(states: dict[str, bool] | None = None, **config: object) -> ReplicaAccount:
        server = serve(config)
        servers.append(server)
        return ReplicaAccount(server, states)

    yield start
    for server in servers:
        server.stop()
