"""The JSON API under /api/ (envelope `{"ok": true, ...}`; errors `{"ok": false, "error",
"status"}`), its CSV twins (`.csv` on the path), and the russianwarship.rip v2 routes."""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from attrition import brief as briefs
from attrition import compare as comparing
from attrition import report as reports
from attrition.analysis import records as rec
from attrition.analysis import series as series_mod
from attrition.analysis.confirmed import Confirmed
from attrition.dates import parse_day
from attrition.errors import AttritionError, CheckError, NotFoundError
from attrition.model import STATUSES
from attrition.web import v2
from attrition.web.state import Data, Holder

MAX_BODY = 2 * 1024 * 1024
"""Request bodies above this are refused with 413 (an article is a few tens of KB)."""
TOKEN_ENV = "ATTRITION_API_TOKEN"
STALE_HOURS = 36

router = APIRouter()
From = Annotated[str | None, Query(alias="from", description="First report date.")]
To = Annotated[str | None, Query(alias="to", description="Last report date.")]
OnDate = Annotated[str, Query(alias="date", description="YYYY-MM-DD or latest.")]
MaybeDate = Annotated[str | None, Query(alias="date", description="The article's date.")]
Cats = Annotated[list[str] | None, Query(description="Categories (repeatable).")]


def holder(request: Request) -> Holder:
    h: Holder = request.app.state.holder
    return h


def data(request: Request) -> Data:
    return holder(request).get()


def day_of(text: str, d: Data) -> date:
    return parse_day(text, lambda: d.latest)


def envelope(payload: dict[str, Any], status: int = 200) -> Response:
    body = json.dumps({"ok": True, **payload}, ensure_ascii=False, default=str)
    return Response(body.encode(), status_code=status, media_type="application/json")


def csv_response(rows: list[dict[str, Any]]) -> Response:
    out = io.StringIO()
    if rows:
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n",
                           extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (";".join(map(str, v)) if isinstance(v, list) else
                            json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v)
                        for k, v in r.items()})
    return Response(out.getvalue().encode(), media_type="text/csv; charset=utf-8")


def cached(request: Request, make: Any) -> Response:
    """Answer a GET from the response cache, or compute, remember and answer it."""
    h = holder(request)
    h.get()
    key = (request.url.path, request.url.query)
    hit = h.cached(key)
    if hit is not None:
        body, media, status = hit
        return Response(body, status_code=status, media_type=media)
    resp: Response = make()
    h.remember(key, (bytes(resp.body), resp.media_type or "application/json",
                     resp.status_code))
    return resp


def data_age(d: Data, now: datetime | None = None) -> dict[str, Any]:
    """How old the newest report is. A report of D is published on the morning of D (Kyiv);
    its age counts from 06:00 UTC that day."""
    now = now or datetime.now(UTC)
    if d.latest is None:
        return {"latest": None, "age_hours": None, "stale": True}
    published = datetime(d.latest.year, d.latest.month, d.latest.day, 6, tzinfo=UTC)
    hours = max(0.0, (now - published).total_seconds() / 3600)
    return {"latest": d.latest.isoformat(), "age_hours": round(hours, 1),
            "stale": hours > STALE_HOURS, "stale_after_hours": STALE_HOURS}


# -- reports, series, records ------------------------------------------------------------


def _report(request: Request, day: str) -> dict[str, Any]:
    d = data(request)
    when = day_of(day, d)
    rows = d.reports.get(when)
    if not rows:
        raise NotFoundError(f"no report for {when} (the ledger runs {d.first} .. {d.latest})")
    return reports.document(rows, when)


@router.get("/api/report/{day}.csv", tags=["ledger"])
async def report_csv(request: Request, day: str) -> Response:
    return cached(request, lambda: csv_response(
        [{k: v for k, v in f.items() if k != "dissent"} for f in _report(request, day)
         ["figures"]]))


@router.get("/api/report/{day}", tags=["ledger"])
async def report(request: Request, day: str) -> Response:
    """The report of a date (`YYYY-MM-DD` or `latest`), as `attrition show --format json`."""
    return cached(request, lambda: envelope(_report(request, day)))


