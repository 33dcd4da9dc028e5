"""The dashboard: server-rendered pages (Jinja2, autoescaped), working offline: the CSS, the
small script and the charts are all served from here, nothing from a CDN."""

from __future__ import annotations

import bisect
import json
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from attrition import charts, service, words
from attrition.addresses import web_address
from attrition.analysis import series as series_mod
from attrition.analysis import windows
from attrition.analysis.confirmed import Confirmed
from attrition.errors import AttritionError
from attrition.web import api, errors_uk
from attrition.web.state import Data

router = APIRouter()
env = Environment(loader=PackageLoader("attrition.web", "templates"),
                  autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
# an address from a mirror is a link only when it is an http(s) one (attrition.addresses)
env.tests["web_address"] = lambda v: web_address(v) is not None


def number(v: float | None, lang: str, decimals: int = 0, sign: bool = False) -> str:
    """A number as the brief beside it writes it: 1,351.4 in English, 1 351,4 in Ukrainian
    (a no-break space groups the thousands)."""
    if v is None:
        return "–"
    text = f"{v:{'+' if sign else ''},.{decimals}f}"
    if lang == "uk":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


@pass_context
def _num(ctx: Any, v: float | None, decimals: int = 0) -> str:
    return "" if v is None else number(v, ctx.get("lang", "en"), decimals)


@pass_context
def _signed(ctx: Any, v: int | None) -> str:
    return "" if v is None else number(v, ctx.get("lang", "en"), sign=True)


env.filters["num"] = _num
env.filters["signed"] = _signed


def _ticks(text: str) -> Markup:
    """A description's `code` as <code> (the rest escaped), as /docs shows it."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


env.filters["ticks"] = _ticks

UI: dict[str, dict[str, Any]] = {
    "en": {
        "title": "attrition", "dashboard": "Latest report", "brief": "Brief",
        "check": "Check an article", "compare": "Claimed vs confirmed", "api": "API",
        "report_of": "Report of {date}, losses of {covers}",
        "age": "newest report {days} days old", "age_today": "newest report today",
        "stale": "stale: newest report {days} days old", "mean7": "7-day mean",
        "prev7": "7 days before", "mean30": "30-day mean", "record_war": "war record",
        "prev7_help": "the mean daily change of the 7 reports before these 7",
        "announced": "the bulletin printed this change",
        "flags": {"correction": "a correction, not a day's loss",
                  "two_day": "covers two days: not a day's loss",
                  "stale": "repeats the report before",
                  "disputed": "disputed: the sources disagree", "single": "one source"},
        "missing": "not in this report (earlier reports carried it)",
        "earlier": "← previous report", "later": "next report →", "go": "Show",
        "pick_date": "Report date", "week": "Week", "month": "Month",
        "period": "Reports {start} to {end}", "from": "From", "to": "To",
        "statuses": "Confirmed statuses", "categories": "Categories", "all": "all",
        "none_is_all": "none ticked: every line",
        "status_words": {"destroyed": "destroyed", "damaged": "damaged",
                         "abandoned": "abandoned", "captured": "captured"},
        "claimed_on": "claimed on {date}", "confirmed_on": "confirmed on {date}",
        "claimed_latest": "claimed by {date}", "notes": "Notes",
        "scrolls": "The table scrolls sideways.", "enlarge": "Open the chart full size",
        "error": "Something went wrong", "not_found": "Not found",
        "bad_request": "That request cannot be answered",
        "ledger_runs": "The ledger runs from {first} to {latest}.", "home": "Latest report",
        "date_given": "given", "date_header": "from the article's header",
        "date_line": "from its first dated line", "date_default": "the newest report",
        "comparative": "comparative claim", "shown": "shown", "claims": "claims",
        "rank": "rank {rank} of {of}", "rank_days": "in {days} days",
        "rank_war": "since the war began", "higher_on": "the last higher: {date} ({value})",
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
        "monitor": "Monitor", "days90": "90 days",
    },
    "uk": {
        "title": "attrition", "dashboard": "Останнє зведення", "brief": "Коротко",
        "check": "Перевірити статтю", "compare": "Заявлено і підтверджено", "api": "API",
        "report_of": "Зведення від {date}, втрати за {covers}",
        "age": "найновішому зведенню {days} дн.", "age_today": "найновіше зведення сьогодні",
        "stale": "застаріло: найновішому зведенню {days} дн.", "mean7": "середнє за 7 днів",
        "prev7": "7 днів перед тим", "mean30": "середнє за 30 днів",
        "prev7_help": "середня добова зміна за 7 зведень перед цими сімома",
        "announced": "таку зміну надруковано у зведенні",
        "flags": {"correction": "виправлення, а не втрати за добу",
                  "two_day": "дані за дві доби, а не втрати за добу",
                  "stale": "повторює попереднє зведення",
                  "disputed": "спірні дані: джерела розходяться", "single": "одне джерело"},
        "missing": "у зведенні немає даних (попередні зведення їх містили)",
        "earlier": "← попереднє зведення", "later": "наступне зведення →", "go": "Показати",
        "pick_date": "Дата зведення", "week": "Тиждень", "month": "Місяць",
        "period": "Зведення з {start} по {end}", "from": "З", "to": "По",
        "statuses": "Підтверджені статуси", "categories": "Категорії", "all": "усі",
        "none_is_all": "нічого не позначено: усі рядки",
        "status_words": {"destroyed": "знищено", "damaged": "пошкоджено",
                         "abandoned": "покинуто", "captured": "захоплено"},
        "claimed_on": "заявлено на {date}", "confirmed_on": "підтверджено на {date}",
        "claimed_latest": "заявлено на {date}", "notes": "Примітки",
        "scrolls": "Таблицю можна прокручувати вбік.", "enlarge": "Відкрити графік повністю",
        "error": "Щось пішло не так", "not_found": "Не знайдено",
        "bad_request": "На цей запит неможливо відповісти",
        "ledger_runs": "Дані охоплюють період з {first} по {latest}.",
        "home": "Останнє зведення",
        "date_given": "вказана", "date_header": "із заголовка статті",
        "date_line": "з першого рядка з датою", "date_default": "найновіше зведення",
        "comparative": "порівняльне твердження", "shown": "показано",
        "claims": "тверджень",
        "rank": "{rank}-е місце з {of}", "rank_days": "за {days} днів",
        "rank_war": "від початку війни", "higher_on": "останнє більше: {date} ({value})",
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
        "monitor": "Монітор", "days90": "90 днів",
    },
}


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in UI else "en"


def _page(request: Request, template: str, d: Data, status: int = 200, **ctx: Any
          ) -> HTMLResponse:
    lang = ctx.pop("lang", None) or _lang(request)
    age = api.data_age(d)
    age["days"] = int(age["age_hours"] // 24) if age.get("age_hours") is not None else None
    # the language links keep what the page shows (its date, week, period)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    html = env.get_template(template).render(
        t=UI[lang], lang=lang, age=age, path=request.url.path,
        query_en=urlencode([*kept, ("lang", "en")]), query_uk=urlencode([*kept, ("lang", "uk")]),
        first_report=d.first,
        labels={name: words.heading(name, lang) for name in words.UK_NOMINATIVE},
        verdict_names={v: words.verdict(v, lang) for v in words.VERDICTS},
        **ctx)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, d: Data, exc: Exception, lang: str | None = None
               ) -> HTMLResponse:
    """An HTML page for a failed page request, in the page's language, with the status
    the JSON API would give (people get a page with a way back, not an envelope)."""
    if isinstance(exc, StarletteHTTPException):  # FastAPI's HTTPException too
        status, message = exc.status_code, str(exc.detail)
    else:
        status, message = api.error_payload(exc)
    lang = lang or _lang(request)
    t = UI[lang]
    heading = t["not_found"] if status == 404 else t["bad_request"] if status < 500 \
        else t["error"]
    if lang == "uk":
        message = errors_uk.ukrainian(message)
    return _page(request, "error.html", d, status=status, lang=lang, heading=heading,
                 message=message)


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API, a chart or a static file)."""
    path = request.url.path
    return (request.method in ("GET", "HEAD") and "text/html" in request.headers.get(
        "accept", "") and not path.startswith(("/api/", "/charts/", "/static/")))


def _html(request: Request, make: Callable[[], Response]) -> Response:
    """A cached page whose errors are pages too."""
    def guarded() -> Response:
        try:
            return make()
        except (AttritionError, HTTPException, ValueError) as exc:
            return error_page(request, api.data(request), exc)

    return api.cached(request, guarded)


def _neighbours(d: Data, day: date) -> tuple[date | None, date | None]:
    """The report dates just before and after `day`."""
    days = sorted(d.reports)
    i = bisect.bisect_left(days, day)
    before = days[i - 1] if i > 0 else None
    j = bisect.bisect_right(days, day)
    after = days[j] if j < len(days) else None
    return before, after


def _report_day(request: Request, d: Data) -> date:
    day = api.day_of(request.query_params.get("date") or "latest", d)
    if day not in d.reports:
        from attrition.errors import NotFoundError

        raise NotFoundError(f"no report for {day} (the ledger runs {d.first} .. {d.latest})")
    return day


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
        # what no reader may take for a day's loss, or for a settled figure, says so
        flags = [x for x in (f.get("excluded"), "disputed" if f.get("change_disputed")
                             else None, "single" if f.get("single_witness") else None)
                 if x in ("correction", "two_day", "stale", "disputed", "single")]
        cards.append({**f, "mean7": wow.current.mean, "prev7": wow.previous.mean,
                      "mean30": m30.mean, "flags": flags})
    cards += [{"category": c, "label": c, "missing": True} for c in doc.get("missing", ())]
    return cards, doc


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request) -> Response:
    def make() -> Response:
        d = api.data(request)
        lang = _lang(request)
        day = _report_day(request, d)
        cards, doc = _cards(d, day, lang)
        before, after = _neighbours(d, day)
        return _page(request, "index.html", d, day=day, covers=day - timedelta(days=1),
                     cards=cards, brief=doc, headline=doc["headline_category"] or "vehicles",
                     before=before, after=after, first=d.first, latest=d.latest)

    return _html(request, make)


