"""The JSON API under /api/: one module per resource, gathered here.

    ledger.py    /api/report, /api/series, /api/sources      (CSV twins: `.csv`)
    analysis.py  /api/records, /api/compare
    briefs.py    /api/brief
    checking.py  POST /api/check
    writes.py    POST /api/ingest, /api/update                (token only)
    v2_routes.py /api/v2/... (russianwarship.rip-compatible; included by app.py)

Every operation is `attrition.service`'s, as the CLI's is; the names below are what the
dashboard's pages share with the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter

from attrition import service
from attrition.web import analysis, briefs, checking, ledger, writes
from attrition.web.respond import (
    cached,
    data,
    day_of,
    envelope,
    error_payload,
    read_body,
)
from attrition.web.state import Data

router = APIRouter()
for part in (ledger, analysis, briefs, checking, writes):
    router.include_router(part.router)

brief_doc = briefs.brief_doc
compare_doc = analysis.compare_doc
run_check = checking.run_check
fetch_article = checking.fetch_article
fetch_bounded = checking.fetch_bounded
STALE_HOURS = service.STALE_HOURS

__all__ = ["STALE_HOURS", "brief_doc", "cached", "compare_doc", "data", "data_age", "day_of",
           "envelope", "error_payload", "fetch_article", "fetch_bounded", "read_body",
           "router", "run_check"]


def data_age(d: Data, now: datetime | None = None) -> dict[str, Any]:
    """How old the newest report is (see `attrition.service.data_age`)."""
    return service.data_age(d.latest, now)
