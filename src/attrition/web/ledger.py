"""Routes of the ledger itself: a report, a series, the sources (each with a CSV twin)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from attrition import report as reports
from attrition import service
from attrition.dates import kyiv
from attrition.errors import NotFoundError
from attrition.web import models as m
from attrition.web.models import CSV, answers
from attrition.web.respond import cached, csv_response, data, day_of, envelope

router = APIRouter()
From = Annotated[str | None, Query(alias="from", description="First report date.")]
To = Annotated[str | None, Query(alias="to", description="Last report date.")]
Basis = Annotated[Literal["difference", "announced"], Query(
    description="Daily changes as differences of totals, or as the bulletin announced them.")]


AsOf = Annotated[str | None, Query(
    description="The report as the ledger had it at this time: an ISO date (the end of that "
                "day, Kyiv time) or date-time (Kyiv time unless it has a zone).")]


def _report(request: Request, day: str, as_of: str | None = None) -> dict[str, Any]:
    d = data(request)
    if as_of is not None:
        from attrition.store.read import Reader

        with Reader(d.url) as reader:
            then = service.ledger_at(reader, as_of)
            return service.report_at(then, service.day_at(then, day))
    when = day_of(day, d)
    rows = d.reports.get(when)
    if not rows:
        raise NotFoundError(f"no report for {when} (the ledger runs {d.first} .. {d.latest})")
    return reports.document(rows, when)


@router.get("/api/report/{day}.csv", tags=["ledger"], **answers(None, 400, 404, 422, media=CSV))
def report_csv(request: Request, day: m.DayPath, as_of: AsOf = None) -> Response:
    """The report's figures as CSV, one row per category (sources joined by `;`)."""
    return cached(request, lambda: csv_response(
        [{k: v for k, v in f.items() if k not in ("dissent", "revised_after")}
         for f in _report(request, day, as_of)["figures"]]))


@router.get("/api/report/{day}", tags=["ledger"], **answers(m.ReportDoc, 400, 404, 422))
def report(request: Request, day: m.DayPath, as_of: AsOf = None) -> Response:
    """The report of a date (`YYYY-MM-DD` or `latest`), as `attrition show --format json`;
    with `as_of`, as the ledger had it then (`attrition show --as-of`). `latest` says how
    old the report is (`stale`) when it is older than 36 hours, as `show latest` does."""
    if as_of is None and is_latest(day):  # never cached: the age changes, the report not
        return envelope(aged(_report(request, day)))
    return cached(request, lambda: envelope(_report(request, day, as_of)))


def is_latest(day: str) -> bool:
    return day.strip().lower() == "latest"


def aged(doc: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
    """`doc` (of the latest report) with `stale` when the report is older than 36 hours:
    its age in days, the date that age is counted on, how to refresh, and the sentence
    saying so (`en`). With `lang` (a brief), the sentence opens the text instead, as
    `attrition brief` prints it."""
    from datetime import date

    old = reports.age(date.fromisoformat(doc["date"]))
    if not old:
        return doc
    if lang is None:
        return {**doc, "stale": {k: v for k, v in old.items() if k != "uk"}}
    return {**doc, "stale": {k: v for k, v in old.items() if k not in ("en", "uk")},
            "text": old[lang] + "\n\n" + doc["text"]}


@router.get("/api/history/{day}", tags=["ledger"], **answers(m.HistoryDoc, 400, 404, 422))
def history(request: Request, day: m.DayPath, category: str | None = None) -> Response:
    """Every revision of a report's figures by source, with its value and times, and the
    ledger's cell now (`attrition history --format json`)."""
    def make() -> Response:
        from attrition.store.read import Reader

        d = data(request)
        with Reader(d.url) as reader:
            return envelope(service.history(reader, day_of(day, d), category))

    return cached(request, make)


def _series(request: Request, name: str, start: str | None, end: str | None,
            basis: str, as_of: str | None = None) -> dict[str, Any]:
    d = data(request)
    lo = day_of(start, d) if start else None
    hi = day_of(end, d) if end else None
    if as_of is None:
        return service.series(d.ledger, name, lo, hi, basis=basis, aggs=d.aggregates,
                              cache=d.series_cache)
    from attrition.store.read import Reader

    with Reader(d.url) as reader:
        then = service.ledger_at(reader, as_of)
        doc = service.series(then, name, lo, hi, basis=basis, aggs=d.aggregates)
    return {**doc, "as_of": then.moment.at.astimezone(kyiv()).isoformat(),
            "latest_report": then.moment.latest.isoformat() if then.moment.latest else None}


@router.get("/api/series/{name}.csv", tags=["ledger"], **answers(None, 400, 404, 422, media=CSV))
def series_csv(request: Request, name: m.NamePath, start: From = None, end: To = None,
               basis: Basis = "difference", as_of: AsOf = None) -> Response:
    """The series' rows as CSV (components and sources joined by `;`)."""
    return cached(request, lambda: csv_response(
        _series(request, name, start, end, basis, as_of)["rows"]))


@router.get("/api/series/{name}", tags=["ledger"], **answers(m.SeriesDoc, 400, 404, 422))
def series(request: Request, name: m.NamePath, start: From = None, end: To = None,
           basis: Basis = "difference", as_of: AsOf = None) -> Response:
    """A category's or aggregate's daily series (report dates), `from`/`to` inclusive; with
    `as_of`, as the ledger had it then."""
    return cached(request, lambda: envelope(_series(request, name, start, end, basis,
                                                    as_of)))


@router.get("/api/sources.csv", tags=["ledger"], **answers(None, 503, media=CSV))
def sources_csv(request: Request) -> Response:
    """The sources as CSV, one row per source."""
    return csv_response(service.sources(data(request).ledger)["sources"])


@router.get("/api/sources", tags=["ledger"], **answers(m.SourcesDoc, 503))
def sources(request: Request) -> Response:
    """The sources in the store, their date ranges and licences, and the data's age, as
    `attrition sources --format json`."""
    return envelope(service.sources(data(request).ledger))
