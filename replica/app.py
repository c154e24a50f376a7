"""The replica web app: Pinterest's login, settings menu and privacy pages, with configurable faults."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Blueprint, Flask, Response, current_app, jsonify, make_response, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from replica import languages, pages
from replica.config import ReplicaConfig
from replica.store import COOKIE_LIFETIME, CSRF_COOKIE, SESSION_COOKIE, ReplicaStore, Session, page_path

EXTENSION = "replica"

# The settings menu in order; None: the privacy page (at whichever path it lives). Names: replica/languages.py.
MENU = (
    "/settings/edit-profile",
    "/settings/account-settings",
    pages.PAGE_PATHS[pages.PROFILE_VISIBILITY],
    pages.PAGE_PATHS[pages.REFINE],
    "/settings/claim",
    "/settings/social-permissions",
    "/settings/notifications",
    None,
    "/settings/security",
)
PLAIN_PAGES = (
    "/settings/edit-profile",
    "/settings/account-settings",
    "/settings/claim",
    "/settings/social-permissions",
    "/settings/notifications",
    "/settings/security",
)
HANDSHAKE_PATH = "/_replica/handshake/"
SAVE_PATH = "/resource/UserSettingsResource/update/"
READ_PATH = "/resource/UserSettingsResource/get/"

bp = Blueprint("replica", __name__, template_folder="templates", static_folder=None)


def store() -> ReplicaStore:
    return current_app.extensions[EXTENSION]


def config() -> ReplicaConfig:
    return store().config


@bp.before_app_request
def record_cookies() -> None:
    store().record(_served_host(), request.path, request.headers.get("Cookie", ""))


@bp.before_app_request
def country_redirect() -> BaseResponse | None:
    """Another Pinterest host sends the visitor to the replica's own domain, same path and query. A logged-in
    session crosses over through a one-time handshake, as Pinterest's central login handshake sets the session on
    whichever domain a person lands on (Pinterest Engineering, 2018); how that handshake looks is not public, so
    this one is the replica's own."""
    cfg = config()
    host = _served_host()
    if not cfg.has("country_redirect") or host == cfg.domain or not cfg.is_pinterest_host(host):
        return None
    destination = f"https://{cfg.domain}"
    session = _current()
    if session is None:
        return redirect(destination + _with_query(request.path))
    token = store().handshake(session)
    return redirect(f"{destination}{HANDSHAKE_PATH}?token={token}&next={quote(_with_query(request.path), safe='')}")


@bp.get(HANDSHAKE_PATH)
def handshake() -> BaseResponse:
    session = store().redeem(request.args.get("token", ""))
    response = redirect(_safe_next(request.args.get("next", "/")))
    if session is not None:
        _set_session_cookies(response, session)
    return response


@bp.before_app_request
def bot_block() -> Response | None:
    if not config().has("blocked"):
        return None
    response = make_response(render_template("blocked.html", **_chrome()), config().blocked_status)
    response.headers["Retry-After"] = "600"
    return response


@bp.before_app_request
def note_languages() -> None:
    """Keep the Accept-Language each page load asked for: tests check the run's browser speaks the person's."""
    store().note_languages(request.headers.get("Accept-Language", ""))


@bp.after_app_request
def no_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def home() -> BaseResponse:
    session = _current()
    if session is None:
        return redirect("/login/?next=%2F")
    return _page("home.html", session)


@bp.route("/login", methods=["GET", "POST"])
@bp.route("/login/", methods=["GET", "POST"])
def login() -> BaseResponse:
    target = _safe_next(request.values.get("next", "/"))
    if request.method == "POST":
        email = request.form.get("id", "").strip()
        password = request.form.get("password", "")
        if email and password:
            session = store().login()
            response = redirect(target)
            _set_session_cookies(response, session)
            return response
        error = languages.ui(config().language)["login_error"]
    else:
        error = ""
    response = make_response(render_template("login.html", next=target, error=error, **_chrome()))
    if store().find(request.cookies.get(SESSION_COOKIE)) is None:
        _set_session_cookies(response, store().anonymous())
    return response


@bp.route("/logout", methods=["GET", "POST"])
@bp.route("/logout/", methods=["GET", "POST"])
def logout() -> BaseResponse:
    value = request.cookies.get(SESSION_COOKIE)
    if value:
        store().logout(value)
    response = redirect("/login/")
    # Like Pinterest, the session cookie outlives the login: a new anonymous one replaces it.
    _set_session_cookies(response, store().anonymous())
    return response


