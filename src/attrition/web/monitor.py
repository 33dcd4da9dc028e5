"""The monitor (issue 15): /monitor (the register of checked articles, filtered, with a tally
per outlet), /claims/{id} (one figure with its evidence and schema.org ClaimReview
JSON-LD), their JSON twins under /api, and /feeds/flags.atom (figures flagged wrong).

These read the register, which changes without an ingest: they are never kept in the
response cache (keyed by the ledger's version), and carry no validators (caching.LIVE).
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape as _escape

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from attrition import words
from attrition.addresses import web_address
from attrition.check import claimreview
from attrition.errors import AttritionError
from attrition.store import monitor as reads
from attrition.web import models as m
from attrition.web import pages
from attrition.web.models import answers
from attrition.web.respond import data, envelope, holder

router = APIRouter()

VERDICTS = ("supported", "rounded", "contradicted", "mislabeled", "wrong_date",
            "unverifiable")
PAGE = 50
MAX_LIMIT = 200
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

TEXT: dict[str, dict[str, str]] = {
    "en": {"monitor": "Monitor", "outlet": "Outlet", "verdict": "Verdict", "any": "any",
           "from": "From", "to": "To", "show": "Show", "tally": "Per outlet",
           "articles": "articles", "figures": "figures checked", "wrong": "wrong",
           "share": "share wrong",
           "share_help": "contradicted, mislabeled or wrong date, of the figures that could "
                         "be checked",
           "none": "No checked article matches.", "of": "{shown} of {total} articles",
           "next": "next page →", "prev": "← previous page", "claim": "Figure",
           "as_written": "As written", "sentence": "Sentence", "reading": "The ledger's reading",
           "evidence": "Evidence: the ledger's cells", "report": "report", "total": "total",
           "change": "change", "announced": "announced", "category": "category",
           "article": "Article", "published": "published", "judged": "Judged",
           "against": "against ledger version", "history": "Verdict history",
           "was": "was {old}, now {new}: {reason}, {at}",
           "back": "← the monitor", "feed": "Feed of flagged figures (Atom)",
           "why": "Why", "version": "version {n}"},
    "uk": {"monitor": "Монітор", "outlet": "Видання", "verdict": "Висновок", "any": "будь-який",
           "from": "З", "to": "По", "show": "Показати", "tally": "За виданнями",
           "articles": "статей", "figures": "перевірено цифр", "wrong": "хибних",
           "share": "частка хибних",
           "share_help": "суперечить, інша категорія або інша дата, серед цифр, які можна "
                         "перевірити",
           "none": "Жодна перевірена стаття не відповідає.",
           "of": "{shown} з {total} статей", "next": "наступна сторінка →",
           "prev": "← попередня сторінка", "claim": "Цифра", "as_written": "Як написано",
           "sentence": "Речення", "reading": "Прочитання за реєстром",
           "evidence": "Докази: клітинки реєстру", "report": "зведення", "total": "усього",
           "change": "зміна", "announced": "оголошено", "category": "категорія",
           "article": "Стаття", "published": "опубліковано", "judged": "Оцінено",
           "against": "за версією реєстру", "history": "Історія висновку",
           "was": "було {old}, стало {new}: {reason}, {at}",
           "back": "← монітор", "feed": "Стрічка позначених цифр (Atom)",
           "why": "Чому", "version": "версія {n}"},
}


@lru_cache(maxsize=8)
def _engine(url: str | None) -> Engine:
    from attrition.store.db import Store

    return Store(url).engine  # creates the register's tables in a store that has none


def engine(request: Request) -> Engine:
    return _engine(holder(request).url)


# -- query parameters -----------------------------------------------------------------------


def _day(request: Request, name: str) -> date | None:
    text = (request.query_params.get(name) or "").strip()
    if not text:
        return None
    if not _DATE.fullmatch(text):
        raise HTTPException(422, f"{name}: {text[:40]!r} is not a date (YYYY-MM-DD)")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise HTTPException(422, f"{name}: {text} is no such day") from None
    if not 1900 <= day.year <= 2100:
        raise HTTPException(422, f"{name}: {text} is outside 1900-2100")
    return day


def _int(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    text = (request.query_params.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or not lo <= int(text) <= hi:
        raise HTTPException(422, f"{name}: {text[:40]!r} is not a whole number from {lo} "
                                 f"to {hi}")
    return int(text)


def filters(request: Request) -> reads.Filters:
    """The filters of /monitor and /api/monitor, each checked: 422 naming the parameter."""
    q = request.query_params
    outlet = (q.get("outlet") or "").strip() or None
    if outlet is not None and len(outlet) > 200:
        raise HTTPException(422, "outlet: longer than 200 characters")
    verdict = (q.get("verdict") or "").strip() or None
    if verdict is not None and verdict not in VERDICTS:
        raise HTTPException(422, f"verdict: {verdict[:40]!r} is not one of "
                                 f"{', '.join(VERDICTS)}")
    start, end = _day(request, "from"), _day(request, "to")
    if start and end and start > end:
        raise HTTPException(422, f"from: {start} is after to {end}")
    return reads.Filters(outlet, verdict, start, end)


def monitor_doc(request: Request) -> dict[str, Any]:
    f = filters(request)
    limit = _int(request, "limit", PAGE, 1, MAX_LIMIT)
    page = _int(request, "page", 1, 1, 100_000)
    eng = engine(request)
    rows, total = reads.articles(eng, f, limit, (page - 1) * limit)
    for r in rows:
        r["link"] = web_address(r["address"])
        r["outlet"] = r["outlet"] or ""
    return {"filters": f.as_dict(), "page": page, "limit": limit, "total": total,
            "articles": rows, "tally": reads.tally(eng, f), "outlets": reads.outlets(eng),
            "wrong_means": list(reads.WRONG)}


def _claim_id(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise HTTPException(422, f"claim id: {text[:40]!r} is not a whole number")
    return int(text)


def base_url(request: Request) -> str:
    """Where this service is published: ATTRITION_BASE_URL, else the request's own."""
    from attrition import settings

    return (settings.current().base_url or str(request.base_url)).rstrip("/")


