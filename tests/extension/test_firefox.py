"""Firefox ESR with the real extension and the real helper, driven over WebDriver BiDi by
tests/extension/firefox/drive.mjs: the helper missing (the popup links to the welcome page's install steps),
then registered with `optout install` as those steps end, then one opt-out that the replica's server confirms."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from native_host.engine.site_map_proxy import SiteMapProxies
from replica import ReplicaConfig, serve

from .browser import ARTIFACTS, EXTENSION, ROOT, host_launcher, isolated_env

pytestmark = pytest.mark.browser

# Debian's ESR first (what CI installs), then any Firefox on PATH, then the macOS app.
FIREFOX = next(
    (
        Path(found)
        for found in (
            shutil.which("firefox-esr"),
            shutil.which("firefox"),
            "/Applications/Firefox.app/Contents/MacOS/firefox",
        )
        if found and Path(found).exists()
    ),
    Path("/usr/bin/firefox-esr"),
)
DRIVER = ROOT / "tests" / "extension" / "firefox"
OPTOUT = ROOT / ".venv" / "bin" / "optout"
RULES = json.loads((ROOT / "rules" / "pinterest.json").read_text())
DEFAULT_SETTINGS = {setting["id"]: setting["desired"] == "on" for setting in RULES["settings"] if setting["default"]}
GECKO_ID = json.loads((EXTENSION / "manifest.json").read_text())["browser_specific_settings"]["gecko"]["id"]


def pinterest_address(proxies: SiteMapProxies) -> str:
    """HOST:PORT of the local TLS server answering as www.pinterest.com, from its "MAP www.pinterest.com HOST:PORT"."""
    (rule,) = proxies.resolver_rules
    return rule.split()[-1]


def test_firefox_helper_missing_then_installed_then_opted_out(tmp_path: Path) -> None:
    assert FIREFOX.exists(), (
        "Firefox is not installed: apt-get install firefox-esr, or install Firefox (./run tests does on Debian)"
    )
    node = shutil.which("node")
    assert node, "Node.js is not installed; the Firefox driver needs it"
    assert (DRIVER / "node_modules" / "puppeteer-core").is_dir(), f"run 'npm ci' in {DRIVER} (./run tests does)"

    env = isolated_env(tmp_path)
    home = Path(env["HOME"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(ReplicaConfig()) as replica:
        site_map = {"https://www.pinterest.com": replica.url}
        launcher = host_launcher(tmp_path, env, site_map)
        with SiteMapProxies(site_map) as proxies:
            config = tmp_path / "firefox.json"
            config.write_text(
                json.dumps(
                    {
                        "firefox": str(FIREFOX),
                        "extension": str(EXTENSION),
                        "home": str(home),
                        "dataDir": env["OPTOUT_DATA_DIR"],
                        "optout": str(OPTOUT),
                        "practiceLauncher": str(launcher),
                        "pinterest": pinterest_address(proxies),
                        "artifacts": str(ARTIFACTS),
                    }
                )
            )
            driven = subprocess.run(
                [node, str(DRIVER / "drive.mjs"), str(config)],
                capture_output=True,
                text=True,
                timeout=240,
                cwd=DRIVER,
                env={**env, "PATH": env.get("PATH", "")},
            )
        assert driven.returncode == 0, driven.stderr[-3000:]
        result = json.loads(driven.stdout.strip().splitlines()[-1])

        assert "install the Optout helper" in result["missingTitle"], result
        assert result["welcomeLink"].startswith("moz-extension://") and result["welcomeLink"].endswith("/welcome.html")
        assert result["allowedExtensions"] == [GECKO_ID]
        assert result["problem"] is None, result
        assert result["summaryStatus"] == "done", result
        notices = result["notifications"]
        assert notices["driftMessage"] == "It turned one back on. Click to fix it now.", notices
        assert "https://www.pinterest.com/login/" in notices["tabs"], notices
        assert "/options.html" in notices["pages"], notices
        state = replica.store.state(result["session"])
        assert {key: state[key] for key in DEFAULT_SETTINGS} == DEFAULT_SETTINGS
