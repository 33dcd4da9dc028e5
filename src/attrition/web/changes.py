"""`GET /api/changes?since=…`: what was ingested after a time or a version, so that a bot
polls one small answer instead of refetching reports.

`since` is an ISO time (`2026-08-22T06:00:00+00:00`, or a date) or a version: the `ingests`
number of an earlier answer's `version`. The answer lists the ingests after it and, for those
that added or revised figures, the report dates they touched and the revised figures
(revision > 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from attrition.store.read import Reader
from attrition.web import api, respond
from attrition.web import models as m
from attrition.web.models import answers

router = APIRouter()
Since = Annotated[str, Query(description="An ISO time or date, or a version (the `ingests` "
                                         "count of an earlier answer).")]


def _since(text: str) -> tuple[str, int | datetime]:
    text = text.strip()
    if text.isdigit():
        return "version", int(text)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            raise HTTPException(422, f"since: {text!r} is neither a version number nor an "
                                     "ISO time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+00:00)"
                                ) from None
    return "time", when if when.tzinfo else when.replace(tzinfo=UTC)


def changes(url: str | None, since: str) -> dict[str, Any]:
    kind, mark = _since(since)
    with Reader(url) as r:
        version = r.version()
        # the store has no public listing of its ingest log; one read-only query here
        rows = r._query("SELECT id, at, input, source, observations, new, revised "
                        "FROM ingests ORDER BY id")
        ingests = [{"id": int(x[0]), "at": str(x[1]), "input": str(x[2]),
                    "source": str(x[3]), "observations": int(x[4]), "new": int(x[5]),
                    "revised": int(x[6])} for x in rows]

        def after(i: dict[str, Any]) -> bool:
            if kind == "version":
                return bool(i["id"] > mark)
            at = datetime.fromisoformat(i["at"])
            return (at if at.tzinfo else at.replace(tzinfo=UTC)) > mark  # type: ignore[operator]

        newer = [i for i in ingests if after(i)]
        touched = {(i["source"], i["input"]) for i in newer if i["new"] or i["revised"]}
        reports: set[str] = set()
        revisions = []
        if touched:
            for o in r.observations(latest_only=False):
                if (o.source, o.input) in touched:
                    reports.add(o.report_date.isoformat())
                    if o.revision > 1:
                        revisions.append({"source": o.source,
                                          "date": o.report_date.isoformat(),
                                          "category": o.category, "total": o.total,
                                          "revision": o.revision})
    return {"since": since, "changed": bool(newer),
            "version": {"ingests": version[0], "last_ingest": version[1],
                        "at": version[2] or None},
            "ingests": newer, "reports": sorted(reports), "revisions": revisions}


@router.get("/api/changes", tags=["ledger"], **answers(m.ChangesDoc, 422, 503))
def changes_route(request: Request, since: Since) -> Response:
    """What was ingested after `since` (a time or a version): the ingests, the report dates
    they added or revised, and the revised figures. Poll this, then fetch what changed."""
    h = respond.holder(request)
    return api.cached(request, lambda: api.envelope(changes(h.url, since)))
