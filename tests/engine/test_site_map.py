"""The site map: a local server stands in for https://www.pinterest.com with cookies, redirects and posts intact."""

from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest
from flask import Flask, jsonify, make_response, redirect, request
from werkzeug.serving import make_server

from native_host.engine.browser import CHROMIUM_FLAGS
from native_host.engine.site_map_proxy import SiteMapProxies

pytestmark = pytest.mark.browser


def local_site() -> Flask:
    app = Flask(__name__)

    @app.get("/start")
    def start():
        response = make_response(redirect("/landing"))  # relative, followed by the browser itself
        response.set_cookie("csrftoken", "tok123", secure=True, samesite="Lax")
        return response

    @app.get("/absolute")
    def absolute():
        return redirect(f"{request.host_url}landing")  # absolute, naming the local server

    @app.get("/landing")
    def landing():
        return (
            "<form method=post action=/submit><input name=q value=1><button>Go</button></form>"
            f"<p id=cookie>{request.cookies.get('csrftoken', '')}</p>"
            f"<p id=host>{request.headers['X-Forwarded-Host']}</p>"
        )

    @app.post("/submit")
    def submit():
        return f"<p id=posted>{request.form['q']}:{request.cookies.get('csrftoken', '')}</p>"

    @app.post("/api")
    def api():
        return jsonify(cookie=request.cookies.get("csrftoken"), header=request.headers.get("X-CSRFToken"))

    return app


@pytest.fixture()
def mapped_page(quiet_home, browser):
    server = make_server("127.0.0.1", 0, local_site(), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with SiteMapProxies({"https://www.pinterest.com": f"http://127.0.0.1:{server.server_port}"}) as proxies:
        mapped = browser.browser_type.launch(
            executable_path=_executable(),
            args=[*CHROMIUM_FLAGS, *proxies.browser_args()],
        )
        context = mapped.new_context(ignore_https_errors=True)
        yield context.new_page()
        mapped.close()
    server.shutdown()


def _executable() -> str | None:
    from native_host.engine.browser import choose_browser

    return choose_browser(None, None).executable_path


def test_set_cookie_and_a_relative_redirect_behave_as_on_the_real_origin(mapped_page):
    mapped_page.goto("https://www.pinterest.com/start")
    assert mapped_page.url == "https://www.pinterest.com/landing"
    assert mapped_page.text_content("#cookie") == "tok123"  # the browser sent the cookie it was just given
    assert mapped_page.text_content("#host") == "www.pinterest.com"


def test_an_absolute_redirect_to_the_local_server_is_mapped_back(mapped_page):
    mapped_page.goto("https://www.pinterest.com/start")
    mapped_page.goto("https://www.pinterest.com/absolute")
    assert mapped_page.url == "https://www.pinterest.com/landing"


def test_form_posts_and_in_page_requests_carry_the_cookies(mapped_page):
    mapped_page.goto("https://www.pinterest.com/start")
    mapped_page.click("button")
    assert mapped_page.text_content("#posted") == "1:tok123"
    answer = mapped_page.evaluate(
        """() => fetch('/api', {method: 'POST', headers: {'X-CSRFToken': 'tok123'}}).then(r => r.json())"""
    )
    assert answer == {"cookie": "tok123", "header": "tok123"}


def test_without_a_site_map_no_flags_are_added():
    with SiteMapProxies({}) as proxies:
        assert proxies.browser_args() == []


def test_a_client_that_hangs_up_mid_answer_prints_no_traceback(capfd):
    # A browser that closes its connection while the proxy still answers is normal (a run ending): the person's
    # terminal must stay clean.
    app = Flask(__name__)

    @app.get("/slow")
    def slow():
        time.sleep(0.3)
        return "x" * 200_000

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with SiteMapProxies({"https://www.pinterest.com": f"http://127.0.0.1:{server.server_port}"}) as proxies:
            port = proxies._servers[0].server_address[1]
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            for _ in range(3):
                with socket.create_connection(("127.0.0.1", port)) as raw:
                    tls = context.wrap_socket(raw, server_hostname="www.pinterest.com")
                    tls.sendall(b"GET /slow HTTP/1.1\r\nHost: www.pinterest.com\r\n\r\n")
                    tls.close()
            time.sleep(0.8)  # the proxy writes its answers to closed connections meanwhile
    finally:
        server.shutdown()
    assert "Traceback" not in capfd.readouterr().err