@router.get("/brief", response_class=HTMLResponse, include_in_schema=False)
def brief_page(request: Request) -> Response:
    def make() -> Response:
        d = api.data(request)
        lang = _lang(request)
        q = request.query_params
        week, month = q.get("week") or None, q.get("month") or None
        if week or month:
            doc = api.brief_doc(d, None, lang, week, month)
            day = date.fromisoformat(doc["to"])
            before = after = None
        else:
            day = _report_day(request, d)
            doc = api.brief_doc(d, day, lang)
            before, after = _neighbours(d, day)
        what = week or month or day.isoformat()
        api_path = (f"/api/brief?{urlencode({'week': week} if week else {'month': month})}&"
                    if week or month else f"/api/brief/{day.isoformat()}?")
        return _page(request, "brief.html", d, doc=doc, day=day, what=what, week=week,
                     month=month, before=before, after=after, first=d.first,
                     latest=d.latest, api_path=api_path,
                     paragraphs=doc["text"].split("\n\n"))

    return _html(request, make)


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request) -> Response:
    def make() -> Response:
        from attrition.compare import Claimed
        from attrition.model import STATUSES

        d = api.data(request)
        q = request.query_params
        start, to = q.get("from") or None, q.get("to") or None
        chosen = [c for c in q.getlist("category") if c]
        statuses = [x for x in q.getlist("status") if x]
        doc = api.compare_doc(d, start, to, chosen or None,
                              ",".join(statuses) if statuses else None, lang=_lang(request))
        # each row's ratio is claimed/confirmed on one date (the last scrape on or before
        # `to`): show the claimed figure of that date beside it, so the row adds up
        claimed = Claimed(d.by_category)
        before = date.fromisoformat(doc["from"]) - timedelta(days=1) if start else None
        notes: list[str] = []
        rows = []
        for r in doc["rows"]:
            on = date.fromisoformat(r["ratio_on"]) if r["ratio_on"] else None
            c_on = claimed.at(tuple(r["ledger"]), on) if on else None
            c_start = claimed.at(tuple(r["ledger"]), before) if before else None
            claimed_on = (c_on[0] - (c_start[0] if c_start else 0)) if c_on else None
            marks = []
            for note in (r["note"] or "").split("; "):
                if note:
                    if note not in notes:
                        notes.append(note)
                    marks.append(notes.index(note) + 1)
            rows.append({**r, "claimed_on": claimed_on, "marks": marks})
        ons = {r["ratio_on"] for r in rows if r["ratio_on"]}
        lines = [ln.name for ln in d.crosswalk.rows]
        return _page(request, "compare.html", d, doc=doc, rows=rows, notes=notes,
                     on=ons.pop() if len(ons) == 1 else None, to=doc["to"],
                     start=start or "", chosen=chosen, statuses=statuses or list(STATUSES),
                     all_statuses=STATUSES, lines=lines,
                     chart_query=urlencode({"to": doc["to"], "lang": _lang(request)}))

    return _html(request, make)


