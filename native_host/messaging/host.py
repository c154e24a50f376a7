"""The native messaging host: the process the browser starts (`python -m native_host.messaging.host ORIGIN`).

It reads framed requests on stdin and writes framed replies on a private copy of stdout (docs/protocol.md).
A `check` or `apply` runs the engine in a worker thread, so `cancel` and other requests are read while it goes
on; its progress streams as `progress` replies. One run per platform at a time across every host process.

Start-up is kept light for a quick `hello`: the engine, Playwright, the rules' schema validator and SQLite are
imported only by the requests that need them.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from native_host.messaging.errors import ErrorCode
from native_host.messaging.framing import (
    FrameTooLarge,
    FrameWriter,
    ReplyTooLarge,
    StreamClosed,
    claim_stdout,
    read_frame,
)
from native_host.messaging.protocol import (
    CAPABILITIES,
    PROTOCOL_VERSION,
    AllowedCallers,
    Dispatcher,
    MessageType,
    ProtocolError,
    Request,
    caller_from_argv,
    error_reply,
    progress_reply,
    result_reply,
)
from native_host.paths import callers_path, data_dir
from native_host.rules.paths import known_platforms, peek_rules_version
from native_host.version import ENGINE_VERSION

if TYPE_CHECKING:
    from native_host.engine.report import ProgressEvent
    from native_host.history.recorded_run import RecordedRun, RunFunction
    from native_host.history.store import Store
    from native_host.rules.format import RuleSet

HOST_VERSION = ENGINE_VERSION
SHUTDOWN_SECONDS = 20.0  # how long a cancelled run may take to close its browser when the browser goes away


def allowed_callers(base: Path) -> AllowedCallers:
    """The extensions `optout install` set this host up for; the project's own ids when it was never installed."""
    path = callers_path(base)
    try:
        return AllowedCallers.from_json(json.loads(path.read_bytes()))
    except FileNotFoundError:
        return AllowedCallers.defaults()
    except (OSError, ValueError):
        return AllowedCallers(frozenset(), frozenset())  # a damaged list serves nobody rather than everybody


# ---- runs ----------------------------------------------------------------------------------------------------


@dataclass
class ActiveRun:
    request: Request
    platform: str
    cancel: threading.Event
    thread: threading.Thread


