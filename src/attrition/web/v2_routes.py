"""The russianwarship.rip v2 routes: statistics (every day with the same keys as `terms`),
war info and status, terms with icons, and the v2 error shape for any other /api/v2/ path,
so that a client switched to this server by its base URL never meets another envelope.

Included before the JSON API's router, whose v2 statistics routes these replace."""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from attrition.errors import DateError
from attrition.web import api, v2
from attrition.web import models as m
from attrition.web.models import v2_answers
from attrition.web.state import Data

router = APIRouter()
"""Included before the JSON API's router: its routes answer first."""
fallback = APIRouter()
"""Included after every other router: the catch-all for unknown v2 paths."""
LANGS = ("ua", "en")


def answer(payload: Any, status: int = 200, message: str = v2.MESSAGE) -> Response:
    return JSONResponse({"message": message, "data": payload}, status_code=status)


def carried(d: Data, day: date, rows: Any) -> dict[str, int]:
    """The previous totals of the categories counted on `day` that its report lacks."""
    out: dict[str, int] = {}
    for key, cat in v2.missing(rows):
        series = d.by_category.get(cat, [])
        dates = d.series_cache.get(("v2-dates", cat))
        if dates is None:
            dates = d.series_cache[("v2-dates", cat)] = [r.report_date for r in series]
        i = bisect.bisect_left(dates, day)
        if i > 0:
            out[key] = series[i - 1].total
    return out


def day_record(d: Data, day: date) -> dict[str, Any]:
    rows = d.reports[day]
    return v2.record(rows, carried(d, day, rows))


@router.get("/api/v2/statistics/latest", tags=["russianwarship v2"],
            **v2_answers(m.V2DayAnswer, 422))
def latest(request: Request) -> Response:
    """The newest report as a day record (`date`, `day`, `resource`, `stats`,
    `increase`)."""
    def make() -> Response:
        d = api.data(request)
        if d.latest is None:
            return answer(None, 422, "No data")
        return answer(day_record(d, d.latest))

    return api.cached(request, make)


def _record_at(d: Data, day: date, as_of: str) -> Response:
    """The day record as the ledger had it at `as_of` (see attrition.store.asof)."""
    from attrition import service
    from attrition.store.read import Reader

    try:
        at = service.moment(as_of)
    except DateError as exc:
        return answer(None, 422, str(exc))
    with Reader(d.url) as reader:
        then = service.ledger_at(reader, at)
        rows = then.report(day)
        if not rows:
            return answer(None, 422, f"There is no statistics for {day.isoformat()} as of "
                                     f"{as_of}.")
        out: dict[str, int] = {}
        for key, cat in v2.missing(rows):
            before = then.series(cat, None, day - timedelta(days=1))
            if before:
                out[key] = before[-1].total
        return answer(v2.record(rows, out))


@router.get("/api/v2/statistics/{day}", tags=["russianwarship v2"],
            **v2_answers(m.V2DayAnswer, 422))
def one_day(request: Request, day: str, as_of: str | None = None) -> Response:
    """The report of a date (YYYY-MM-DD) as a day record; with `as_of` (an ISO date or
    date-time, Kyiv time unless zoned), as the ledger had it then."""
    def make() -> Response:
        d = api.data(request)
        try:
            when = v2.iso_day(day)
        except (ValueError, DateError):
            return answer(None, 422, f"The date {day!r} is not a valid date (YYYY-MM-DD).")
        if as_of is not None:
            return _record_at(d, when, as_of)
        if when not in d.reports:
            return answer(None, 422, f"There is no statistics for {when.isoformat()}.")
        return answer(day_record(d, when))

    return api.cached(request, make)


@router.get("/api/v2/statistics", tags=["russianwarship v2"],
            **v2_answers(m.V2PageAnswer, 422))
def days(request: Request, date_from: str | None = None, date_to: str | None = None,
               offset: int = 0, limit: int = 50) -> Response:
    """Day records from `date_from` to `date_to`, `limit` (1..1000) at a time from `offset`;
    `paging.next_url` (and the `Link` header) names the next page."""
    def make() -> Response:
        d = api.data(request)
        if d.latest is None or d.first is None:
            return answer(None, 422, "No data")
        try:
            lo = v2.iso_day(date_from) if date_from else d.first
            hi = v2.iso_day(date_to) if date_to else d.latest
        except (ValueError, DateError):
            return answer(None, 422, "date_from and date_to must be YYYY-MM-DD")
        if not 0 <= offset <= 1_000_000 or not 1 <= limit <= 1000:
            return answer(None, 422, "offset must be 0..1000000 and limit 1..1000")
        chosen, paging = v2.page(sorted(x for x in d.reports if lo <= x <= hi), offset, limit,
                                 str(request.url).split("?")[0], lo, hi)
        return answer({"paging": paging, "records": [day_record(d, x) for x in chosen]})

    return api.cached(request, make)


@router.get("/api/v2/war-info", tags=["russianwarship v2"],
            **v2_answers(m.V2WarInfoAnswer))
def war_info(request: Request) -> Response:
    """The war's start, the newest report's date (`current_date`) and day (`current_day`)."""
    return answer(v2.war_info(api.data(request).latest))


@router.get("/api/v2/war-info/status", tags=["russianwarship v2"],
            **v2_answers(m.V2StatusAnswer))
def war_status_default() -> Response:
    """The war's status, in English (as `/api/v2/war-info/status/en`)."""
    return answer(v2.STATUS["en"])


@router.get("/api/v2/war-info/status/{lang}", tags=["russianwarship v2"],
            **v2_answers(m.V2StatusAnswer, 422))
def war_status(lang: str) -> Response:
    """The war's status (`alias`, `title`, `description`) in `ua` or `en`."""
    if lang not in LANGS:
        return answer(None, 422, v2.INVALID)
    return answer(v2.STATUS[lang])


@router.get("/api/v2/terms/{lang}/{term}", tags=["russianwarship v2"],
            **v2_answers(m.V2TermAnswer, 404, 422))
def term(request: Request, lang: str, term: str) -> Response:
    """One term's title and icon (an SVG served here)."""
    if lang not in LANGS:
        return answer(None, 422, v2.INVALID)
    found = v2.terms(lang, str(request.base_url)).get(term)
    if found is None:
        return answer(None, 404, v2.NOT_FOUND)
    return answer(found)


@router.get("/api/v2/terms/{lang}", tags=["russianwarship v2"],
            **v2_answers(m.V2TermsAnswer, 422))
def terms(request: Request, lang: str) -> Response:
    """Every term (the keys of `stats` and `increase`) with its title and icon URL."""
    if lang not in LANGS:
        return answer(None, 422, v2.INVALID)
    return answer(v2.terms(lang, str(request.base_url)))


@fallback.api_route("/api/v2/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
                  include_in_schema=False)
def unknown(rest: str) -> Response:
    """Any other v2 path: the v2 error shape, not the JSON API's envelope."""
    return answer(None, 404, v2.NOT_FOUND)
