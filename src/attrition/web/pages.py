"""The dashboard: server-rendered pages (Jinja2, autoescaped), working offline: the CSS, the
small script and the charts are all served from here, nothing from a CDN."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from attrition import categories, charts
from attrition.addresses import web_address
from attrition.analysis import series as series_mod
from attrition.analysis import windows
from attrition.analysis.confirmed import Confirmed
from attrition.errors import AttritionError
from attrition.web import api
from attrition.web.state import Data

router = APIRouter()
env = Environment(loader=PackageLoader("attrition.web", "templates"),
                  autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
# an address from a mirror is a link only when it is an http(s) one (attrition.addresses)
env.tests["web_address"] = lambda v: web_address(v) is not None
env.filters["num"] = lambda v: "" if v is None else f"{v:,}".replace(",", "\u2009")
env.filters["signed"] = lambda v: "" if v is None else (
    f"+{v:,}" if v >= 0 else f"{v:,}").replace(",", "\u2009")

UI = {
    "en": {
        "title": "attrition", "dashboard": "Latest report", "brief": "Brief",
        "check": "Check an article", "compare": "Claimed vs confirmed", "api": "API",
        "report_of": "Report of {date}, losses of {covers}", "age": "newest report {hours} h old",
        "stale": "stale: newest report {hours} h old", "mean7": "7-day mean",
        "prev7": "previous 7", "mean30": "30-day mean", "record_war": "war record",
        "record_days": "most in {days} days", "copy": "Copy", "copied": "Copied",
        "record_war_equalled": "equals the war record",
        "record_days_equalled": "equals the most in {days} days",
        "paste": "Paste the article text", "or_url": "or give its address (needs a network)",
        "date": "Article date (optional)", "run": "Check", "evidence": "Evidence",
        "claimed": "claimed", "confirmed": "confirmed", "ratio": "ratio", "lag": "lag (days)",
        "as_of": "as of", "category": "category", "basis": "basis",
        "source": "Source: General Staff of the Armed Forces of Ukraine.",
        "caveat": "Official Ukrainian claims, not independently verified; personnel counts "
                  "killed and wounded.",
        "verdicts": "Verdicts", "no_claims": "No loss figures found.",
        "markdown": "Markdown", "json": "JSON", "charts": "Charts",
    },
    "uk": {
        "title": "attrition", "dashboard": "Останнє зведення", "brief": "Коротко",
        "check": "Перевірити статтю", "compare": "Заявлено і підтверджено", "api": "API",
        "report_of": "Зведення від {date}, втрати за {covers}",
        "age": "найновішому зведенню {hours} год",
        "stale": "застаріло: найновішому зведенню {hours} год", "mean7": "середнє за 7 днів",
        "prev7": "попередні 7", "mean30": "середнє за 30 днів",
        "record_war": "рекорд війни", "record_days": "найбільше за {days} днів",
        "record_war_equalled": "дорівнює рекорду війни",
        "record_days_equalled": "дорівнює найбільшому за {days} днів",
        "copy": "Копіювати", "copied": "Скопійовано",
        "paste": "Вставте текст статті", "or_url": "або її адресу (потрібна мережа)",
        "date": "Дата статті (необов'язково)", "run": "Перевірити", "evidence": "Докази",
        "claimed": "заявлено", "confirmed": "підтверджено", "ratio": "співвідношення",
        "lag": "відставання (днів)", "as_of": "станом на", "category": "категорія",
        "basis": "основа", "source": "Джерело: Генеральний штаб Збройних сил України.",
        "caveat": "Це офіційні дані української сторони, не перевірені незалежно; втрати "
                  "особового складу — це вбиті та поранені.",
        "verdicts": "Висновки", "no_claims": "Цифр втрат не знайдено.",
        "markdown": "Markdown", "json": "JSON", "charts": "Графіки",
    },
}


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in UI else "en"


def _page(request: Request, template: str, d: Data, **ctx: Any) -> HTMLResponse:
    lang = ctx.pop("lang", None) or _lang(request)
    age = api.data_age(d)
    html = env.get_template(template).render(
        t=UI[lang], lang=lang, age=age, path=request.url.path,
        labels={c.id: (c.uk if lang == "uk" else c.en) for c in categories.CATEGORIES},
        **ctx)
    return HTMLResponse(html)


def _cards(d: Data, day: date, lang: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    doc = api.brief_doc(d, day, lang)
    cards = []
    for f in doc["facts"]:
        if f.get("definition"):
            continue
        s = series_mod.build(f["category"], d.by_category, d.corrections,
                             aggregates=d.aggregates, cache=d.series_cache)
        wow = windows.week_on_week(s, day)
        m30 = windows.last_days(s, day, 30)
        cards.append({**f, "mean7": wow.current.mean, "prev7": wow.previous.mean,
                      "mean30": m30.mean})
    return cards, doc


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request) -> Response:
    def make() -> Response:
        d = api.data(request)
        lang = _lang(request)
        day = d.latest
        if day is None:
            return _page(request, "error.html", d, message="the store is empty")
        cards, doc = _cards(d, day, lang)
        return _page(request, "index.html", d, day=day, covers=day - timedelta(days=1),
                     cards=cards, brief=doc, headline=doc["headline_category"] or "vehicles")

    return api.cached(request, make)


@router.get("/brief", response_class=HTMLResponse, include_in_schema=False)
def brief_page(request: Request) -> Response:
    def make() -> Response:
        d = api.data(request)
        lang = _lang(request)
        day = api.day_of(request.query_params.get("date", "latest"), d)
        doc = api.brief_doc(d, day, lang)
        return _page(request, "brief.html", d, doc=doc, day=day,
                     paragraphs=doc["text"].split("\n\n"))

    return api.cached(request, make)


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request) -> Response:
    def make() -> Response:
        d = api.data(request)
        to = request.query_params.get("to")
        doc = api.compare_doc(d, None, to, None, None)
        return _page(request, "compare.html", d, doc=doc, to=doc["to"])

    return api.cached(request, make)


def segments(claim_doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The article as sentences, each cut into plain text and highlighted claims (the
    template escapes every piece)."""
    out: list[dict[str, Any]] = []
    by_sentence: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    order: list[str] = []
    for i, c in enumerate(claim_doc["claims"]):
        if c["sentence"] not in by_sentence:
            order.append(c["sentence"])
        by_sentence.setdefault(c["sentence"], []).append((i, c))
    for sent in order:
        parts: list[dict[str, Any]] = []
        pos = 0
        for i, c in by_sentence[sent]:
            at = sent.find(c["text"], pos)
            if at < 0:
                continue
            if at > pos:
                parts.append({"text": sent[pos:at]})
            parts.append({"text": c["text"], "claim": c, "i": i})
            pos = at + len(c["text"])
        parts.append({"text": sent[pos:]})
        out.append({"parts": parts})
    return out