class Host:
    """Answers requests. `send` writes one reply; `run_function` reaches the engine (a fake only in unit tests).

    `site_map` makes every run a practice run on local servers; `hello` and every report say so.
    """

    def __init__(
        self,
        send: Callable[[dict[str, Any]], None],
        *,
        caller_allowed: bool = True,
        run_function: RunFunction | None = None,
        base: Path | None = None,
        site_map: dict[str, str] | None = None,
    ) -> None:
        self._send_raw = send
        self.site_map = dict(site_map or {})
        self._run_function = run_function  # None: the engine, set up by the first run
        self._base = base
        self._store: Store | None = None
        self._runs: dict[str, ActiveRun] = {}
        self._runs_lock = threading.Lock()
        handlers = {
            MessageType.HELLO: self.hello,
            MessageType.RULES: self.rules,
            MessageType.CHECK: self.start_run,
            MessageType.APPLY: self.start_run,
            MessageType.CANCEL: self.cancel,
            MessageType.STATUS: self.status,
            MessageType.HISTORY: self.history,
        }
        self.dispatcher = Dispatcher(handlers, self.send, caller_allowed=caller_allowed)

    @property
    def base(self) -> Path:
        if self._base is None:
            self._base = data_dir()
        return self._base

    @property
    def store(self) -> Store:
        if self._store is None:
            from native_host.history.store import Store
            from native_host.paths import history_db_path

            self._store = Store(history_db_path(self.base))
        return self._store

    def send(self, message: dict[str, Any]) -> None:
        """Send one reply; one that would be over the browser's limit becomes an `internal` error instead."""
        try:
            self._send_raw(message)
        except ReplyTooLarge as error:
            self._send_raw(error_reply(message.get("id"), message.get("type"), ErrorCode.INTERNAL, str(error)))

    # ---- simple requests -------------------------------------------------------------------------------------

    def hello(self, request: Request) -> dict[str, Any]:
        platforms = {}
        for platform in known_platforms():
            version, source = peek_rules_version(platform, self.base)
            platforms[platform] = {"rules_version": version, "rules_source": source}
        return {
            "protocol": PROTOCOL_VERSION,
            "host_version": HOST_VERSION,
            "engine_version": ENGINE_VERSION,
            "platforms": platforms,
            "capabilities": list(CAPABILITIES),
            "practice": self.practice,
            "site_map": dict(self.site_map),
        }

    @property
    def practice(self) -> bool:
        return bool(self.site_map)

    def rules(self, request: Request) -> dict[str, Any]:
        """The host's verified copy, after offering it the bundle the caller handed over, if any."""
        from native_host.rules.format import RulesError
        from native_host.rules.sources import held_rules, rules_with_bundle

        platform = self._known_platform(request.params["platform"])
        try:
            if request.params["bundle"] is None:
                resolved = held_rules(platform, data_dir=self.base)
            else:
                resolved = rules_with_bundle(platform, request.params["bundle"], data_dir=self.base)
        except RulesError as error:
            raise ProtocolError(ErrorCode.RULES_REFUSED, str(error)) from None
        answer = {
            "platform": platform,
            "version": resolved.rules.version,
            "source": resolved.source,
            "rules": resolved.document,
            "expires": resolved.rules.expires,
        }
        if resolved.refused:
            answer["refused"] = resolved.refused
        return answer

    def status(self, request: Request) -> dict[str, Any]:
        platform = self._known_platform(request.params["platform"])
        return self.store.last_states(platform)

    def history(self, request: Request) -> dict[str, Any]:
        from native_host.messaging.framing import MAX_REPLY_BYTES, encode_message

        params = request.params
        runs, total = self.store.runs(params["page"], params["page_size"], params["platform"])
        data = {"runs": runs, "page": params["page"], "page_size": params["page_size"], "total": total}
        data["truncated"] = False
        while runs and len(encode_message(result_reply(request, data))) > MAX_REPLY_BYTES:
            runs.pop()
            data["truncated"] = True
        return data

    def cancel(self, request: Request) -> dict[str, Any]:
        with self._runs_lock:
            active = self._runs.get(request.params["run"])
        if active is None:
            raise ProtocolError(ErrorCode.NOT_RUNNING, f"No run '{request.params['run']}' is going on in this host.")
        active.cancel.set()
        return {"cancelled": True}

    def _known_platform(self, platform: str) -> str:
        if platform not in known_platforms():
            known = ", ".join(known_platforms())
            raise ProtocolError(ErrorCode.UNKNOWN_PLATFORM, f"No rules for '{platform}'. Known platforms: {known}.")
        return platform

    def _rules_to_run(self, platform: str, bundle: dict[str, Any] | None) -> tuple[RuleSet, str]:
        """The held rules, or a handed-over bundle once the one decision path took it (older callers send one)."""
        from native_host.rules.format import RulesError
        from native_host.rules.sources import accept_bundle, held_rules

        try:
            if bundle is not None:
                return accept_bundle(bundle, platform, data_dir=self.base), "bundle"
            resolved = held_rules(platform, data_dir=self.base)
            return resolved.rules, resolved.source
        except RulesError as error:
            raise ProtocolError(ErrorCode.RULES_REFUSED, f"The rules were refused: {error}") from None

    # ---- check and apply -------------------------------------------------------------------------------------

    def start_run(self, request: Request) -> None:
        from native_host.history.recorded_run import OriginError, RecordedRun, RunBusy, RunRequest, engine_runner
        from native_host.rules.format import RulesError
        from native_host.rules.wordings import WordingsError

        params = request.params
        platform = self._known_platform(params["platform"])
        rules, source = self._rules_to_run(platform, params["bundle"])
        try:
            run_request = RunRequest.parse(
                str(request.type),
                rules,
                source,
                params["settings"],
                params["cookies"],
                site_map=self.site_map,
                request_id=request.id,
                wordings=params["wordings"],
                languages=params["languages"],
                origin=params["origin"],
            )
        except OriginError as error:  # the rules in use cover fewer sites than the platform has
            raise ProtocolError(ErrorCode.BAD_REQUEST, str(error)) from None
        except (RulesError, WordingsError) as error:
            raise ProtocolError(ErrorCode.UNKNOWN_SETTING, str(error)) from None
        recorded = RecordedRun(run_request, self.store, _locks_dir(self.base))
        run_function = self._run_function or engine_runner(
            site_map=dict(self.site_map), languages=run_request.languages
        )
        with self._runs_lock:
            if request.id in self._runs:
                raise ProtocolError(ErrorCode.BAD_REQUEST, f"A request with id '{request.id}' is still running.")
            if any(active.platform == platform for active in self._runs.values()):
                raise ProtocolError(ErrorCode.BUSY, f"A {rules.name} run is already going on.")
            try:
                run_id = recorded.begin()
            except RunBusy as error:
                raise ProtocolError(ErrorCode.BUSY, str(error)) from None
            cancel = threading.Event()
            thread = threading.Thread(
                target=self._run,
                args=(request, recorded, run_function, run_id, cancel),
                name=f"run-{request.id}",
                daemon=True,
            )
            self._runs[request.id] = ActiveRun(request, platform, cancel, thread)
        thread.start()
        return None

    def _run(
        self,
        request: Request,
        recorded: RecordedRun,
        run_function: RunFunction,
        run_id: int,
        cancel: threading.Event,
    ) -> None:
        def on_progress(event: ProgressEvent) -> None:
            try:
                self.send(progress_reply(request, event.to_json()))
            except StreamClosed:
                cancel.set()  # nobody is listening any more

        try:
            report, failure = recorded.finish(run_function, on_progress, cancel)
        finally:
            # Free the platform before answering, so a request sent right after the answer is not `busy`.
            with self._runs_lock:
                self._runs.pop(request.id, None)
        try:
            if failure is not None:
                self.send(error_reply(request.id, str(request.type), ErrorCode.INTERNAL, report.message))
            else:
                data = {**report.to_json(), "run_id": run_id, "rules_source": recorded.request.rules_source}
                self.send(result_reply(request, data))
        except StreamClosed:
            pass

    def active_runs(self) -> list[str]:
        with self._runs_lock:
            return list(self._runs)

    def shut_down(self, timeout: float = SHUTDOWN_SECONDS) -> None:
        """Cancel every run and wait (bounded) for each to close its browser."""
        with self._runs_lock:
            runs = list(self._runs.values())
        for active in runs:
            active.cancel.set()
        for active in runs:
            active.thread.join(timeout)


