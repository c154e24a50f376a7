"""How big a request may be, enforced by the HTTP server itself, before it buffers anything.

The only body the API takes is a field report of at most MAX_CONTENT_LENGTH (16 KB); otherwise a request is its line
and headers. Flask's own check only runs once the WSGI
server has handed the request over, and waitress reads a whole body first (to a temporary file past 512 KiB) and
only then calls the app. So each documented way to run the service sets its server's own limits from here:
`optout serve` (waitress) through `waitress_limits`, gunicorn through server/gunicorn.conf.py.
"""

from __future__ import annotations

from typing import Any

MAX_HEADER_BYTES = 16 * 1024  # the request line and every header together (waitress)
MAX_REQUEST_LINE_BYTES = 4094  # the method, path and query (gunicorn; its own default)
MAX_HEADER_FIELDS = 50  # how many headers (gunicorn; an extension sends about a dozen)
MAX_HEADER_FIELD_BYTES = 8190  # one header, name and value (gunicorn; its own default)


def waitress_limits(settings: dict[str, Any]) -> dict[str, int]:
    """waitress.serve() options for the service's MAX_CONTENT_LENGTH setting.

    waitress refuses a body as soon as its Content-Length reaches max_request_body_size, before reading any of it,
    and stops a chunked body once that much has arrived; kept under inbuf_overflow, nothing reaches the disk.
    """
    largest_body = settings["MAX_CONTENT_LENGTH"]
    return {
        "max_request_body_size": largest_body + 1,  # waitress refuses at this size, not above it
        "max_request_header_size": MAX_HEADER_BYTES,
        "inbuf_overflow": max(largest_body + 1, 64 * 1024),
    }
