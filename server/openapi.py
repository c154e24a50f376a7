"""The OpenAPI 3.1 description of the service, served at /api/v1/openapi.json (a test keeps it equal to the routes)."""

from __future__ import annotations

import json
from typing import Any

from native_host.rules.signing import ENVELOPE_FORMAT
from native_host.version import ENGINE_VERSION
from server.reports import IDEMPOTENCY_KEY, REPORT_SCHEMA_PATH

_ERROR = {"$ref": "#/components/responses/Error"}


def openapi_document(platforms: list[str]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Optout rules service",
            "version": ENGINE_VERSION,
            "description": "Signed, versioned rules for Optout. Clients verify every bundle against the keys "
            "they pin; the keys published here are for inspection and rotation, not a source of trust.",
        },
        "paths": {
            "/api/v1/platforms": {
                "get": {
                    "summary": "Each platform with its rules version and date",
                    "responses": {"200": _ok("PlatformList")},
                }
            },
            "/api/v1/rules/{platform}": {
                "get": {
                    "summary": "The signed rules bundle for one platform",
                    "parameters": [
                        {"name": "platform", "in": "path", "required": True, "schema": {"enum": platforms}},
                        {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            **_ok("Envelope"),
                            "headers": {
                                "ETag": {"schema": {"type": "string"}},
                                "Cache-Control": {"schema": {"type": "string"}},
                                "X-Optout-Key-Id": {"schema": {"type": "string"}},
                            },
                        },
                        "304": {"description": "The bundle named by If-None-Match is still current"},
                        "404": _ERROR,
                    },
                }
            },
            "/api/v1/keys": {
                "get": {"summary": "The public keys bundles are signed with", "responses": {"200": _ok("KeyList")}}
            },
            "/api/v1/reports": {
                "post": {
                    "summary": "A field report: the setting names one page showed, sent by a person who chose to",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "description": "The same key on a retry returns the first report's id; nothing is "
                            "stored twice. Without one, the service derives a key from the address, report and day.",
                            "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}},
                    },
                    "responses": {
                        "202": _ok("ReportReceived"),
                        "400": _ERROR,
                        "413": _ERROR,
                        "415": _ERROR,
                        "429": {**_ERROR, "description": "Too many reports from this address; see Retry-After"},
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1 JSON"}}}
            },
            "/healthz": {
                "get": {"summary": "Liveness, with each platform's rules version", "responses": {"200": _ok("Health")}}
            },
            "/": {"get": {"summary": "A readable page of every platform and setting", "responses": {"200": _html()}}},
        },
        "components": {
            "schemas": {
                "Envelope": {
                    "type": "object",
                    "required": ["format", "platform", "version", "key_id", "signature", "bundle"],
                    "additionalProperties": False,
                    "properties": {
                        "format": {"const": ENVELOPE_FORMAT},
                        "platform": {"type": "string"},
                        "version": {"type": "string"},
                        "key_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                        "signature": {"type": "string", "description": "base64 Ed25519 signature of the bundle bytes"},
                        "bundle": {"type": "string", "description": "base64 of the exact rules file bytes"},
                    },
                },
                "PlatformList": {
                    "type": "object",
                    "properties": {
                        "platforms": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "platform": {"type": "string"},
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "updated": {"type": "string", "format": "date"},
                                    "min_engine_version": {"type": "string"},
                                    "settings": {"type": "integer"},
                                    "key_id": {"type": "string"},
                                    "rules": {"type": "string"},
                                },
                            },
                        }
                    },
                },
                "KeyList": {
                    "type": "object",
                    "properties": {
                        "keys": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "string"},
                                    "algorithm": {"const": "Ed25519"},
                                    "public_key": {"type": "string", "description": "base64 of the raw 32 bytes"},
                                    "status": {"enum": ["active", "retired"]},
                                },
                            },
                        }
                    },
                },
                "Report": report_schema(),
                "ReportReceived": {
                    "type": "object",
                    "required": ["id", "duplicate"],
                    "properties": {
                        "id": {"type": "string"},
                        "duplicate": {"type": "boolean", "description": "true: a retry of a report already stored"},
                    },
                },
                "Health": {
                    "type": "object",
                    "properties": {"status": {"const": "ok"}, "platforms": {"type": "object"}},
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "integer"},
                                "name": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
            },
            "responses": {
                "Error": {
                    "description": "A JSON error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }


def report_schema() -> dict[str, Any]:
    """server/report_schema.json, the one description of a report, with its definitions inlined for OpenAPI."""
    schema = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    definitions = schema.pop("$defs")
    text = json.dumps({key: value for key, value in schema.items() if not key.startswith("$")})
    for name, definition in definitions.items():
        text = text.replace(json.dumps({"$ref": f"#/$defs/{name}"}), json.dumps(definition))
    return json.loads(text)


def _ok(schema: str) -> dict[str, Any]:
    return {
        "description": "OK",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _html() -> dict[str, Any]:
    return {"description": "HTML", "content": {"text/html": {}}}
