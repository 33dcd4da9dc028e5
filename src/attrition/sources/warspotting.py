"""Reader for the WarSpotting API's per-loss records (ukr.warspotting.net/api).

`/api/losses/russia/<id>` and `/api/losses/russia/<date>` answer `{"losses": [record, …]}`;
a record has `id, type, model, status, lost_by, date, nearest_location, geo, unit, tags`.
WarSpotting's `date` is the day of the loss (where known), unlike Oryx's scrape date.
"""

from __future__ import annotations

from typing import Any

from attrition.errors import ParseError
from attrition.model import ConfirmedBatch, ConfirmedItem
from attrition.sources._common import (
    FIRST_CONFIRMED,
    load_json,
    parse_iso_date,
    require_object,
)

SOURCE = "warspotting"
PAGE = "https://ukr.warspotting.net/view/{id}/"


def _status(value: object, record: str) -> str:
    """WarSpotting writes e.g. "Destroyed", "Damaged and abandoned", "Captured"; the strongest
    outcome wins (captured > abandoned > destroyed > damaged), as in Oryx's lists."""
    text = str(value or "").lower()
    for word in ("captured", "abandoned", "destroyed", "damaged"):
        if word in text:
            return word
    raise ParseError(f"unknown status {str(value)[:40]!r}", record=record, field="status")


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return str(value).strip() or None


def records_of(doc: Any) -> list[dict[str, Any]]:
    found = doc.get("losses") if isinstance(doc, dict) else doc
    if isinstance(found, list):
        return list(found)
    raise ParseError('not a WarSpotting answer: expected {"losses": [...]}')


def read(data: bytes | str) -> ConfirmedBatch:
    items = []
    seen: set[str] = set()
    for i, raw in enumerate(records_of(load_json(data))):
        rec = require_object(raw, record=str(i))
        ident = rec.get("id")
        if not isinstance(ident, int | str) or str(ident).strip() == "":
            raise ParseError("missing id", record=str(i), field="id")
        where = str(ident).strip()
        # a number: it is the record's page address too (a "../" in it would point elsewhere)
        if isinstance(ident, bool) or not (where.isascii() and where.isdigit()) \
                or len(where) > 12:
            raise ParseError(f"implausible id {where[:40]!r} (a record's id is a number)",
                             record=str(i), field="id")
        if where in seen:
            raise ParseError("id given twice in one answer", record=where, field="id")
        seen.add(where)
        model = _text(rec.get("model"))
        if model is None:
            raise ParseError("missing model", record=where, field="model")
        day = (parse_iso_date(rec["date"], record=where, first=FIRST_CONFIRMED)
               if rec.get("date") is not None else None)
        items.append(ConfirmedItem(
            SOURCE, where, _text(rec.get("lost_by")) or "Russia", _text(rec.get("type")),
            model, _status(rec.get("status"), where), day, address=PAGE.format(id=where),
            location=_text(rec.get("nearest_location")), unit=_text(rec.get("unit")),
            tags=_text(rec.get("tags"))))
    return ConfirmedBatch(SOURCE, items=items)
