"""The FastAPI application: `create_app(url)`; `attrition serve` runs it with uvicorn."""

from __future__ import annotations

import logging
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from attrition.errors import AttritionError
from attrition.web import api, changes, pages, v2_routes
from attrition.web.caching import HttpCaching
from attrition.web.state import Holder

log = logging.getLogger("attrition.web")


class CachedGets:
    """Answer a GET whose response is cached for the current data straight from the cache,
    before routing: most of a cached request's cost is FastAPI's routing and validation."""

    def __init__(self, app: ASGIApp, holder: Holder) -> None:
        self.app = app
        self.holder = holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            self.holder.get()
            hit = self.holder.cached((scope["path"], scope["query_string"].decode("latin-1")))
            if hit is not None:
                body, media, status = hit
                if media.startswith("text/") and "charset" not in media:
                    media += "; charset=utf-8"
                await send({"type": "http.response.start", "status": status, "headers": [
                    (b"content-type", media.encode("latin-1")),
                    (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _error(status: int, message: str) -> Response:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def create_app(url: str | None = None, *, ttl: float = 2.0) -> FastAPI:
    """The app over the store at `url` (default: the user's SQLite file, loading the bundled
    snapshot on a first run)."""
    from attrition.bootstrap import ensure_loaded

    ensure_loaded(url)
    app = FastAPI(title="attrition", version="0.1.0", docs_url=None, redoc_url=None,
                  description="A checkable ledger of the Russian losses reported daily by "
                              "Ukraine's General Staff. Official claims, not independently "
                              "verified; personnel counts killed and wounded.")
    app.state.holder = Holder(url, ttl=ttl)
    app.add_middleware(CachedGets, holder=app.state.holder)
    app.add_middleware(HttpCaching, holder=app.state.holder)  # ETag, 304, HEAD, Link
    # Read-only CORS: other sites may GET, never POST.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"],
                       allow_headers=[])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if pages.wants_page(request):  # a person at a browser: a page, not an envelope
            return pages.error_page(request, api.data(request), exc)
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return _error(422, f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(AttritionError)
    async def attrition_error(request: Request, exc: AttritionError) -> Response:
        return _error(*api.error_payload(exc))

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception) -> Response:
        status, message = api.error_payload(exc)
        if status == 500:
            log.exception("error on %s", request.url.path)
        return _error(status, message)

    app.include_router(v2_routes.router)
    app.include_router(api.router)
    app.include_router(changes.router)
    app.include_router(pages.router)
    app.include_router(v2_routes.fallback)
    static: Any = resources.files("attrition.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def from_env() -> FastAPI:
    """The app over ATTRITION_DB (for uvicorn's factory mode and several workers)."""
    import os

    return create_app(os.environ.get("ATTRITION_DB"))