def segments(claim_doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The article as sentences, each cut into plain text and highlighted claims (the
    template escapes every piece), with the claims that cannot sit inline as chips below
    it: comparative claims (their span is the whole sentence) and a number whose span
    overlaps one already highlighted. Every claim appears exactly once."""
    out: list[dict[str, Any]] = []
    by_sentence: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, c in enumerate(claim_doc["claims"]):
        by_sentence.setdefault(c["sentence"], []).append((i, c))
    for sent, items in by_sentence.items():
        # where the sentence starts in the article: from a claim whose text occurs once in it
        offset = next((c["span"][0] - sent.index(c["text"]) for _, c in items
                       if c.get("span") and c["text"] and sent.count(c["text"]) == 1), None)
        inline: list[tuple[int, int, int, dict[str, Any]]] = []
        chips: list[dict[str, Any]] = []
        for i, c in items:
            if c.get("measure") == "comparative" or not c["text"]:
                chips.append({"claim": c, "i": i, "comparative": True})
                continue
            at = -1
            if offset is not None and c.get("span"):
                a = c["span"][0] - offset
                if sent[a:a + len(c["text"])] == c["text"]:
                    at = a
            if at < 0:
                at = sent.find(c["text"])
            if at < 0:
                chips.append({"claim": c, "i": i, "comparative": False})
            else:
                inline.append((at, at + len(c["text"]), i, c))
        parts: list[dict[str, Any]] = []
        pos = 0
        for a, b, i, c in sorted(inline, key=lambda x: (x[0], -x[1])):
            if a < pos:  # overlaps the highlight before it: shown below, not swallowed
                chips.append({"claim": c, "i": i, "comparative": False})
                continue
            if a > pos:
                parts.append({"text": sent[pos:a]})
            parts.append({"text": c["text"], "claim": c, "i": i})
            pos = b
        parts.append({"text": sent[pos:]})
        chips.sort(key=lambda x: x["i"])
        claims = sorted([*(p for p in parts if "claim" in p), *chips], key=lambda x: x["i"])
        out.append({"parts": parts, "chips": chips, "claims": claims})
    return out


def _date_source(source: str, t: dict[str, str]) -> str:
    """The checker's note on where the article's date came from, in the page's words (it
    names the CLI flag otherwise)."""
    if source.startswith("given"):
        return t["date_given"]
    if source.startswith("header"):
        return t["date_header"]
    if source.startswith("text"):
        return t["date_line"]
    return source


def shown_claim(c: dict[str, Any], lang: str) -> dict[str, Any]:
    """A check's claim as a page in `lang` shows it: the verdict's name and, in Ukrainian,
    the reading, the reason and the note made from the claim's fields (the checker writes
    them in English; its JSON keeps them as they are)."""
    out = {**c, "verdict_name": words.verdict(str(c["verdict"]), lang)}
    if lang != "uk":
        return out
    ev = [({**e, "reading": words.reading_uk(e)} if e.get("reading") else e)
          for e in c.get("evidence") or []]
    reading = words.reading_uk(ev[0]) if ev and "measure" in ev[0] and \
        c.get("measure") != "comparative" else ""
    actual, verdict = c.get("actual"), str(c["verdict"])
    why = ""
    if verdict == "contradicted" and isinstance(actual, int):
        why = words.CHECK["contradicted"].format(actual=words.number(actual, lang))
    elif verdict == "mislabeled" and c.get("actual_category"):
        why = words.CHECK["mislabeled"].format(
            value=words.number(c.get("value") or 0, lang),
            category=words.heading(str(c["actual_category"]), lang))
    elif verdict == "wrong_date":
        why = words.CHECK["wrong_date"].format(value=words.number(c.get("value") or 0, lang))
    elif verdict == "unverifiable":
        why = words.CHECK["unverifiable"]
    oryx = c.get("attributed_to") not in (None, "General Staff")
    note = words.CHECK["note_oryx" if oryx else "note"] + (
        " " + words.CHECK["note_personnel"] if c.get("category") == "personnel" else "")
    return {**out, "evidence": ev, "reading": reading, "why": why, "note": note}


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
        error = str(exc).replace("give one with --date", "give it in the date field")
        if lang == "uk":
            error = errors_uk.ukrainian(error)
    if result:
        result = {**result, "claims": [shown_claim(c, lang or "en") for c in result["claims"]]}
    return _page(request, "check.html", d, lang=lang, result=result, error=error, text=text,
                 url=url, day=day, sentences=segments(result) if result else [],
                 date_source=_date_source(result["article"]["date_source"], UI[lang or "en"])
                 if result else "")


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
        lang = _lang(request)
        w = words.CHART[lang]
        body = _svg(lambda out: charts.draw_compare(
            panels, out, title=w["compare_title"], lang=lang,
            source_line=f"{w['source']} {w['confirmed_caveat']}"))
        return Response(body, media_type="image/svg+xml")

    return api.cached(request, make)


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
        # date=none: no day singled out (the chart of a week's or a month's brief)
        mark = None if q.get("date") == "none" else (
            api.day_of(q["date"], d) if q.get("date") else hi)
        lo = hi - timedelta(days=days)
        doubt = service.disputed_totals(d.ledger, name, lo, hi, d.aggregates)
        body = _svg(lambda out: charts.draw(s, out, start=lo, end=hi, highlight=mark,
                                            lang=_lang(request), disputed=doubt))
        return Response(body, media_type="image/svg+xml")

    return api.cached(request, make)


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request) -> Response:
    """The OpenAPI description as a page that needs no CDN (Swagger UI would fetch its
    scripts from one); the machine-readable form is /openapi.json."""
    spec = request.app.openapi()
    schemas = spec.get("components", {}).get("schemas", {})
    ops = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            answers = [_doc_answer(status, r, schemas)
                       for status, r in op.get("responses", {}).items()]
            body = op.get("requestBody", {}).get("content", {})
            ops.append({"path": path, "method": method.upper(), "summary": op.get("summary"),
                        "description": op.get("description", ""), "tags": op.get("tags", []),
                        "params": [{"name": p["name"], "in": p["in"],
                                    "required": p.get("required", False),
                                    "description": p.get("description", "")}
                                   for p in op.get("parameters", [])],
                        "answers": answers,
                        "body": [(media, json.dumps(c["example"], ensure_ascii=False)
                                  if "example" in c and not isinstance(c["example"], str)
                                  else c.get("example")) for media, c in body.items()]})
    shapes = [{"name": name, "description": schema.get("description", ""),
               "fields": _fields(schema)} for name, schema in sorted(schemas.items())]
    return _page(request, "docs.html", api.data(request), spec=spec, ops=ops, shapes=shapes)


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": field, "type": _schema_type(prop),
             "description": prop.get("description", "")}
            for field, prop in schema.get("properties", {}).items()]


def _doc_answer(status: str, answer: dict[str, Any], schemas: dict[str, Any]
                ) -> dict[str, Any]:
    """One answer of an operation as /docs shows it: status, what it means, its media
    types, the model's name and fields (type and description), and the example."""
    content = answer.get("content", {})
    ref = next((c["schema"]["$ref"] for c in content.values() if "$ref" in c.get("schema", {})),
               None)
    name = ref.rsplit("/", 1)[-1] if ref else None
    fields = _fields(schemas.get(name, {})) if name else []
    example = next((c["example"] for c in content.values() if "example" in c), None)
    return {"status": status, "description": answer.get("description", ""),
            "media": list(content), "model": name, "fields": fields,
            "example": None if example is None else json.dumps(example, ensure_ascii=False,
                                                                indent=1)}


def _schema_type(prop: dict[str, Any]) -> Markup:
    """A field's type in a few characters: `integer | null`, `list of Figure` (a model's
    name links to its shape further down the page)."""
    if "$ref" in prop:
        name = str(prop["$ref"]).rsplit("/", 1)[-1]
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    if "anyOf" in prop:
        return Markup(" | ").join(_schema_type(p) for p in prop["anyOf"])
    if prop.get("type") == "array":
        return "list of " + _schema_type(prop.get("items", {}))
    if prop.get("type") == "object" and "additionalProperties" in prop:
        inner = prop["additionalProperties"]
        return "map of " + (_schema_type(inner) if isinstance(inner, dict) else escape("any"))
    if "const" in prop:
        return escape(json.dumps(prop["const"]))
    if "enum" in prop:
        return escape(" | ".join(json.dumps(v) for v in prop["enum"]))
    kind = str(prop.get("type", "any"))
    return escape(f"{kind} ({prop['format']})" if "format" in prop else kind)