@bp.get("/settings")
@bp.get("/settings/")
def settings_menu() -> BaseResponse:
    session = _current()
    if session is None:
        return _to_login()
    return _page("menu.html", session, active="")


@bp.get("/settings/<path:name>")
def plain_settings(name: str) -> BaseResponse:
    path = "/settings/" + name.rstrip("/")
    if path == config().alias_path:
        return redirect(_with_query(config().privacy_path), code=config().alias_status)
    page_name = _page_name(path)
    if page_name is None and path not in PLAIN_PAGES:
        return make_response(render_template("not_found.html", **_chrome()), 404)
    session = _current()
    if session is None:
        return _to_login()
    if page_name is None:
        language = config().language
        title, intro = languages.menu_name(language, path), languages.plain_intro(language, path)
        return _page("plain.html", session, active=path, title=title, intro=intro)
    return _settings_page(page_name, session)


@bp.post("/settings/<path:name>")
def legacy_form_save(name: str) -> BaseResponse:
    path = "/settings/" + name.rstrip("/")
    page_name = _page_name(path)
    if page_name is None or config().variant != "legacy":
        return make_response(render_template("not_found.html", **_chrome()), 405)
    session = _current()
    if session is None:
        return _to_login()
    if not _csrf_ok(request.form.get("csrfmiddlewaretoken", "")):
        return make_response(render_template("error.html", message="CSRF verification failed.", **_chrome()), 403)
    page = pages.build_page(page_name, config())
    names = store().names
    options = {c.key: names.field_name(c.key) in request.form for c in page.controls() if not c.disabled}
    outcome = store().save(session, options, notice=languages.ui(config().language)["saved_notice"])
    if outcome.status != 200:
        return make_response(render_template("error.html", message=outcome.message, **_chrome()), outcome.status)
    return redirect(path)


@bp.get(READ_PATH)
def read_settings() -> BaseResponse:
    session = _current()
    if session is None:
        return _resource_error(401, "You need to log in to see your settings.")
    page_name = request.args.get("page", "")
    if page_name not in (pages.PRIVACY, pages.PROFILE_VISIBILITY, pages.REFINE):
        return _resource_error(404, "Unknown settings page.")
    _slow_down()
    page = pages.build_page(page_name, config())
    values = store().values_for(session)
    names = store().names
    if request.args.get("part") == "values":
        # late_states: the page asks for the states on their own, after drawing its placeholders.
        time.sleep(config().late_seconds)
        return _resource_ok({"values": {names.element_id(c.key): values[c.key] for c in page.controls()}})
    sections = [
        {
            "heading": section.heading,
            "intro": section.intro,
            "items": [
                {
                    "field": control.key,
                    "id": names.element_id(control.key),
                    "title": control.title,
                    "help": control.help,
                    "value": values[control.key],
                    "disabled": control.disabled,
                }
                for control in section.controls
            ],
        }
        for section in page.sections
    ]
    return _resource_ok({"page": page_name, "title": page.title, "intro": page.intro, "sections": sections})


@bp.post(SAVE_PATH)
def update_settings() -> BaseResponse:
    session = _current()
    if session is None:
        return _resource_error(401, "You need to log in to change your settings.")
    if not _csrf_ok(request.headers.get("X-CSRFToken", "")):
        return _resource_error(403, "CSRF verification failed.")
    body = request.get_json(silent=True)
    options = body.get("options") if isinstance(body, dict) else None
    if not isinstance(options, dict) or not all(isinstance(v, bool) for v in options.values()):
        return _resource_error(400, 'Expected {"options": {setting: true|false}}.')
    outcome = store().save(session, options)
    if outcome.status != 200:
        return _resource_error(outcome.status, outcome.message)
    return _resource_ok({"saved": len(options)})


@bp.get("/favicon.ico")
def favicon() -> BaseResponse:
    return make_response("", 204)


@bp.get("/static/js/<name>")
def script(name: str) -> BaseResponse:
    if name != f"settings.{store().names.build}.js":
        return make_response("Not found", 404)
    response = make_response(render_template("settings.js", **_chrome()))
    response.mimetype = "text/javascript"
    return response


