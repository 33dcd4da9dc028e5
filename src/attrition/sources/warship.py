"""The russianwarship.rip API v2 record shape: `date`, `day`, `resource`, `stats`, `increase`.

Accepts a single record, a list of records, or the API's envelopes
(`{"data": record}` and `{"data": {"records": [...], "paging": ...}}`).
"""

from __future__ import annotations

from typing import Any

from attrition import categories
from attrition.categories import WARSHIP
from attrition.errors import ParseError
from attrition.model import Batch, Observation
from attrition.sources._common import (
    MAX_PLAUSIBLE,
    as_count,
    load_json,
    parse_iso_date,
    require_object,
)

_RECORD_KEYS = {"date", "day", "resource", "stats", "increase"}


def records_of(doc: Any) -> list[Any]:
    """The list of day records inside any of the API's response shapes."""
    if isinstance(doc, dict) and "data" in doc:
        doc = doc["data"]
    if isinstance(doc, dict) and "records" in doc:
        doc = doc["records"]
    if isinstance(doc, dict):
        return [doc]
    if isinstance(doc, list):
        return doc
    raise ParseError(f"expected a record or a list of records, got {type(doc).__name__}")


def read(data: bytes | str) -> Batch:
    return read_doc(load_json(data))


def read_doc(doc: Any) -> Batch:
    batch = Batch(WARSHIP)
    known = categories.known_fields(WARSHIP)
    for i, item in enumerate(records_of(doc)):
        rec = require_object(item, record=f"#{i}")
        day = parse_iso_date(rec.get("date"), record=f"#{i}")
        where = f"#{i} ({day})"
        for key in rec:
            if key not in _RECORD_KEYS:
                raise ParseError("unknown field", record=where, field=key)
        stats = rec.get("stats")
        if not isinstance(stats, dict):
            raise ParseError("expected an object", record=where, field="stats")
        increase = rec.get("increase") or {}
        if not isinstance(increase, dict):
            raise ParseError("expected an object", record=where, field="increase")
        address = rec.get("resource")
        if address is not None and not isinstance(address, str):
            raise ParseError("expected a string", record=where, field="resource")
        for key in increase:
            if key not in known:
                raise ParseError("unknown category field", record=where,
                                 field=f"increase.{key}")
        for key, value in stats.items():
            if key not in known:
                raise ParseError("unknown category field", record=where, field=f"stats.{key}")
            cat = categories.for_field(WARSHIP, key, day)
            total = as_count(value, record=where, field=f"stats.{key}")
            if cat is None or total is None:
                continue  # e.g. atgm_srbm_systems after the 2022-05-01 merge
            inc = increase.get(key)
            if inc is not None and (not isinstance(inc, int) or isinstance(inc, bool)
                                    or abs(inc) > MAX_PLAUSIBLE):
                raise ParseError(f"expected a plausible integer, got {str(inc)[:40]}",
                                 record=where, field=f"increase.{key}")
            batch.observations.append(
                Observation(WARSHIP, day, cat.id, total, announced_change=inc, address=address)
            )
    return batch
