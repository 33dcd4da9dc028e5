"""The routes that write (POST /api/ingest, /api/update): closed unless the server has a
token (ATTRITION_API_TOKEN), and then only for requests that carry it."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from attrition import service, settings
from attrition.web import models as m
from attrition.web.models import answers
from attrition.web.respond import envelope, holder, read_body

router = APIRouter()
Name = Annotated[str, Query(max_length=service.MAX_NAME, description=(
    "The file's name: its suffix chooses the reader (.json, .csv, .txt), a bulletin's may "
    "carry its date."))]


def require_token(request: Request) -> None:
    token = settings.current().api_token
    if not token:
        raise HTTPException(403, "read-only: set ATTRITION_API_TOKEN to allow writes")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "missing or wrong token")


@router.post("/api/ingest", tags=["writes"], openapi_extra=m.FILE_BODY,
             **answers(m.IngestDoc, 400, 401, 403, 413, 422, 503, get=False))
async def ingest(request: Request, name: Name = "upload.txt", format: str | None = None
                 ) -> Response:
    """Add one file (the body) to the store. Needs `Authorization: Bearer $ATTRITION_API_TOKEN`."""
    require_token(request)
    service.upload_name(name)
    body = await read_body(request)
    h = holder(request)
    result = await run_in_threadpool(service.ingest_upload, h.url, name, body, format)
    await run_in_threadpool(h.reload)
    return envelope({"ingested": result.to_dict()})


def _update(url: str | None) -> dict[str, Any]:
    import httpx

    with httpx.Client(timeout=20, follow_redirects=True) as client:
        return service.update(url, client).to_dict()


@router.post("/api/update", tags=["writes"],
             **answers(m.UpdateDoc, 401, 403, 503, get=False))
async def update(request: Request) -> Response:
    """Fetch newer reports and Oryx's newest confirmed counts, and ingest them, as
    `attrition update`. Needs the token, like /api/ingest."""
    require_token(request)
    h = holder(request)
    result = await run_in_threadpool(_update, h.url)
    await run_in_threadpool(h.reload)
    return envelope({"update": result})
