"""Routes of the analyses: records of a day, claimed against confirmed (with CSV twins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from attrition import service
from attrition.web import models as m
from attrition.web.models import CSV, answers
from attrition.web.respond import cached, csv_response, data, day_of, envelope
from attrition.web.state import Data

router = APIRouter()
From = Annotated[str | None, Query(alias="from", description="First report date.")]
To = Annotated[str | None, Query(alias="to", description="Last report date.")]
OnDate = Annotated[str, Query(alias="date", description="YYYY-MM-DD or latest.")]
Window = Annotated[int, Query(ge=1, le=5000, description="Days of the top list.")]
Top = Annotated[int, Query(ge=1, le=1000, description="Days in the top list.")]
Cats = Annotated[list[str] | None, Query(description="Categories (repeatable).")]


def _records(request: Request, name: str, day: str, window: int, top: int) -> dict[str, Any]:
    d = data(request)
    return service.records(d.ledger, name, day_of(day, d), window, top, aggs=d.aggregates,
                           cache=d.series_cache)


@router.get("/api/records/{name}.csv", tags=["analysis"],
            **answers(None, 400, 404, 422, media=CSV))
def records_csv(request: Request, name: m.NamePath, day: OnDate = "latest", window: Window = 30,
                top: Top = 10) -> Response:
    """The top days of the window as CSV (`rows` of the JSON document)."""
    return cached(request, lambda: csv_response(
        _records(request, name, day, window, top)["rows"]))


@router.get("/api/records/{name}", tags=["analysis"], **answers(m.RecordsDoc, 400, 404, 422))
def records(request: Request, name: m.NamePath, day: OnDate = "latest", window: Window = 30,
            top: Top = 10) -> Response:
    """Ranks of a day's change (7/30/90/365 days, whole war), the last higher report, top
    days."""
    return cached(request, lambda: envelope(_records(request, name, day, window, top)))


def compare_doc(d: Data, start: str | None, end: str | None, category: list[str] | None,
                status: str | None, lang: str = "en") -> dict[str, Any]:
    return service.compare(d.ledger, day_of(start, d) if start else None,
                           day_of(end, d) if end else None, category,
                           service.parse_statuses(status), lang=lang)


@router.get("/api/compare.csv", tags=["analysis"], **answers(None, 400, 404, 422, media=CSV))
def compare_csv(request: Request, start: From = None, end: To = None, category: Cats = None,
                status: str | None = None) -> Response:
    """The comparison's rows as CSV, one per crosswalk line."""
    return cached(request, lambda: csv_response(
        [{k: v for k, v in r.items() if k != "components"}
         for r in compare_doc(data(request), start, end, category, status)["rows"]]))


@router.get("/api/compare", tags=["analysis"], **answers(m.CompareDoc, 400, 404, 422))
def compare(request: Request, start: From = None, end: To = None, category: Cats = None,
            status: str | None = None) -> Response:
    """Claimed (General Staff) against visually confirmed (Oryx) losses per category, as
    `attrition compare --format json`."""
    return cached(request, lambda: envelope(
        compare_doc(data(request), start, end, category, status)))
