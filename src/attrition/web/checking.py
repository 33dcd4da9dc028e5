"""The fact-checker's route: POST /api/check (the page /check shares its steps).

Checking and fetching run in threads, off the event loop. URL fetches are slow and many may
be asked at once, so at most FETCHES run together; the others wait for a slot without holding
a thread (a pasted text is checked meanwhile), and a request that waits longer than
FETCH_WAIT seconds is answered 503.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from attrition.dates import parse_published
from attrition.errors import CheckError
from attrition.web import models as m
from attrition.web.models import answers
from attrition.web.respond import data, envelope, load_json_body, read_body
from attrition.web.state import Data

router = APIRouter()
MaybeDate = Annotated[str | None, Query(alias="date", description="The article's date.")]
AsOf = Annotated[str | None, Query(
    description="Judge on what had been published at this time (e.g. the article's "
                "publication time): an ISO date or date-time, Kyiv time unless zoned.")]
FETCHES = 4
FETCH_WAIT = 10.0
_slots: dict[int, asyncio.Semaphore] = {}


def run_check(d: Data, text: str, day: str | None, source: str,
              as_of: str | None = None) -> dict[str, Any]:
    """The check document, as `attrition check --format json` gives it."""
    given = parse_published(day) if day else None
    return d.checker.check(text, given, source=source, as_of=as_of)


def fetch_article(url: str) -> str:
    from attrition.check.fetch import fetch_url

    return fetch_url(url, public_only=True)  # never the server's own network


async def fetch_bounded(url: str) -> str:
    """`fetch_article` in a thread, at most FETCHES at a time (per event loop)."""
    loop = id(asyncio.get_running_loop())
    slots = _slots.setdefault(loop, asyncio.Semaphore(FETCHES))
    try:
        await asyncio.wait_for(slots.acquire(), FETCH_WAIT)
    except TimeoutError:
        raise HTTPException(503, f"busy fetching other articles; try again in a minute "
                                 f"(at most {FETCHES} at a time)") from None
    try:
        return await run_in_threadpool(fetch_article, url)
    finally:
        slots.release()


@router.post("/api/check", tags=["outputs"], openapi_extra=m.CHECK_BODY,
             **answers(m.CheckDoc, 400, 413, 422, 502, 503, get=False))
async def check(request: Request, day: MaybeDate = None, as_of: AsOf = None) -> Response:
    """Check an article: the body is its text (`text/plain`), or JSON `{"text" | "url",
    "date", "as_of"}`. Returns the `attrition check --format json` document (with `as_of`,
    as `check --as-of`)."""
    raw = await read_body(request)
    ctype = request.headers.get("content-type", "")
    source = "request body"
    if ctype.startswith("application/json"):
        doc = load_json_body(raw)
        if not isinstance(doc, dict):
            raise HTTPException(400, 'expected {"text": ...} or {"url": ...}')
        day = str(doc["date"]) if doc.get("date") else day
        as_of = str(doc["as_of"]) if doc.get("as_of") else as_of
        if doc.get("url"):
            source = str(doc["url"])
            text = await fetch_bounded(source)
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
    d = await run_in_threadpool(data, request)
    result = await run_in_threadpool(run_check, d, text, day, source, as_of)
    return envelope(result)
