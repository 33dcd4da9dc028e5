"""`/feeds/brief.atom`: the daily brief (English or Ukrainian) of the last reports as an Atom
feed (RFC 4287), for feed readers and newsroom tools. Cached and validated (ETag,
Last-Modified, 304) like every other GET (web/caching.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from attrition import service
from attrition.dates import morning
from attrition.snapshot import ATTRIBUTION
from attrition.web.models import answers
from attrition.web.respond import cached, data
from attrition.web.state import Data

router = APIRouter()
ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "application/atom+xml; charset=utf-8"
TITLES = {"en": "attrition: the daily brief of Russian losses as reported by Ukraine's "
                "General Staff",
          "uk": "attrition: щоденний підсумок втрат Росії за даними Генштабу ЗСУ"}
AUTHOR = "attrition (figures: General Staff of the Armed Forces of Ukraine)"
Lang = Annotated[Literal["en", "uk"], Query(description="Language of the briefs.")]
Count = Annotated[int, Query(ge=1, le=60, description="How many report dates (newest first).")]


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _updated(d: Data, days: list[date]) -> dict[date, datetime]:
    """When each report's figures last changed: its publication, or the latest revision of
    one of its figures since (see attrition.store.asof)."""
    from attrition.store import asof
    from attrition.store.read import Reader

    out = {day: morning(day) for day in days}
    with Reader(d.url) as reader:
        for r in reader.timed_observations(days=days):
            out[r.report_date] = max(out[r.report_date], asof.effective(r))
    return out


def feed(d: Data, base: str, lang: str, count: int) -> bytes:
    """The Atom document of the briefs of the `count` newest reports."""
    days = sorted(d.reports, reverse=True)[:count]
    updated = _updated(d, days)
    self_url = f"{base}feeds/brief.atom?{urlencode({'lang': lang})}"
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str
            ) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(root, "id", self_url)
    sub(root, "title", TITLES[lang])
    sub(root, "updated", _stamp(max(updated.values(), default=datetime.now(UTC))))
    sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(root, "link", rel="alternate", type="text/html",
        href=f"{base}brief?{urlencode({'lang': lang})}")
    author = sub(root, "author")
    sub(author, "name", AUTHOR)
    sub(author, "uri", base)
    sub(root, "generator", "attrition", uri=base)
    sub(root, "rights", " ".join(a["text"] for a in ATTRIBUTION))
    for day in days:
        doc = service.brief(d.ledger, day, lang=lang, aggs=d.aggregates)
        entry = sub(root, "entry")
        sub(entry, "id", f"{base}api/brief/{day.isoformat()}?{urlencode({'lang': lang})}")
        sub(entry, "title", doc["headline"])
        sub(entry, "published", _stamp(morning(day)))
        sub(entry, "updated", _stamp(updated[day]))
        sub(entry, "link", rel="alternate", type="text/html",
            href=f"{base}brief?{urlencode({'date': day.isoformat(), 'lang': lang})}")
        sub(entry, "link", rel="alternate", type="text/plain",
            href=f"{base}api/brief/{day.isoformat()}?"
                 f"{urlencode({'lang': lang, 'format': 'text'})}")
        if doc.get("address"):
            sub(entry, "link", rel="via", href=doc["address"])
        sub(entry, "summary", doc["headline"])
        sub(entry, "content", f"{doc['text']}\n\n{doc['caveat']}\n{doc['publisher']}",
            type="text")
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


@router.get("/feeds/brief.atom", tags=["outputs"],
            **answers(None, 400, 422, media="application/atom+xml"))
def brief_feed(request: Request, lang: Lang = "en", n: Count = 14) -> Response:
    """The daily brief of the `n` newest reports as an Atom feed (en or uk)."""
    def make() -> Response:
        return Response(feed(data(request), str(request.base_url), lang, n),
                        media_type=MEDIA)

    return cached(request, make)