def _locks_dir(base: Path) -> Path:
    from native_host.paths import locks_dir

    return locks_dir(base)


# ---- the process ---------------------------------------------------------------------------------------------


def serve(stdin: BinaryIO, writer: FrameWriter, host: Host) -> int:
    """Read and answer frames until the stream ends; then cancel any run and return 0."""
    try:
        while True:
            try:
                body = read_frame(stdin)
            except FrameTooLarge as error:
                host.dispatcher.too_large(str(error))
                continue
            host.dispatcher.handle_frame(body)
    except StreamClosed:
        pass
    finally:
        host.shut_down()
    return 0


def main(argv: list[str] | None = None, *, site_map: dict[str, str] | None = None) -> int:
    """The browser starts the host with the caller's origin (Chrome) or manifest path and add-on id (Firefox).

    `site_map` is for the test entry point (tests/support/practice_host.py) only; the browser cannot pass one.
    """
    args = sys.argv[1:] if argv is None else argv
    frames = claim_stdout()
    writer = FrameWriter(frames)
    try:
        base: Path | None = data_dir()
    except OSError as error:  # answer every request with what went wrong rather than die unheard
        print(f"Optout's data directory cannot be used: {error}", file=sys.stderr)
        base = None
    callers = allowed_callers(base) if base is not None else AllowedCallers.defaults()
    host = Host(writer.send, caller_allowed=callers.allows(caller_from_argv(args)), base=base, site_map=site_map)
    try:
        return serve(sys.stdin.buffer, writer, host)
    finally:
        try:
            frames.close()
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