def _series(request: Request, name: str, start: str | None, end: str | None,
            basis: str) -> dict[str, Any]:
    d = data(request)
    s = series_mod.build(name, d.by_category, d.corrections, basis=basis,
                         aggregates=d.aggregates, cache=d.series_cache)
    lo = day_of(start, d) if start else None
    hi = day_of(end, d) if end else None
    return {"name": s.name, "label": s.label, "definition": s.definition,
            "aggregate": s.is_aggregate, "basis": basis,
            "rows": [{"date": p.day.isoformat(), "covers": (p.day - timedelta(days=1))
                      .isoformat(), "change": p.change, "total": p.total, "basis": p.basis,
                      "excluded": p.excluded} for p in s.between(lo, hi)],
            "caveat": reports.CAVEAT}


@router.get("/api/series/{name}.csv", tags=["ledger"])
async def series_csv(request: Request, name: str, start: From = None,
               end: To = None, basis: str = "difference"
               ) -> Response:
    return cached(request, lambda: csv_response(
        _series(request, name, start, end, basis)["rows"]))


@router.get("/api/series/{name}", tags=["ledger"])
async def series(request: Request, name: str, start: From = None,
           end: To = None, basis: str = "difference") -> Response:
    """A category's or aggregate's daily series (report dates), `from`/`to` inclusive."""
    return cached(request, lambda: envelope(_series(request, name, start, end, basis)))


def _records(request: Request, name: str, day: str, window: int, top: int) -> dict[str, Any]:
    d = data(request)
    if not 1 <= window <= 5000 or not 1 <= top <= 1000:
        raise HTTPException(422, "window must be 1..5000 and top 1..1000")
    s = series_mod.build(name, d.by_category, d.corrections, aggregates=d.aggregates,
                         cache=d.series_cache)
    doc = rec.describe(s, day_of(day, d), window, top)
    doc["rows"] = doc.pop("top")  # as every endpoint with a CSV twin calls its rows
    return doc


@router.get("/api/records/{name}.csv", tags=["analysis"])
async def records_csv(request: Request, name: str, day: OnDate = "latest",
                window: int = 30, top: int = 10) -> Response:
    return cached(request, lambda: csv_response(
        _records(request, name, day, window, top)["rows"]))


@router.get("/api/records/{name}", tags=["analysis"])
async def records(request: Request, name: str, day: OnDate = "latest",
            window: int = 30, top: int = 10) -> Response:
    """Ranks of a day's change (7/30/90/365 days, whole war), highest-since, top days."""
    return cached(request, lambda: envelope(_records(request, name, day, window, top)))


# -- brief, compare, sources --------------------------------------------------------------


def brief_doc(d: Data, day: date | None, lang: str, week: str | None = None,
              month: str | None = None) -> dict[str, Any]:
    if lang not in ("en", "uk"):
        raise HTTPException(422, "lang must be en or uk")
    if week or month:
        return briefs.period(d.by_category, d.corrections, week=week, month=month, lang=lang,
                             aggregates=d.aggregates)
    assert day is not None
    rows = d.reports.get(day)
    if not rows:
        raise NotFoundError(f"no report for {day}")
    return briefs.daily(d.by_category, d.corrections, rows, lang=lang,
                        aggregates=d.aggregates, confirmed=d.confirmed_view)


def _brief_response(doc: dict[str, Any], fmt: str) -> Response:
    if fmt == "text":
        return Response(doc["text"].encode(), media_type="text/plain; charset=utf-8")
    if fmt == "markdown":
        return Response(briefs.markdown(doc).encode(), media_type="text/markdown; charset=utf-8")
    if fmt != "json":
        raise HTTPException(422, "format must be json, text or markdown")
    return envelope(doc)


@router.get("/api/brief", tags=["outputs"])
async def brief_period(request: Request, week: str | None = None, month: str | None = None,
                 lang: str = "en", format: str = "json") -> Response:
    """The brief of an ISO week (`2024-W46`) or a month (`2024-11`), or of the latest report."""
    def make() -> Response:
        d = data(request)
        doc = brief_doc(d, d.latest, lang, week, month)
        return _brief_response(doc, format)

    return cached(request, make)


@router.get("/api/brief/{day}", tags=["outputs"])
async def brief(request: Request, day: str, lang: str = "en", format: str = "json") -> Response:
    """The brief of a report: text, markdown or the JSON document with its `facts`."""
    def make() -> Response:
        d = data(request)
        return _brief_response(brief_doc(d, day_of(day, d), lang), format)

    return cached(request, make)