@router.get("/check", response_class=HTMLResponse, include_in_schema=False)
def check_form(request: Request) -> Response:
    d = api.data(request)
    return _page(request, "check.html", d, result=None, text="", url="", day="")


@router.post("/check", response_class=HTMLResponse, include_in_schema=False)
async def check_page(request: Request) -> Response:
    raw = await api.read_body(request)
    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace"),
                                         keep_blank_values=True).items()}
    text, url, day = form.get("text", ""), form.get("url", "").strip(), form.get("date", "")
    lang = form.get("lang") if form.get("lang") in UI else _lang(request)
    d = await run_in_threadpool(api.data, request)
    result = error = None
    try:
        if url:
            text = await api.fetch_bounded(url)
        if not text.strip():
            raise AttritionError("paste an article or give its address")
        result = await run_in_threadpool(api.run_check, d, text, day.strip() or None,
                                         url or "pasted text")
    except AttritionError as exc:
        error = str(exc)
    return _page(request, "check.html", d, lang=lang, result=result, error=error, text=text,
                 url=url, day=day, sentences=segments(result) if result else [])


# -- charts -----------------------------------------------------------------------------------


def _svg(draw: Any) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "chart.svg"
        draw(out)
        return out.read_bytes()


@router.get("/charts/compare.svg", include_in_schema=False)
def compare_chart(request: Request) -> Response:
    def make() -> Response:
        d = api.data(request)
        to = request.query_params.get("to")
        hi = api.day_of(to, d) if to else d.latest
        conf = Confirmed("oryx", d.confirmed_counts, d.crosswalk)
        from attrition.compare import Claimed, chart_panel

        claimed = Claimed(d.by_category)
        panels = [chart_panel(d.crosswalk.row(name), claimed, conf, d.by_category, None, hi)
                  for name in ("tanks", "afv", "artillery", "vehicles_fuel_tanks")]
        body = _svg(lambda out: charts.draw_compare(
            panels, out, title="Claimed (General Staff) and visually confirmed (Oryx)",
            source_line=comparing_caveat()))
        return Response(body, media_type="image/svg+xml")

    return api.cached(request, make)


def comparing_caveat() -> str:
    from attrition.compare import CONFIRMED_CAVEAT

    return f"{charts.SOURCE_LINE} {CONFIRMED_CAVEAT}"


@router.get("/charts/{name}.svg", include_in_schema=False)
def chart(request: Request, name: str) -> Response:
    def make() -> Response:
        d = api.data(request)
        q = request.query_params
        hi = api.day_of(q.get("to", "latest"), d)
        try:
            days = max(7, min(int(q.get("days", "90")), 2000))
        except ValueError:
            days = 90
        s = series_mod.build(name, d.by_category, d.corrections, aggregates=d.aggregates,
                             cache=d.series_cache)
        mark = api.day_of(q["date"], d) if q.get("date") else hi
        body = _svg(lambda out: charts.draw(s, out, start=hi - timedelta(days=days), end=hi,
                                            highlight=mark))
        return Response(body, media_type="image/svg+xml")

    return api.cached(request, make)


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request) -> Response:
    """The OpenAPI description as a page that needs no CDN (Swagger UI would fetch its
    scripts from one); the machine-readable form is /openapi.json."""
    spec = request.app.openapi()
    ops = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ops.append({"path": path, "method": method.upper(), "summary": op.get("summary"),
                        "description": op.get("description", ""), "tags": op.get("tags", []),
                        "params": [{"name": p["name"], "in": p["in"],
                                    "required": p.get("required", False),
                                    "description": p.get("description", "")}
                                   for p in op.get("parameters", [])]})
    return _page(request, "docs.html", api.data(request), spec=spec, ops=ops)
