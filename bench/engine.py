"""Engine benchmark on the replica: check and apply against the least a correct run can do.

The floor is a hand-written Playwright run that knows the page in advance: one browser, one page load, one
click per setting waiting for its save answer, one reload, read the states. The engine has to find its way
(labels, waits for the page to settle, verification) and should cost at most 1.2 times that. Prints JSON, with
where the engine's time went: page loads, waiting for pages to settle, clicks and their saves, the rest.

The same again on German pages (`german`), for the default settings whose German wording the rules know, with the
browser asking for German: reading the page in its language must cost no more than reading it in English.

    python bench/engine.py [--runs 5] [--variant switch]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from native_host.engine import page_driver  # noqa: E402
from native_host.engine import run as engine  # noqa: E402
from native_host.engine.browser import CHROMIUM_FLAGS, choose_browser  # noqa: E402
from native_host.engine.cookies import session_cookies  # noqa: E402
from native_host.engine.run import RunOptions, apply, check  # noqa: E402
from native_host.engine.site_map_proxy import SiteMapProxies  # noqa: E402
from native_host.rules.format import load_shipped_rules  # noqa: E402
from replica import ReplicaConfig, serve  # noqa: E402

PINTEREST = "https://www.pinterest.com"
PRIVACY = f"{PINTEREST}/settings/privacy"
SAVE_PATH = "/resource/UserSettingsResource/update/"


PHASES = {
    "page_loads": (page_driver.PlaywrightDriver, "open"),
    "settling": (engine._Run, "settled_scan"),
    "clicks_and_saves": (engine._Run, "toggle"),
    "save_button": (engine._Run, "press_save"),
}
spent: dict[str, float] = dict.fromkeys(PHASES, 0.0)


def timed(name: str, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started

    return wrapper


for phase, (owner, method) in PHASES.items():  # measuring only: the engine runs unchanged
    setattr(owner, method, timed(phase, getattr(owner, method)))


def engine_run(mode, rules, replica, settings: list[str] | None = None, languages: tuple[str, ...] = ()) -> dict:
    cookies = replica.store.new_session()
    options = RunOptions(site_map={PINTEREST: replica.url}, pause_seconds=0, languages=languages)
    spent.update(dict.fromkeys(spent, 0.0))
    started = time.perf_counter()
    report = mode(rules, cookies, settings, options)
    seconds = time.perf_counter() - started
    assert report.status.value == "done", report.message
    phases = {name: round(value, 3) for name, value in spent.items()}
    phases["launch_close_and_rest"] = round(seconds - sum(spent.values()), 3)
    return {
        "seconds": seconds,
        "page_loads": report.page_loads,
        "browser_launches": report.browser_launches,
        "clicks": report.clicks,
        "phases": phases,
    }


@contextmanager
def floor_page(rules, replica, locale: str = "en-US") -> Iterator[object]:
    """A page on the replica's privacy settings, opened as directly as Playwright allows."""
    from playwright.sync_api import sync_playwright

    cookies = session_cookies(replica.store.new_session(), rules.sites[0].cookie_domain)
    with SiteMapProxies({PINTEREST: replica.url}) as proxies, sync_playwright() as playwright:
        choice = choose_browser(None, playwright.chromium.executable_path)
        browser = playwright.chromium.launch(
            executable_path=choice.executable_path, args=[*CHROMIUM_FLAGS, *proxies.browser_args()]
        )
        context = browser.new_context(ignore_https_errors=True, locale=locale)
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(PRIVACY)
        yield page
        browser.close()


def floor_apply(rules, replica, titles: list[str], locale: str = "en-US") -> dict:
    """What a script that already knows the page must do at least, for the same outcome."""
    started = time.perf_counter()
    with floor_page(rules, replica, locale) as page:
        for title in titles:
            page.get_by_text(title, exact=True).wait_for()
        for title in titles:
            with page.expect_response(lambda response: SAVE_PATH in response.url):
                page.get_by_label(title).click()
        page.reload()
        states = []
        for title in titles:
            page.get_by_text(title, exact=True).wait_for()
            states.append(page.get_by_label(title).is_checked())
    seconds = time.perf_counter() - started
    assert states == [False] * len(titles), states
    return {"seconds": seconds, "page_loads": 2, "browser_launches": 1, "clicks": len(titles)}


def floor_check(rules, replica, titles: list[str], locale: str = "en-US") -> dict:
    started = time.perf_counter()
    with floor_page(rules, replica, locale) as page:
        for title in titles:
            page.get_by_text(title, exact=True).wait_for()
            page.get_by_label(title).is_checked()
    return {"seconds": time.perf_counter() - started, "page_loads": 1, "browser_launches": 1, "clicks": 0}


def median_of(runs: list[dict]) -> dict:
    summary = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "phases"}
    summary["seconds"] = round(summary["seconds"], 3)
    if "phases" in runs[0]:
        summary["median_phases"] = {
            name: round(statistics.median(run["phases"][name] for run in runs), 3) for name in runs[0]["phases"]
        }
    summary["all_seconds"] = [round(run["seconds"], 3) for run in runs]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--variant", default="switch", choices=["switch", "aria"])
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="optout-bench-")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = home

    rules = load_shipped_rules()
    results = measure(rules, ReplicaConfig(variant=args.variant), args.runs)
    german = rules.in_language("de")
    known = [setting.id for setting in rules.select() if german.setting(setting.id).knows_language("de")]
    results["german"] = measure(rules, ReplicaConfig(variant=args.variant, language="de"), args.runs, known, GERMAN)
    results["target_apply_ratio"] = TARGET_APPLY_RATIO
    results["settle_seconds"] = RunOptions().settle_seconds
    results["variant"] = args.variant
    results["runs"] = args.runs
    print(json.dumps(results, indent=2))


GERMAN = ("de-DE", "de")
TARGET_APPLY_RATIO = 1.2


def measure(rules, config: ReplicaConfig, count: int, settings: list[str] | None = None, languages=()) -> dict:
    """Engine and floor, check and apply, `count` times each, interleaved; medians and ratios."""
    selected = settings or [setting.id for setting in rules.select()]
    locale = languages[0] if languages else "en-US"
    with serve(config) as replica:
        shown = {control["key"]: control["title"] for control in replica.store.controls()}
        titles = [shown[setting_id] for setting_id in selected]
        measures = {
            "engine_check": lambda: engine_run(check, rules, replica, settings, languages),
            "floor_check": lambda: floor_check(rules, replica, titles, locale),
            "engine_apply": lambda: engine_run(apply, rules, replica, settings, languages),
            "floor_apply": lambda: floor_apply(rules, replica, titles, locale),
        }
        runs: dict[str, list[dict]] = {name: [] for name in measures}
        for run_once in measures.values():
            run_once()  # warm the page cache and the OS
        for _ in range(count):  # interleaved, so that a busy moment weighs on engine and floor alike
            for name, run_once in measures.items():
                runs[name].append(run_once())
        results: dict = {name: median_of(samples) for name, samples in runs.items()}
    results["apply_ratio"] = round(results["engine_apply"]["seconds"] / results["floor_apply"]["seconds"], 3)
    results["check_ratio"] = round(results["engine_check"]["seconds"] / results["floor_check"]["seconds"], 3)
    results["settings"] = len(titles)
    return results


if __name__ == "__main__":
    main()
