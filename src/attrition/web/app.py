"""The FastAPI application: `create_app(url)`; `attrition serve` runs it with uvicorn."""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attrition.errors import AttritionError
from attrition.web import api, changes, feeds, health, monitor, pages, v2, v2_routes
from attrition.web.caching import HttpCaching
from attrition.web.respond import error_payload
from attrition.web.state import Holder

log = logging.getLogger("attrition.web")


class CachedGets:
    """Answer a GET whose response is cached for the current data straight from the cache,
    before routing: most of a cached request's cost is FastAPI's routing and validation.
    Only while the data is fresh: checking the store (and reloading) is a thread's work."""

    def __init__(self, app: ASGIApp, holder: Holder) -> None:
        self.app = app
        self.holder = holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and self.holder.fresh():
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


INTERNAL = json.dumps({"ok": False, "error": "internal error (logged on the server)",
                       "status": 500}).encode()


class InternalErrors:
    """Any unexpected exception becomes the 500 envelope here, and goes no further: Starlette's
    outermost handler would answer the same and then re-raise it, and uvicorn closes the
    connection of a request whose application raised (a client's keep-alive connection would
    drop with every 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("error on %s", scope.get("path"))
            if started:  # half a response is out: only closing the connection can end it
                raise
            await send({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(INTERNAL)).encode())]})
            await send({"type": "http.response.body", "body": INTERNAL})


class ReadOnlyCors:
    """CORS for reads only: other sites may GET (and ask before they do), never POST. Starlette's
    middleware adds `Access-Control-Allow-Origin` to every simple request whatever its method,
    so requests that are not reads never reach it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET"],
                                   allow_headers=[])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _error(status: int, message: str) -> Response:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def create_app(url: str | None = None, *, ttl: float = 2.0,
               health_max_age_days: float | None = None) -> FastAPI:
    """The app over the store at `url` (default: the user's SQLite file, loading the bundled
    snapshot on a first run)."""
    import sys

    from attrition.bootstrap import ensure_loaded

    ensure_loaded(url)
    # The event loop shares the interpreter with the threads computing responses: hand it
    # the interpreter every millisecond rather than every five, so that a cached answer
    # does not wait behind a brief being computed.
    sys.setswitchinterval(0.001)
    app = FastAPI(title="attrition", version="0.1.0", docs_url=None, redoc_url=None,
                  description="A checkable ledger of the Russian losses reported daily by "
                              "Ukraine's General Staff. Official claims, not independently "
                              "verified; personnel counts killed and wounded.")
    app.state.holder = Holder(url, ttl=ttl)
    app.state.health_max_age_days = health_max_age_days
    app.add_middleware(CachedGets, holder=app.state.holder)
    app.add_middleware(HttpCaching, holder=app.state.holder)  # ETag, 304, HEAD, Link
    app.add_middleware(InternalErrors)
    app.add_middleware(ReadOnlyCors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if pages.wants_page(request):  # a person at a browser: a page, not an envelope
            return pages.error_page(request, api.data(request), exc)
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        if request.url.path.startswith("/api/v2/"):  # a v2 client reads the v2 shape only
            return v2_routes.answer(None, 422, f"{v2.INVALID} ({where})")
        return _error(422, f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(AttritionError)
    async def attrition_error(request: Request, exc: AttritionError) -> Response:
        return _error(*error_payload(exc))

    app.include_router(v2_routes.router)
    app.include_router(api.router)
    app.include_router(changes.router)
    app.include_router(health.router)
    app.include_router(feeds.router)
    app.include_router(monitor.router)
    app.include_router(pages.router)
    app.include_router(v2_routes.fallback)
    static: Any = resources.files("attrition.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def from_env() -> FastAPI:
    """The app over the configured store (for uvicorn's factory mode and several workers)."""
    from attrition import settings

    return create_app(settings.current().db)
