"""Routes of the ledger itself: a report, a series, the sources (each with a CSV twin)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from attrition import report as reports
from attrition import service
from attrition.analysis import series as series_mod
from attrition.dates import kyiv
from attrition.errors import NotFoundError
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


@router.get("/api/report/{day}.csv", tags=["ledger"])
def report_csv(request: Request, day: str, as_of: AsOf = None) -> Response:
    return cached(request, lambda: csv_response(
        [{k: v for k, v in f.items() if k not in ("dissent", "revised_after")}
         for f in _report(request, day, as_of)["figures"]]))


@router.get("/api/report/{day}", tags=["ledger"])
def report(request: Request, day: str, as_of: AsOf = None) -> Response:
    """The report of a date (`YYYY-MM-DD` or `latest`), as `attrition show --format json`;
    with `as_of`, as the ledger had it then (`attrition show --as-of`)."""
    return cached(request, lambda: envelope(_report(request, day, as_of)))


@router.get("/api/history/{day}", tags=["ledger"])
def history(request: Request, day: str, category: str | None = None) -> Response:
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
    extra: dict[str, Any] = {}
    if as_of is not None:
        from attrition.store.read import Reader

        with Reader(d.url) as reader:
            then = service.ledger_at(reader, as_of)
            s = series_mod.build(name, then.by_category(), then.corrections(), basis=basis,
                                 aggregates=d.aggregates)
            extra = {"as_of": then.moment.at.astimezone(kyiv()).isoformat(),
                     "latest_report": then.moment.latest.isoformat()
                     if then.moment.latest else None}
    else:
        s = series_mod.build(name, d.by_category, d.corrections, basis=basis,
                             aggregates=d.aggregates, cache=d.series_cache)
    return {"name": s.name, "label": s.label, "definition": s.definition, **extra,
            "aggregate": s.is_aggregate, "basis": basis,
            "rows": [{"date": p.day.isoformat(), "covers": (p.day - timedelta(days=1))
                      .isoformat(), "change": p.change, "total": p.total, "basis": p.basis,
                      "excluded": p.excluded} for p in s.between(lo, hi)],
            "caveat": reports.CAVEAT}


@router.get("/api/series/{name}.csv", tags=["ledger"])
def series_csv(request: Request, name: str, start: From = None, end: To = None,
               basis: Basis = "difference", as_of: AsOf = None) -> Response:
    return cached(request, lambda: csv_response(
        _series(request, name, start, end, basis, as_of)["rows"]))


@router.get("/api/series/{name}", tags=["ledger"])
def series(request: Request, name: str, start: From = None, end: To = None,
           basis: Basis = "difference", as_of: AsOf = None) -> Response:
    """A category's or aggregate's daily series (report dates), `from`/`to` inclusive; with
    `as_of`, as the ledger had it then."""
    return cached(request, lambda: envelope(_series(request, name, start, end, basis,
                                                    as_of)))


@router.get("/api/sources.csv", tags=["ledger"])
def sources_csv(request: Request) -> Response:
    return csv_response(service.sources(data(request).ledger)["sources"])


@router.get("/api/sources", tags=["ledger"])
def sources(request: Request) -> Response:
    """The sources in the store, their date ranges and licences, and the data's age, as
    `attrition sources --format json`."""
    return envelope(service.sources(data(request).ledger))
