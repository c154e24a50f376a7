"""The hot path: a client revalidating a bundle it already holds gets its 304 without going through Flask.

Most requests to a deployed service are extensions asking "still this version?" with If-None-Match. This WSGI
layer answers the plain forms of that question (`"etag"` or `W/"etag"`, GET, no body) from headers prepared at
start-up; anything else, including every refusal, goes on to the Flask app. The headers are the same ones the
Flask route and its after-request hooks produce (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from server.bundles import Catalog, LiveCatalog
from server.security import EXPOSED_HEADERS, HSTS, SECURITY_HEADERS, host_allowed

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
CORS_EXPOSED = ", ".join(EXPOSED_HEADERS)
Answer = tuple[frozenset[str], list[tuple[str, str]]]  # the ETags it answers, and the 304's headers


class NotModifiedFastPath:
    def __init__(self, next_app: WSGIApp, live: LiveCatalog, settings: dict[str, Any]) -> None:
        self.next_app = next_app
        self.live = live
        self.cache_max_age = settings["CACHE_MAX_AGE"]
        self.allowed_hosts = list(settings["ALLOWED_HOSTS"])
        self.origins = frozenset(settings["CORS_ORIGINS"])
        self._prepared: tuple[Catalog, dict[str, Answer]] | None = None

    def answers(self) -> dict[str, Answer]:
        """The prepared 304s for the current signing (a renewal changes every ETag)."""
        catalog = self.live.current()
        prepared = self._prepared
        if prepared is None or prepared[0] is not catalog:
            prepared = (catalog, self._prepare(catalog))
            self._prepared = prepared
        return prepared[1]

    def _prepare(self, catalog: Catalog) -> dict[str, Answer]:
        answers = {}
        for platform, bundle in catalog.bundles.items():
            etag = f'"{bundle.etag}"'
            headers = [
                ("ETag", etag),
                ("Cache-Control", f"public, max-age={self.cache_max_age}"),
                ("X-Optout-Key-Id", bundle.envelope["key_id"]),
                *SECURITY_HEADERS.items(),
            ]
            if self.origins:
                headers.append(("Vary", "Origin"))
            answers[f"/api/v1/rules/{platform}"] = (frozenset({etag, f"W/{etag}"}), headers)
        return answers

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = self.answers().get(environ.get("PATH_INFO", ""))
        if (
            answer is not None
            and environ.get("REQUEST_METHOD") == "GET"
            and environ.get("HTTP_IF_NONE_MATCH", "").strip() in answer[0]
            and not environ.get("CONTENT_LENGTH")
            and not environ.get("HTTP_TRANSFER_ENCODING")
            and host_allowed(environ.get("HTTP_HOST", ""), self.allowed_hosts)
        ):
            headers = list(answer[1])
            origin = environ.get("HTTP_ORIGIN")
            if origin in self.origins:
                headers += [("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", CORS_EXPOSED)]
            if environ.get("wsgi.url_scheme") == "https":
                headers.append(("Strict-Transport-Security", HSTS))
            start_response("304 NOT MODIFIED", headers)
            return []
        return self.next_app(environ, start_response)