def _settings_page(page_name: str, session: Session) -> BaseResponse:
    cfg = config()
    path = page_path(page_name, cfg)
    if cfg.variant != "legacy":
        return _page("client.html", session, active=path, page_name=page_name, title=_page_title(page_name))
    _slow_down()
    page = pages.build_page(page_name, cfg)
    values = store().values_for(session)
    return _page(
        "legacy.html",
        session,
        active=path,
        page=page,
        values=values,
        notice=store().take_notice(session),
        csrf=request.cookies.get(CSRF_COOKIE) or session.csrf,
        field_name=store().names.field_name,
    )


def _page(template: str, session: Session, active: str = "", **context: Any) -> BaseResponse:
    response = make_response(render_template(template, active=active, menu=_menu(), **_chrome(), **context))
    if request.cookies.get(CSRF_COOKIE) is None:
        response.set_cookie(
            CSRF_COOKIE, session.csrf, max_age=COOKIE_LIFETIME, path="/", secure=_secure(), samesite="Lax"
        )
    return response


def _chrome() -> dict[str, Any]:
    cfg = config()
    return {
        "t": languages.ui(cfg.language),
        "lang": cfg.language if cfg.html_lang else None,
        "cls": store().names.classes,
        "build": store().names.build,
        "variant": cfg.variant,
        "save_label": cfg.save_button,
        "read_path": READ_PATH,
        "save_path": SAVE_PATH,
        "behaviour": {
            "saveModel": cfg.save_model,
            "sectionStyle": cfg.section_style,
            "lateStates": cfg.has("late_states"),
            "lateDrawSeconds": cfg.late_draw_seconds,
            "leaveTo": cfg.leave_to if cfg.has("leaves_site") else "",
            "leaveSeconds": cfg.leave_seconds,
        },
    }


def _menu() -> list[tuple[str, str]]:
    language = config().language
    return [(languages.menu_name(language, path), path or config().privacy_path) for path in MENU]


def _page_title(page_name: str) -> str:
    return pages.build_page(page_name, config()).title


def _page_name(path: str) -> str | None:
    if path == config().privacy_path:
        return pages.PRIVACY
    for name, page_path_ in pages.PAGE_PATHS.items():
        if path == page_path_:
            return name
    return None


def _current() -> Session | None:
    return store().logged_in(request.cookies.get(SESSION_COOKIE))


def _to_login() -> BaseResponse:
    return redirect("/login/?next=" + quote(_with_query(request.path), safe=""))


def _with_query(path: str) -> str:
    query = request.query_string.decode("latin-1")
    return f"{path}?{query}" if query else path


def _safe_next(target: str) -> str:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _served_host() -> str:
    """The host the browser asked for: the site map's proxy names it, else the Host header does."""
    return request.headers.get("X-Forwarded-Host") or request.host.rsplit(":", 1)[0]


def _csrf_ok(sent: str) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and sent == cookie


def _secure() -> bool:
    return request.is_secure or request.headers.get("X-Forwarded-Proto", "") == "https"


def _set_session_cookies(response: BaseResponse, session: Session) -> None:
    options: Mapping[str, Any] = {"max_age": COOKIE_LIFETIME, "path": "/", "secure": _secure(), "samesite": "Lax"}
    response.set_cookie(SESSION_COOKIE, session.value, httponly=True, **options)
    response.set_cookie(CSRF_COOKIE, session.csrf, **options)
    response.set_cookie("_auth", "1" if session.logged_in else "0", httponly=True, **options)
    response.set_cookie("_b", session.browser_id, httponly=True, **options)
    response.set_cookie("_routing_id", session.routing_id, **options)


def _slow_down() -> None:
    if config().has("slow"):
        time.sleep(config().slow_seconds)


def _resource_ok(data: Mapping[str, Any]) -> BaseResponse:
    return jsonify({"resource_response": {"status": "success", "code": 0, "data": data}})


def _resource_error(status: int, message: str) -> BaseResponse:
    body = {"resource_response": {"status": "failure", "code": status, "message": message, "data": None}}
    return make_response(jsonify(body), status)


def create_app(config: ReplicaConfig | Mapping[str, Any] | None = None) -> Flask:
    """A replica app; its store (sessions, states, writes) is `app.extensions["replica"]`."""
    app = Flask(__name__)
    app.extensions[EXTENSION] = ReplicaStore(ReplicaConfig.from_value(config))
    app.register_blueprint(bp)
    from replica.gestalt_pages import bp as gestalt_bp  # imported here: it builds on this module's pages

    app.register_blueprint(gestalt_bp)
    return app
