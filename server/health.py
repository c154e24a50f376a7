"""GET /healthz: the service is up, knows these platforms, and its bundles are not about to expire.

A service that signs its own bundles renews them itself. Bundles signed offline (`BUNDLES_DIR`) are renewed by
their operator only: when one has less than EXPIRY_WARNING left, /healthz says "expiring" (still 200, with a
sentence saying what to do) and the log says it too; once one has expired, clients refuse it, so /healthz answers
503 "expired" for the monitoring to page someone.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app

from native_host.rules.signing import parse_stamp
from server.bundles import Catalog, LiveCatalog

EXPIRY_WARNING = timedelta(days=3)

health = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@health.get("/healthz")
def healthz() -> Response:
    live: LiveCatalog = current_app.extensions["optout"]
    catalog = live.current()
    headers = {"Cache-Control": "no-store"}
    if catalog.renew_at is not None:  # this server signs again before expiry: nothing can run out
        return Response(catalog.health_body, mimetype="application/json", headers=headers)
    status, warnings = presigned_health(catalog, live.now())
    for warning in warnings:
        log.warning(warning)
    body = {**json.loads(catalog.health_body), "status": status}
    if warnings:
        body["warnings"] = warnings
    return Response(
        json.dumps(body, separators=(",", ":")),
        status=503 if status == "expired" else 200,
        mimetype="application/json",
        headers=headers,
    )


def presigned_health(catalog: Catalog, now: datetime) -> tuple[str, list[str]]:
    """("ok" | "expiring" | "expired", a sentence per bundle that needs signing again)."""
    status, warnings = "ok", []
    for platform, bundle in sorted(catalog.bundles.items()):
        expires = parse_stamp(bundle.rules.expires or "")
        when = expires.strftime("%Y-%m-%d %H:%M UTC")
        if now >= expires:
            status = "expired"
            warnings.append(
                f"The {platform} bundle expired on {when}: clients refuse it. Sign it again with `optout sign`, "
                "copy it into BUNDLES_DIR and restart the service."
            )
        elif expires - now < EXPIRY_WARNING:
            status = "expiring" if status == "ok" else status
            warnings.append(
                f"The {platform} bundle expires on {when}. Sign it again with `optout sign`, copy it into "
                "BUNDLES_DIR and restart the service before then."
            )
    return status, warnings
