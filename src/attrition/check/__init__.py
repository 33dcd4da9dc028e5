"""The fact-checker: every loss figure in an article, checked against the ledger.

    check_text(text, ledger, day=None) -> dict   (the `check --format json` document)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from attrition.check import article as articles
from attrition.check import claims as extraction
from attrition.check import context
from attrition.check.confirmed import ConfirmedView
from attrition.check.ledger import LedgerView
from attrition.check.verify import NOTE, Verifier
from attrition.errors import CheckError

__all__ = ["ConfirmedView", "LedgerView", "check_text"]


def check_text(text: str, ledger: LedgerView, day: date | None = None,
               source: str = "text", confirmed: ConfirmedView | None = None
               ) -> dict[str, Any]:
    """Check every loss figure in `text`. `day` is the article's date (else the header's or
    the first dated line's). With `confirmed`, numbers the text attributes to Oryx are
    checked against the confirmed counts, and every cumulative claim gets the confirmed
    count beside it. Returns the check document."""
    art = articles.read(text)
    if day is not None:
        date_source = "given"
    else:
        day, date_source = articles.find_date(art)
        if day is None:
            raise CheckError("the article has no date in its header or first lines: "
                             "give the date it was published")
    claims = extraction.extract(art, day)
    context.inherit_periods(art, claims, day)
    verifier = Verifier(ledger)
    verifier.share_list_measures(claims, day)
    windows = extraction.document_windows(art, day)
    out = []
    summary: dict[str, int] = {}
    oryx_category: tuple[int, str] | None = None
    results = verifier.settle_list_dates([(c, verifier.verify(c, day, windows))
                                          for c in claims])
    for c, res in zip(claims, results, strict=True):
        attributed = None
        if confirmed is not None and c.scope and c.scope.startswith("from Oryx"):
            si = c.sentence.start
            cat = c.category or (oryx_category[1] if oryx_category
                                 and si - oryx_category[0] < 600 else None)
            if c.category:
                oryx_category = (si, c.category)
            verdict = confirmed.verify(c, day, cat)
            if verdict is not None:
                res, attributed = verdict, confirmed.source
        reading = res.reading
        measure = c.measure if c.label_kind == "comparative" or c.measure == "difference" \
            else (reading.measure if reading else (c.measure or "change"))
        if reading is not None:
            period = {"from": (reading.start or reading.end).isoformat()
                      if reading.measure != "total" else None,
                      "to": reading.end.isoformat()}
        elif c.period is not None:
            period = {"from": c.period[0].isoformat() if c.period[0] else None,
                      "to": c.period[1].isoformat()}
        else:
            period = {"from": day.isoformat(), "to": day.isoformat()}
        if c.label_kind == "comparative" and c.period is not None:
            period = {"from": c.period[0].isoformat() if c.period[0] else None,
                      "to": c.period[1].isoformat()}
        components = list(reading.components) if reading else (
            [c.category] if c.category else [])
        category = (reading.category if reading and c.label_kind in ("loose", "sum")
                    else c.category)
        if attributed:
            category = res.actual_category or category
            measure = "total"
        summary[res.verdict] = summary.get(res.verdict, 0) + 1
        beside = None
        if confirmed is not None and not attributed and measure == "total" and category \
                and not c.scope:
            beside = confirmed.beside(category, reading.end if reading else day)
        out.append({
            "sentence": c.sentence.text,
            "span": [c.start, c.end],
            "text": text[c.start:c.end],
            "value": c.value,
            "qualifier": c.qualifier,
            "category": category,
            "label": c.label,
            "components": components,
            "measure": measure,
            "period": period,
            "period_note": c.period_note,
            "verdict": res.verdict,
            "actual": res.actual,
            "actual_category": res.actual_category,
            "reading": reading.describe() if reading else res.why,
            "why": res.why,
            "evidence": res.evidence,
            "alternatives": [a.to_dict() for a in res.alternatives[:8]],
            "ambiguous": res.ambiguous,
            "rule_ids": [*getattr(c, "rule_ids", []), *res.rules],
            "note": (("A count of visually confirmed losses (Oryx), checked against the "
                      "bundled confirmed data.") if attributed else NOTE)
                    + (" The personnel figure counts killed and wounded."
                       if category == "personnel" else ""),
            "attributed_to": attributed or "General Staff",
            **({"confirmed": beside} if beside else {}),
        })
    return {
        "article": {"date": day.isoformat(), "date_source": date_source, "source": source,
                    "language": art.language, "url": art.meta.get("url"),
                    "covers": (day - timedelta(days=1)).isoformat(),
                    **({"capped_at": extraction.MAX_CLAIMS}
                       if len(claims) >= extraction.MAX_CLAIMS else {})},
        "claims": out,
        "summary": summary,
    }
