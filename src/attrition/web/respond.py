"""What every route shares: the data of the request, the JSON envelope (`{"ok": true, ...}`;
errors `{"ok": false, "error", "status"}`), CSV twins, the response cache, bodies, and the
status of each kind of error."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response

from attrition.dates import parse_day
from attrition.errors import (
    AttritionError,
    FetchError,
    InvalidValueError,
    NotFoundError,
    StoreError,
)
from attrition.web.state import Data, Holder

MAX_BODY = 2 * 1024 * 1024
"""Request bodies above this are refused with 413 (an article is a few tens of KB)."""
COMPUTING = 2
"""Responses computed at once. Python runs one thread at a time: more threads computing only
make each wait longer, and the event loop (answering cached requests) wait behind them all."""
_computing = threading.BoundedSemaphore(COMPUTING)
MAX_JSON_DEPTH = 64
"""A JSON request body nested deeper than this is refused before it is parsed."""


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


def cached(request: Request, make: Callable[[], Response]) -> Response:
    """Answer a GET from the response cache, or compute, remember and answer it. Routes
    calling this are plain functions: FastAPI runs them in a thread, off the event loop."""
    h = holder(request)
    d = h.get()
    key = (request.url.path, request.url.query)
    hit = h.cached(key)
    if hit is not None:
        body, media, status = hit
        return Response(body, status_code=status, media_type=media)
    with _computing:
        resp: Response = make()
    h.remember(key, (bytes(resp.body), resp.media_type or "application/json",
                     resp.status_code), d.version)
    return resp


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


def json_depth_ok(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether no array or object in `raw` opens deeper than `limit` (brackets inside
    strings are skipped), checked without parsing: the parser would recurse that deep."""
    depth = 0
    in_string = escaped = False
    for b in raw:
        if in_string:
            if escaped:
                escaped = False
            elif b == 0x5C:  # backslash
                escaped = True
            elif b == 0x22:
                in_string = False
        elif b == 0x22:
            in_string = True
        elif b in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return False
        elif b in (0x5D, 0x7D):
            depth -= 1
    return True


def load_json_body(raw: bytes) -> Any:
    if not json_depth_ok(raw):
        raise HTTPException(400, f"the body is nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise HTTPException(400, "the body is not valid JSON") from None


def error_payload(exc: Exception) -> tuple[int, str]:
    """The status and message of an error, never a stack trace: the store failing is 503
    (try again), a page or source that could not be fetched 502, anything else the user
    asked wrongly 4xx."""
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail)
    if isinstance(exc, NotFoundError):
        return 404, str(exc)
    if isinstance(exc, StoreError):
        return 503, str(exc)
    if isinstance(exc, FetchError):
        return 502, str(exc)
    if isinstance(exc, InvalidValueError):
        return 422, str(exc)
    if isinstance(exc, AttritionError):
        return 400, str(exc)
    return 500, "internal error (logged on the server)"
