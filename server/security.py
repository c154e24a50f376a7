"""What every request and response goes through: the Host check, the size limit, CORS and security headers."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from server.errors import error_response

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=31536000; includeSubDomains"
EXPOSED_HEADERS = ["ETag", "X-Optout-Key-Id"]
REPORT_HEADERS = ["Content-Type", "Idempotency-Key"]


def host_name(host: str) -> str:
    """The Host header without its port, lower case: "[::1]:8787" -> "[::1]", "LocalHost:80" -> "localhost"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else ""
    name, _, _port = host.partition(":")
    return name.rstrip(".")


def host_allowed(host: str, allowed: list[str]) -> bool:
    """Exact names, ".example.org" for a domain and its subdomains, "*" for any host."""
    name = host_name(host)
    if not name:
        return False
    for entry in allowed:
        entry = entry.lower()
        if entry == "*" or name == entry or (entry.startswith(".") and (name.endswith(entry) or name == entry[1:])):
            return True
    return False


def _refuse_foreign_hosts() -> Response | None:
    # DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends "Host: evil.example".
    allowed = current_app.config["ALLOWED_HOSTS"]
    if not host_allowed(request.host, allowed):
        return error_response(
            421,
            "host_not_allowed",
            f"This service does not answer for the host {host_name(request.host) or '(none)'!r}. "
            "Set OPTOUT_SERVER_ALLOWED_HOSTS to the names it is reached by.",
        )
    return None


def _refuse_large_requests() -> Response | None:
    # Judged from the headers alone, before any body is read. A body of unknown length (chunked) is refused too,
    # so the one endpoint that takes a body (field reports) never reads more than the limit; under gunicorn
    # nothing else would stop it.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    too_long = request.content_length is not None and request.content_length > limit
    if too_long or "Transfer-Encoding" in request.headers:
        return error_response(
            413, "request_entity_too_large", f"Requests are limited to {limit} bytes, with a Content-Length."
        )
    return None


def _add_security_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    if current_app.config["CORS_ORIGINS"]:
        # Responses differ by Origin (CORS headers or none), so a shared cache must keep them apart.
        response.vary.add("Origin")
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_security(app: Flask) -> None:
    app.before_request(_refuse_foreign_hosts)
    app.before_request(_refuse_large_requests)
    app.after_request(_add_security_headers)
    origins = app.config["CORS_ORIGINS"]
    if origins:
        # Only the extension's own origins; any other origin gets no Access-Control-* header at all.
        # Field reports are posted as JSON, with an Idempotency-Key so a retry is not counted twice.
        CORS(
            app,
            resources={
                "/api/v1/reports": {"methods": ["POST", "OPTIONS"], "allow_headers": REPORT_HEADERS},
                "/*": {"methods": ["GET", "HEAD", "OPTIONS"], "allow_headers": ["If-None-Match"]},
            },
            origins=origins,
            expose_headers=EXPOSED_HEADERS,
            supports_credentials=False,
            always_send=False,
            max_age=600,
        )


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_FIX reverse proxies, take the client's host, scheme and prefix from X-Forwarded-*."""
    proxies = app.config["PROXY_FIX"]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies, x_prefix=proxies
        )
