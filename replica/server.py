"""Run a replica in a background thread, for tests and for `optout demo`."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from replica.app import EXTENSION, create_app
from replica.config import ReplicaConfig
from replica.store import ReplicaStore


class QuietHandler(WSGIRequestHandler):
    """Keeps test and demo output readable: no line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class ReplicaServer:
    """A running replica: `url`, `port`, `app`, `store`; stop it with `stop()` or a `with` block."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None):
        self.app = app
        self._server: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=QuietHandler, ssl_context=ssl_context
        )
        self.host = host
        self.port: int = self._server.server_port
        scheme = "https" if ssl_context else "http"
        self.url = f"{scheme}://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"replica:{self.port}", daemon=True)
        self._thread.start()

    @property
    def store(self) -> ReplicaStore:
        return self.app.extensions[EXTENSION]

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> ReplicaServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def serve(
    config: ReplicaConfig | Mapping[str, Any] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    ssl_context: ssl.SSLContext | None = None,
) -> ReplicaServer:
    """Start a replica on `host:port` (port 0: any free port) in a background thread and return it running."""
    return ReplicaServer(create_app(config), host=host, port=port, ssl_context=ssl_context)
