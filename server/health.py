"""GET /healthz: the service is up and knows these platforms."""

from __future__ import annotations

from flask import Blueprint, Response

from server.bundles import current_catalog

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> Response:
    return Response(current_catalog().health_body, mimetype="application/json", headers={"Cache-Control": "no-store"})
