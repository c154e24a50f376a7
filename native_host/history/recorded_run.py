"""One check or apply, from a typed request to its receipt: the one path the native host and the CLI share.

The request is parsed once at the edge (the protocol layer and the host for the browser, argparse for the CLI)
into a `RunRequest`: the mode an enum, the settings checked against the rules, the origin one of the rules' sites
(by default the one the session cookie names), the cookies (checked by cookies.check_cookies at that edge) kept
to that site's cookie jar. Inside, nothing is checked again.
`RecordedRun` then takes the platform's run lock, marks runs whose process died as interrupted, writes the
history row, calls the engine and completes the row.

Imported only when a run starts: it brings in SQLite and the rules, which `hello` never needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from native_host.engine.cookies import belongs_to, session_origin
from native_host.engine.report import ProgressEvent, RunReport
from native_host.history.store import RunLock, Store
from native_host.rules.format import RulesError, RuleSet
from native_host.rules.wordings import Wordings, with_wordings
from native_host.statuses import RunStatus
from native_host.version import ENGINE_VERSION


class RunMode(StrEnum):
    CHECK = "check"
    APPLY = "apply"


RunFunction = Callable[
    [RunMode, RuleSet, list[dict[str, Any]], list[str], Callable[[ProgressEvent], None], threading.Event, str],
    RunReport,
]
"""(mode, rules, cookies, setting ids, on_progress, cancel, origin) -> RunReport: the engine, or a stand-in."""


class OriginError(RulesError):
    """The origin asked for is not one of the sites the rules name."""


@dataclass(frozen=True)
class RunRequest:
    mode: RunMode
    rules: RuleSet
    rules_source: str  # "shipped", "cache", "service", "bundle" or "file": which rules run
    settings: tuple[str, ...]  # setting ids the rules define; empty: the rules' default opt-out
    # `rules` already carry the person's taught wordings (wordings.with_wordings); kept here for the record
    cookies: tuple[dict[str, Any], ...]  # as chrome.cookies.getAll gives them, only the origin's cookie jar
    site_map: dict[str, str] = field(default_factory=dict)  # real origin -> local server: a practice run
    request_id: str | None = None  # the native request's id, kept in the history
    wordings: Wordings = field(default_factory=dict)
    languages: tuple[str, ...] = ()  # the person's languages (BCP 47), most wanted first: the run's browser speaks them
    origin: str = ""  # https://HOST of one of the rules' sites: where the person is logged in

    @property
    def practice(self) -> bool:
        return bool(self.site_map)

    @classmethod
    def parse(
        cls,
        mode: str,
        rules: RuleSet,
        rules_source: str,
        settings: Iterable[str] | None,
        cookies: list[dict[str, Any]],
        *,
        site_map: dict[str, str] | None = None,
        request_id: str | None = None,
        wordings: Wordings | None = None,
        languages: Iterable[str] | None = None,
        origin: str | None = None,
    ) -> RunRequest:
        """A run of `rules`: RulesError for a setting the rules do not define, OriginError for an origin that is
        not one of their sites, ValueError for an unknown mode, WordingsError for taught wordings naming a setting
        the rules do not define.

        `cookies` were checked at the edge (cookies.check_cookies), `wordings`' shape too (wordings.parse_wordings),
        `languages` too (well-formed tags, at most languages.MAX_LANGUAGES). With no `origin`, the run goes where
        the session cookie says the person is logged in (cookies.session_origin). Only that origin's cookie jar is
        kept, and the wordings join the rules they name.
        """
        ids = tuple(dict.fromkeys(settings or ()))
        rules.select(list(ids))
        origin = origin or session_origin(rules, cookies)
        site = rules.site_for(origin)
        if site is None:
            raise OriginError(
                f"{origin} is not one of {rules.name}'s sites that these rules cover, such as {rules.canonical_origin}."
            )
        if site_map and origin not in site_map:  # a practice run never reaches the real site
            raise OriginError(
                f"This practice run goes to {origin}, but no local server stands in for it: add "
                f"--site-map {origin}=http://127.0.0.1:PORT, or choose another site with --origin."
            )
        kept = tuple(cookie for cookie in cookies if belongs_to(cookie["domain"], site.cookie_domain))
        taught = dict(wordings or {})
        return cls(
            RunMode(mode),
            with_wordings(rules, taught),
            rules_source,
            ids,
            kept,
            dict(site_map or {}),
            request_id,
            taught,
            tuple(dict.fromkeys(languages or ())),
            origin,
        )

    def selected_ids(self) -> list[str]:
        return [setting.id for setting in self.rules.select(list(self.settings))]


def engine_runner(**option_fields: Any) -> RunFunction:
    """The one way a run reaches the engine. `option_fields` are engine.RunOptions fields (a site map only from the
    code that builds the run: the CLI's --site-map or the test-only host entry point, never the environment).

    The engine is imported at the first run, in the run's own thread: it brings in Playwright.
    """

    def run_engine(
        mode: RunMode,
        rules: RuleSet,
        cookies: list[dict[str, Any]],
        settings: list[str],
        on_progress: Callable[[ProgressEvent], None],
        cancel: threading.Event,
        origin: str,
    ) -> RunReport:
        from native_host.engine import run as engine

        run = engine.apply if mode is RunMode.APPLY else engine.check
        return run(rules, cookies, settings, engine.RunOptions(**option_fields), on_progress, cancel, origin)

    return run_engine


class RunBusy(Exception):
    """Another run of the same platform holds the lock."""


class RecordedRun:
    """`begin` (lock, sweep, history row) then `finish` (engine, receipt, lock freed)."""

    def __init__(self, request: RunRequest, store: Store, locks_dir: Path | None = None) -> None:
        self.request = request
        self.store = store
        self._lock = RunLock(request.rules.platform, locks_dir)
        self.run_id: int | None = None

    def begin(self) -> int:
        """Take the platform's lock and write the run as `running`; RunBusy when another run holds the lock."""
        request = self.request
        if not self._lock.acquire():
            raise RunBusy(f"A {request.rules.name} run is already going on.")
        try:
            self.store.mark_interrupted(request.rules.platform)
            self.run_id = self.store.start_run(
                platform=request.rules.platform,
                mode=str(request.mode),
                settings=request.selected_ids(),
                rules_version=request.rules.version,
                rules_source=request.rules_source,
                engine_version=ENGINE_VERSION,
                request_id=request.request_id,
                practice=request.practice,
                origin=request.origin,
            )
        except BaseException:
            self._lock.release()
            raise
        return self.run_id

    def finish(
        self, run_function: RunFunction, on_progress: Callable[[ProgressEvent], None], cancel: threading.Event
    ) -> tuple[RunReport, Exception | None]:
        """Run the engine and keep its receipt; the lock is free when this returns.

        An exception from the engine (a bug) becomes a `failed` receipt and is returned beside it, never raised.
        """
        assert self.run_id is not None, "begin() first"
        request = self.request
        failure: Exception | None = None
        try:
            try:
                report = run_function(
                    request.mode,
                    request.rules,
                    list(request.cookies),
                    list(request.settings),
                    on_progress,
                    cancel,
                    request.origin,
                )
            except Exception as error:
                failure = error
                report = RunReport(
                    str(request.mode), request.rules.platform, RunStatus.FAILED, message=f"Internal error: {error}"
                )
            report.practice = request.practice
            report.origin = request.origin
            try:
                self.store.finish_run(self.run_id, report)
            except Exception as error:  # the answer matters more than the receipt
                report.message += f" (The history could not be written: {error})"
        finally:
            self._lock.release()
        return report, failure