def claim_doc(request: Request, claim_id: str) -> dict[str, Any]:
    cid = _claim_id(claim_id)
    found = reads.claim(engine(request), cid)
    if found is None:
        from attrition.errors import NotFoundError

        raise NotFoundError(f"no claim {cid} in the register")
    c, art = found["claim"], found["article"]
    # a count the article gave to Oryx was checked against Oryx's (its evidence names it)
    oryx = next((e["source"] for e in c["evidence"] if isinstance(e, dict)
                 and e.get("source")), None)
    check_claim = {
        "sentence": c["sentence"], "text": c["text"], "verdict": c["verdict"],
        "actual": c["actual"], "why": c["why"] or "", "reading": c["reading"] or "",
        "note": _note(c, oryx), "attributed_to": oryx or "General Staff"}
    article = {"date": (art.get("published") or art.get("found") or "")[:10],
               "url": web_address(art.get("address"))}
    review = claimreview.review(
        check_claim, article, url=f"{base_url(request)}/claims/{cid}",
        reviewed=date.fromisoformat(c["judged_at"][:10]), outlet=art.get("outlet"),
        title=art.get("title"), published=art.get("published"))
    return {**found, "note": check_claim["note"], "verdict_words": claimreview.verdict_words(
        check_claim), "claimreview": review}


def _note(c: dict[str, Any], oryx: str | None) -> str:
    """The note the check document gives the claim (attrition.check.check_text)."""
    from attrition.check.verify import NOTE

    return (("A count of visually confirmed losses (Oryx), checked against the bundled "
             "confirmed data.") if oryx else NOTE) + (
        " The personnel figure counts killed and wounded."
        if c.get("category") == "personnel" else "")


# -- routes ---------------------------------------------------------------------------------


def _html(request: Request, template: str, make: Any) -> Response:
    try:
        return pages._page(request, template, data(request), **make())
    except (AttritionError, HTTPException, ValueError) as exc:
        return pages.error_page(request, data(request), exc)


@router.get("/monitor", include_in_schema=False)
def monitor_page(request: Request) -> Response:
    lang = pages._lang(request)

    def make() -> dict[str, Any]:
        doc = monitor_doc(request)
        kept = {k: v for k, v in doc["filters"].items() if v}
        pages_q = {"prev": urlencode({**kept, "lang": lang, "page": doc["page"] - 1})
                   if doc["page"] > 1 else None,
                   "next": urlencode({**kept, "lang": lang, "page": doc["page"] + 1})
                   if doc["page"] * doc["limit"] < doc["total"] else None}
        return {"doc": doc, "m": TEXT[lang], "verdicts": VERDICTS, "paging": pages_q,
                "api_query": urlencode(kept)}

    return _html(request, "monitor.html", make)


Text = Annotated[str | None, Query()]


@router.get("/api/monitor", tags=["monitor"], **answers(m.MonitorDoc, 400, 422, get=False))
def monitor_api(request: Request, outlet: Text = None, verdict: Text = None,
                start: Annotated[str | None, Query(alias="from")] = None, to: Text = None,
                page: Text = None, limit: Text = None) -> Response:
    """The register of checked articles (newest first) and the tally per outlet. Query:
    `outlet`, `verdict` (articles with a figure of that verdict, and only those figures),
    `from`, `to` (the article's date, YYYY-MM-DD), `page`, `limit` (at most 200). (Read
    and checked by `filters`, which names the parameter in a 422.)"""
    doc = monitor_doc(request)
    return envelope(doc)