def compare_doc(d: Data, start: str | None, end: str | None, category: list[str] | None,
                status: str | None) -> dict[str, Any]:
    statuses: tuple[str, ...] = STATUSES
    if status:
        statuses = tuple(s.strip().lower() for s in status.split(",") if s.strip())
        bad = [s for s in statuses if s not in STATUSES]
        if bad:
            raise HTTPException(422, f"unknown status {', '.join(bad)}")
    conf = Confirmed("oryx", d.confirmed_counts, d.crosswalk, statuses=statuses)
    return comparing.compare(d.by_category, conf, d.crosswalk,
                             start=day_of(start, d) if start else None,
                             end=day_of(end, d) if end else None, names=category)


@router.get("/api/compare.csv", tags=["analysis"])
async def compare_csv(request: Request, start: From = None,
                end: To = None,
                category: Cats = None, status: str | None = None
                ) -> Response:
    return cached(request, lambda: csv_response(
        [{k: v for k, v in r.items() if k != "components"}
         for r in compare_doc(data(request), start, end, category, status)["rows"]]))


@router.get("/api/compare", tags=["analysis"])
async def compare(request: Request, start: From = None,
            end: To = None,
            category: Cats = None, status: str | None = None) -> Response:
    """Claimed (General Staff) against visually confirmed (Oryx) losses per category."""
    return cached(request, lambda: envelope(
        compare_doc(data(request), start, end, category, status)))


def _sources(d: Data) -> dict[str, Any]:
    return {"rows": d.sources, "data_age": data_age(d),
            "confirmed": [{"source": s, "retrieved_at": t}
                          for s, t in sorted(d.confirmed_retrieved.items())],
            "first": d.first.isoformat() if d.first else None}


@router.get("/api/sources.csv", tags=["ledger"])
async def sources_csv(request: Request) -> Response:
    return csv_response(_sources(data(request))["rows"])


@router.get("/api/sources", tags=["ledger"])
async def sources(request: Request) -> Response:
    """The sources in the store, their date ranges and licences, and the data's age."""
    return envelope(_sources(data(request)))


# -- check ----------------------------------------------------------------------------------


