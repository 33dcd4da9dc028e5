"""`/health`: whether the service is ready, for a load balancer or an uptime monitor. Read
from the store on every request (never cached): 200 when ready, 503 with the reasons."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from attrition import service
from attrition.web import models as m
from attrition.web.models import answers

router = APIRouter()

def max_age(request: Request) -> tuple[float, str | None]:
    """The age limit of the newest report: create_app's, else ATTRITION_HEALTH_MAX_AGE_DAYS,
    else the default (3 days); and what is wrong with the setting, if anything."""
    from attrition import settings

    given: float | None = getattr(request.app.state, "health_max_age_days", None)
    if given is not None:
        return given, None
    text = settings.current().health_max_age_days
    if text is None:
        return service.HEALTH_MAX_AGE_DAYS, None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= 0:
        return service.HEALTH_MAX_AGE_DAYS, (
            f"ATTRITION_HEALTH_MAX_AGE_DAYS={text!r} is not a number of days")
    return value, None


@router.get("/health", tags=["service"], **answers(m.HealthDoc, get=False))
def health(request: Request) -> Response:
    """Store reachable, the newest report's date and age, the last `update` run and the last
    watcher poll (where recorded); 503 with `reasons` when not ready."""
    limit, wrong = max_age(request)
    status, doc = service.health(request.app.state.holder.url, limit)
    if wrong:  # a misconfigured limit is a reason not to be trusted as ready
        status = 503
        doc["ready"] = False
        doc["reasons"] = [*doc["reasons"], wrong]
    body = json.dumps({"ok": status == 200, **doc, "status": status}, ensure_ascii=False)
    return Response(body.encode(), status_code=status, media_type="application/json",
                    headers={"cache-control": "no-store"})