@router.get("/claims/{claim_id}", include_in_schema=False)
def claim_page(request: Request, claim_id: str) -> Response:
    lang = pages._lang(request)

    def make() -> dict[str, Any]:
        doc = claim_doc(request, claim_id)
        ld = json.dumps(doc["claimreview"], ensure_ascii=False)
        # inside <script>, "</" or "<!--" would end or bend it: escape <, > and &
        ld = ld.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        art = doc["article"]
        if lang != "en":  # the reading, reason and note in the page's words (attrition.words)
            c = doc["claim"]
            oryx = next((e["source"] for e in c["evidence"] if isinstance(e, dict)
                         and e.get("source")), None)
            shown = pages.shown_claim({**c, "attributed_to": oryx}, lang)
            doc = {**doc, "claim": shown, "note": shown["note"],
                   "verdict_words": words.VERDICT_WORDS[lang].get(
                       shown["verdict"], shown["verdict_name"])}
        return {"doc": doc, "c": doc["claim"], "art": art, "m": TEXT[lang],
                "link": web_address(art.get("address")), "jsonld": ld,
                "parts": _highlight(doc["claim"]["sentence"], doc["claim"]["text"])}

    return _html(request, "claim.html", make)


def _highlight(sentence: str, text: str) -> list[tuple[str, bool]]:
    at = sentence.find(text) if text else -1
    if at < 0:
        return [(sentence, False)]
    return [(sentence[:at], False), (text, True), (sentence[at + len(text):], False)]


@router.get("/api/claims/{claim_id}", tags=["monitor"],
            **answers(m.ClaimPageDoc, 404, 422, get=False))
def claim_api(request: Request, claim_id: str) -> Response:
    """One checked figure: the claim (sentence, figure as written, verdict, the ledger's
    reading and evidence cells), its article, its verdict's history and its ClaimReview."""
    return envelope(claim_doc(request, claim_id))


@router.get("/feeds/flags.atom", include_in_schema=False)
def flags_feed(request: Request) -> Response:
    """Figures flagged wrong (contradicted, mislabeled, wrong date; `?verdict=` chooses),
    newest first, one entry per figure and verdict."""
    chosen = [v for v in request.query_params.getlist("verdict") if v]
    for v in chosen:
        if v not in VERDICTS:
            raise HTTPException(422, f"verdict: {v[:40]!r} is not one of "
                                     f"{', '.join(VERDICTS)}")
    flagged = reads.flags(engine(request), tuple(chosen) or reads.WRONG)
    base = base_url(request)
    return Response(atom(flagged, base, str(request.url)).encode(),
                    media_type="application/atom+xml; charset=utf-8")


def atom(flags: list[dict[str, Any]], base: str, self_url: str) -> str:
    """The Atom document (RFC 4287) of the flags: feed id, title, updated, author, links;
    each entry its id (stable per figure and verdict), title, updated, link and summary."""
    from attrition.alerts import WORDS

    updated = max((f["at"] for f in flags), default="1970-01-01T00:00:00+00:00")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<id>{escape(base)}/feeds/flags.atom</id>",
           "<title>attrition: figures flagged in the news</title>",
           "<subtitle>Loss figures in news articles that do not match the General Staff's "
           "reports (official Ukrainian claims, not independently confirmed).</subtitle>",
           f"<updated>{_rfc3339(updated)}</updated>",
           "<author><name>attrition</name></author>",
           f'<link rel="self" href="{escape(self_url, {chr(34): "&quot;"})}"/>',
           f'<link rel="alternate" type="text/html" href="{escape(base)}/monitor"/>']
    for f in flags:
        link = f"{base}/claims/{f['claim_id']}"
        words = WORDS.get(f["verdict"], f["verdict"])
        value = f.get("actual")
        title = (f"{f['verdict']}: \u201c{f.get('text') or ''}\u201d {words}"
                 + (f" (the ledger has {value:,})" if f["verdict"] == "contradicted"
                    and value is not None else "")
                 + (f" \u2014 {f['outlet']}" if f.get("outlet") else ""))
        summary = (f"{f.get('sentence') or ''} {f.get('why') or f.get('reading') or ''}"
                   + (f" (now {f['current']})" if f.get("current") != f["verdict"] else ""))
        out += ["<entry>",
                f"<id>urn:attrition:claim:{f['claim_id']}:{escape(f['verdict'])}</id>",
                f"<title>{escape(title)}</title>",
                f"<updated>{_rfc3339(f['at'])}</updated>",
                f'<link rel="alternate" type="text/html" href="{escape(link)}"/>',
                f"<summary>{escape(summary.strip())}</summary>",
                "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry, even escaped: C0 controls but tab and line ends."""


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """Text for the feed: escaped, and a control character (an article may hold one) as
    U+FFFD: one such character made the whole feed malformed XML for every reader."""
    return _escape(_NOT_XML.sub("\ufffd", text), entities or {})


def _rfc3339(text: str) -> str:
    """A stored time as RFC 3339 (Atom's date-time): with a zone, no microseconds."""
    from datetime import UTC, datetime

    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        t = datetime(1970, 1, 1, tzinfo=UTC)
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.replace(microsecond=0).isoformat()