async def read_body(request: Request) -> bytes:
    """The body, refused with 413 past MAX_BODY whatever Content-Length claims."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413, f"request body over {MAX_BODY:,} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise HTTPException(413, f"request body over {MAX_BODY:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def run_check(d: Data, text: str, day: str | None, source: str) -> dict[str, Any]:
    from attrition.check import check_text

    given = parse_day(day) if day else None
    return check_text(text, d.ledger_view, given, source=source, confirmed=d.confirmed_view)


def fetch_article(url: str) -> str:
    from attrition.check.fetch import fetch_url

    return fetch_url(url, public_only=True)  # never the server's own network


@router.post("/api/check", tags=["outputs"])
async def check(request: Request, day: MaybeDate = None) -> Response:
    """Check an article: the body is its text (`text/plain`), or JSON `{"text" | "url",
    "date"}`. Returns the `attrition check --format json` document."""
    raw = await read_body(request)
    ctype = request.headers.get("content-type", "")
    source = "request body"
    if ctype.startswith("application/json"):
        try:
            doc = json.loads(raw or b"{}")
        except ValueError:
            raise HTTPException(400, "the body is not valid JSON") from None
        if not isinstance(doc, dict):
            raise HTTPException(400, 'expected {"text": ...} or {"url": ...}')
        day = str(doc["date"]) if doc.get("date") else day
        if doc.get("url"):
            source = str(doc["url"])
            text = await run_in_threadpool(fetch_article, source)
        else:
            given = doc.get("text")
            text = given if isinstance(given, str) else ""
        if not text and not doc.get("url"):
            raise HTTPException(400, 'expected {"text": "..."} or {"url": "..."}')
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(400, "the body is not UTF-8 text") from None
    if not text.strip():
        raise CheckError("the article is empty")
    d = data(request)
    result = await run_in_threadpool(run_check, d, text, day, source)
    return envelope(result)


# -- writes (token only) ----------------------------------------------------------------------


def require_token(request: Request) -> None:
    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise HTTPException(403, f"read-only: set {TOKEN_ENV} to allow writes")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "missing or wrong token")


def _ingest_bytes(url: str | None, body: bytes, name: str, fmt: str | None) -> dict[str, Any]:
    from attrition import daybook
    from attrition import ingest as ing
    from attrition.model import Batch
    from attrition.store.db import Store

    safe = Path(name).name or "upload.txt"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe
        path.write_bytes(body)
        batch = ing.read_path(path, fmt)
    batch.address = f"upload:{safe}"
    with Store(url) as store:
        if isinstance(batch, Batch):
            r = store.ingest([batch], input=f"api upload {safe}")
            daybook.refresh(store)
            return {"figures": r.observations, "new": r.new, "revised": r.revised,
                    "cells": r.cells}
        c = store.ingest_confirmed([batch], input=f"api upload {safe}")
        daybook.refresh(store)
        return {"counts_new": c.counts_new, "items_new": c.items_new}


@router.post("/api/ingest", tags=["writes"])
async def ingest(request: Request, name: str = "upload.txt", format: str | None = None
                 ) -> Response:
    """Add one file (the body) to the store. Needs `Authorization: Bearer $ATTRITION_API_TOKEN`."""
    require_token(request)
    body = await read_body(request)
    h = holder(request)
    result = await run_in_threadpool(_ingest_bytes, h.url, body, name, format)
    h.reload()
    return envelope({"ingested": result})


def _update(url: str | None, since: date | None) -> dict[str, Any]:
    import httpx

    from attrition import daybook
    from attrition import update as upd
    from attrition.store.db import Store

    with httpx.Client(timeout=20, follow_redirects=True) as client:
        fetched = upd.fetch(client, since)
    if not fetched.batches:
        return {"figures": 0, "failures": fetched.failures}
    with Store(url) as store:
        r = store.ingest(fetched.batches, input="api update")
        daybook.refresh(store)
    return {"figures": r.observations, "new": r.new, "failures": fetched.failures}


@router.post("/api/update", tags=["writes"])
async def update(request: Request) -> Response:
    """Fetch newer reports and ingest them. Needs the token, like /api/ingest."""
    require_token(request)
    h = holder(request)
    result = await run_in_threadpool(_update, h.url, h.get().latest)
    h.reload()
    return envelope({"update": result})


# -- russianwarship.rip API v2 ----------------------------------------------------------------


def _v2(payload: Any, status: int = 200, message: str = v2.MESSAGE) -> Response:
    return JSONResponse({"message": message, "data": payload}, status_code=status)


@router.get("/api/v2/statistics/latest", tags=["russianwarship v2"])
async def v2_latest(request: Request) -> Response:
    def make() -> Response:
        d = data(request)
        if d.latest is None:
            return _v2(None, 422, "No data")
        return _v2(v2.record(d.reports[d.latest]))

    return cached(request, make)


@router.get("/api/v2/statistics/{day}", tags=["russianwarship v2"])
async def v2_day(request: Request, day: str) -> Response:
    def make() -> Response:
        d = data(request)
        try:
            when = date.fromisoformat(day)
        except ValueError:
            return _v2(None, 422, f"The date {day!r} is not a valid date (YYYY-MM-DD).")
        rows = d.reports.get(when)
        if not rows:
            return _v2(None, 422, f"There is no statistics for {when.isoformat()}.")
        return _v2(v2.record(rows))

    return cached(request, make)


@router.get("/api/v2/statistics", tags=["russianwarship v2"])
async def v2_range(request: Request, date_from: str | None = None, date_to: str | None = None,
             offset: int = 0, limit: int = 50) -> Response:
    def make() -> Response:
        d = data(request)
        if d.latest is None or d.first is None:
            return _v2(None, 422, "No data")
        try:
            lo = date.fromisoformat(date_from) if date_from else d.first
            hi = date.fromisoformat(date_to) if date_to else d.latest
        except ValueError:
            return _v2(None, 422, "date_from and date_to must be YYYY-MM-DD")
        if offset < 0 or not 1 <= limit <= 1000:
            return _v2(None, 422, "offset must be >= 0 and limit 1..1000")
        days = sorted(x for x in d.reports if lo <= x <= hi)
        chosen, paging = v2.page(days, offset, limit, str(request.url).split("?")[0], lo, hi)
        return _v2({"paging": paging, "records": [v2.record(d.reports[x]) for x in chosen]})

    return cached(request, make)


@router.get("/api/v2/terms/{lang}", tags=["russianwarship v2"])
async def v2_terms(lang: str) -> Response:
    if lang not in ("ua", "en"):
        return _v2(None, 422, "lang must be ua or en")
    return _v2(v2.terms(lang))


def error_payload(exc: Exception) -> tuple[int, str]:
    """The status and message of an error, never a stack trace."""
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail)
    if isinstance(exc, NotFoundError):
        return 404, str(exc)
    if isinstance(exc, AttritionError):
        return 400, str(exc)
    return 500, "internal error (logged on the server)"
