"""`/health`: whether the service is ready, for a load balancer or an uptime monitor. Read
from the store on every request (never cached): 200 when ready, 503 with the reasons."""

from __future__ import annotations

import json
import os

from fastapi import APIRouter, Request
from fastapi.responses import Response

from attrition import service

router = APIRouter()

MAX_AGE_ENV = "ATTRITION_HEALTH_MAX_AGE_DAYS"


def max_age(request: Request) -> float:
    """The age limit of the newest report: create_app's, else the environment's, else the
    default (3 days)."""
    given: float | None = getattr(request.app.state, "health_max_age_days", None)
    if given is not None:
        return given
    try:
        return float(os.environ.get(MAX_AGE_ENV, ""))
    except ValueError:
        return service.HEALTH_MAX_AGE_DAYS


@router.get("/health", tags=["service"])
def health(request: Request) -> Response:
    """Store reachable, the newest report's date and age, the last `update` run and the last
    watcher poll (where recorded); 503 with `reasons` when not ready."""
    status, doc = service.health(request.app.state.holder.url, max_age(request))
    body = json.dumps({"ok": status == 200, **doc, "status": status}, ensure_ascii=False)
    return Response(body.encode(), status_code=status, media_type="application/json",
                    headers={"cache-control": "no-store"})
