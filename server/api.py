"""The JSON API under /api/v1: platforms, signed rule bundles, public keys, and the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from server.bundles import current_catalog
from server.errors import error_response
from server.openapi import openapi_document

api = Blueprint("api", __name__, url_prefix="/api/v1")
LIST_MAX_AGE = 60  # seconds a client may keep the platform list, the keys and the OpenAPI document


@api.get("/platforms")
def platforms() -> Response:
    return _json(current_catalog().platforms_body)


@api.get("/rules/<platform>")
def rules(platform: str) -> Response:
    catalog = current_catalog()
    bundle = catalog.get(platform)
    if bundle is None:
        known = ", ".join(sorted(catalog.bundles))
        return error_response(404, "unknown_platform", f"No rules for the platform {platform!r}. Known: {known}.")
    headers = {
        "ETag": f'"{bundle.etag}"',
        "Cache-Control": f"public, max-age={current_app.config['CACHE_MAX_AGE']}",
        "X-Optout-Key-Id": bundle.envelope["key_id"],
    }
    if request.if_none_match.contains_weak(bundle.etag):
        return Response(status=304, headers=headers)
    return Response(bundle.body, mimetype="application/json", headers=headers)


@api.get("/keys")
def keys() -> Response:
    return _json(current_catalog().keys_body)


@api.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(sorted(current_catalog().bundles)))


def _json(body: bytes) -> Response:
    return Response(body, mimetype="application/json", headers={"Cache-Control": f"public, max-age={LIST_MAX_AGE}"})
