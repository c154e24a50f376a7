"""The local TLS proxies that make a browser reach a site map's local servers under the real origins.

See site_map.py for what a site map is; tests and the demo only.
"""

from __future__ import annotations

import datetime
import http.client
import os
import ssl
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from native_host.engine.site_map import Mapping

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}


class SiteMapProxies:
    """The running proxies for one site map, and the browser flags that route the origins to them."""

    def __init__(self, site_map: dict[str, str]):
        self.mappings = [Mapping(origin, target) for origin, target in site_map.items()]
        self._servers: list[ThreadingHTTPServer] = []
        self.resolver_rules: list[str] = []

    def __enter__(self) -> SiteMapProxies:
        for mapping in self.mappings:
            target = urlsplit(mapping.target)
            if target.scheme == "https":  # the local server speaks TLS itself: resolve straight to it
                self.resolver_rules.append(f"MAP {mapping.host} {target.hostname}:{target.port}")
                continue
            server = _start_proxy(mapping)
            self._servers.append(server)
            self.resolver_rules.append(f"MAP {mapping.host} 127.0.0.1:{server.server_address[1]}")
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def browser_args(self) -> list[str]:
        if not self.resolver_rules:
            return []
        return [f"--host-resolver-rules={', '.join(self.resolver_rules)}", "--ignore-certificate-errors"]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes a connection mid-answer (a run ending, a page moving on) is normal here; the base
        # class would print a traceback into the person's terminal.
        return


def _start_proxy(mapping: Mapping) -> ThreadingHTTPServer:
    handler = type("MappedOriginHandler", (_ForwardingHandler,), {"mapping": mapping})
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.socket = _tls_context(mapping.host).wrap_socket(server.socket, server_side=True)
    # A short poll interval: shutdown() waits for the next poll, and every run ends with one.
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name=f"site-map {mapping.host}", daemon=True
    ).start()
    return server


def _tls_context(host: str) -> ssl.SSLContext:
    """A throwaway self-signed certificate for `host`; the browser is told to accept it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        cert_path, key_path = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
        with open(cert_path, "wb") as out:
            out.write(certificate.public_bytes(serialization.Encoding.PEM))
        with open(os.open(key_path, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as out:
            out.write(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
        context.load_cert_chain(cert_path, key_path)
    return context


class _ForwardingHandler(BaseHTTPRequestHandler):
    """Forwards one request to the local server and rewrites its absolute URLs back to the origin."""

    mapping: Mapping
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        return

    def _forward(self) -> None:
        target = urlsplit(self.mapping.target)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_BY_HOP | {"host"}}
        headers["Host"] = target.netloc
        headers["X-Forwarded-Proto"] = "https"
        headers["X-Forwarded-Host"] = self.mapping.host
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except OSError as error:
            self.send_error(502, f"The local server behind {self.mapping.origin} did not answer: {error}")
            return
        finally:
            connection.close()
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() in HOP_BY_HOP:
                continue
            if key.lower() == "location":
                value = value.replace(self.mapping.target, self.mapping.origin, 1)
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward
