"""Routes of the briefs: a report's, a week's or a month's, in three formats."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from attrition import brief as briefs
from attrition import service
from attrition.web import models as m
from attrition.web.ledger import aged, is_latest
from attrition.web.models import TEXTS, answers
from attrition.web.respond import cached, data, day_of, envelope
from attrition.web.state import Data

router = APIRouter()
Lang = Annotated[Literal["en", "uk"], Query(description="Language of the text.")]
Format = Annotated[Literal["json", "text", "markdown"], Query(description="Format.")]


def brief_doc(d: Data, day: date | None, lang: str, week: str | None = None,
              month: str | None = None) -> dict[str, Any]:
    """The brief document, as `attrition brief --format json` gives it (from the daybook
    when it can serve it, as the CLI reads it)."""
    if week or month:
        return service.brief(d.ledger, week=week, month=month, lang=lang, aggs=d.aggregates)
    return service.brief(d.ledger, day, lang=lang, aggs=d.aggregates)


def _brief_response(doc: dict[str, Any], fmt: str) -> Response:
    if fmt == "text":
        return Response(doc["text"].encode(), media_type="text/plain; charset=utf-8")
    if fmt == "markdown":
        return Response(briefs.markdown(doc).encode(), media_type="text/markdown; charset=utf-8")
    return envelope(doc)


@router.get("/api/brief", tags=["outputs"], **answers(m.BriefDoc, 400, 404, 422, also=TEXTS,
                                                           example="BriefPeriod"))
def brief_period(request: Request, week: str | None = None, month: str | None = None,
                 lang: Lang = "en", format: Format = "json") -> Response:
    """The brief of an ISO week (`2024-W46`) or a month (`2024-11`), or of the latest report."""
    def make() -> Response:
        d = data(request)
        return _brief_response(brief_doc(d, None if week or month else d.latest, lang,
                                         week, month), format)

    if not (week or month):  # the latest report's: says how old it is, so never cached
        d = data(request)
        return _brief_response(aged(brief_doc(d, d.latest, lang), lang), format)
    return cached(request, make)


@router.get("/api/brief/{day}", tags=["outputs"],
            **answers(m.BriefDoc, 400, 404, 422, also=TEXTS))
def brief(request: Request, day: m.DayPath, lang: Lang = "en", format: Format = "json") -> Response:
    """The brief of a report: text, markdown or the JSON document with its `facts`."""
    def make() -> Response:
        d = data(request)
        return _brief_response(brief_doc(d, day_of(day, d), lang), format)

    if is_latest(day):  # says how old the report is (as `attrition brief`): never cached
        d = data(request)
        return _brief_response(aged(brief_doc(d, day_of(day, d), lang), lang), format)
    return cached(request, make)
