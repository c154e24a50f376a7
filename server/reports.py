"""POST /api/v1/reports: a person's field report about a page whose settings Optout could not find.

Order of refusal, cheapest first: the Host and the body size from the headers (server/security.py), then the
client's rate limit, the content type, the JSON, the schema (server/report_schema.json) and the origin. A report
is stored once per dedup key: the client's Idempotency-Key header, or else a key derived from the client's address,
the report and the day, so a retried post never counts twice.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from flask import Blueprint, Flask, Response, current_app, jsonify, request
from jsonschema.exceptions import best_match

from server.errors import error_response
from server.report_store import ReportStore

REPORT_SCHEMA_PATH = Path(__file__).with_name("report_schema.json")
RATE_WINDOW_SECONDS = 60
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # visible ASCII, as a UUID or any client token

# The error names a client may see from this endpoint (besides the service-wide 413 and 421).
NOT_JSON = "unsupported_media_type"
BAD_REPORT = "invalid_report"
TOO_MANY = "too_many_reports"

reports = Blueprint("reports", __name__, url_prefix="/api/v1")


@cache
def report_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def report_problem(document: Any) -> str | None:
    """Why this document is not a field report the service accepts, as a sentence; None when it is one."""
    from native_host.rules.domains import DomainsError, domains_of

    error = best_match(report_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the report"
        return f"The report is not valid at {where}: {error.message[:200]}"
    try:
        hosts = domains_of(document["platform"]).hosts
    except DomainsError:
        return f"Optout has no platform called {document['platform']!r}."
    if document["origin"].removeprefix("https://") not in hosts:
        return f"The origin {document['origin']} is not one of {document['platform']}'s own sites."
    return None


def current_store() -> ReportStore:
    return current_app.extensions["optout_reports"]


def init_reports(app: Flask, store: ReportStore) -> None:
    app.extensions["optout_reports"] = store
    app.register_blueprint(reports)


@reports.post("/reports")
def receive_report() -> Response:
    store = current_store()
    client = request.remote_addr or "unknown"
    refused = _over_rate_limit(store, client)
    if refused is not None:
        return refused
    if not request.is_json:
        return error_response(415, NOT_JSON, "Send the report as JSON, with Content-Type: application/json.")
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        return error_response(400, BAD_REPORT, "The Idempotency-Key header must be 1 to 200 visible ASCII characters.")
    body = request.get_data(cache=False)
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return error_response(400, BAD_REPORT, "The report is not valid JSON.")
    problem = report_problem(document)
    if problem:
        return error_response(400, BAD_REPORT, problem)
    report = _normalised(document)
    dedup_key = f"key:{key}" if key else _derived_key(client, report)
    report_id, created = store.add(report, dedup_key)
    response = jsonify({"id": report_id, "duplicate": not created})
    response.status_code = 202
    return response


def _over_rate_limit(store: ReportStore, client: str) -> Response | None:
    limit = current_app.config["REPORTS_PER_MINUTE"]
    if not limit:
        return None
    now = int(time.time())
    window_start = now - now % RATE_WINDOW_SECONDS
    if store.count_request(client, window_start) <= limit:
        return None
    response = error_response(
        429, TOO_MANY, f"Too many reports from this address: at most {limit} a minute. Try again later."
    )
    response.headers["Retry-After"] = str(window_start + RATE_WINDOW_SECONDS - now)
    return response


def _normalised(document: dict[str, Any]) -> dict[str, Any]:
    """Labels with their runs of white space made single, so the same wording groups as one finding."""

    def tidy(label: str) -> str:
        return " ".join(label.split())

    report = dict(document)
    report["candidates"] = [{**candidate, "label": tidy(candidate["label"])} for candidate in document["candidates"]]
    if document["taught"]:
        report["taught"] = {**document["taught"], "label": tidy(document["taught"]["label"])}
    return report


def _derived_key(client: str, report: dict[str, Any]) -> str:
    # The same report from the same address on the same day is a retry; a report sent again tomorrow counts.
    day = time.strftime("%Y-%m-%d", time.gmtime())
    canonical = json.dumps(report, sort_keys=True, ensure_ascii=False)
    return "derived:" + hashlib.sha256(f"{client}\n{day}\n{canonical}".encode()).hexdigest()
