"""PetroIvaniuk/2022-Ukraine-Russia-War-Dataset: equipment, personnel and corrections JSON."""

from __future__ import annotations

from attrition import categories
from attrition.categories import PETROIVANIUK
from attrition.errors import ParseError
from attrition.model import Batch, Correction, Observation
from attrition.sources._common import (
    MAX_PLAUSIBLE,
    as_count,
    load_json,
    parse_iso_date,
    require_list,
    require_object,
)

_META = {"date", "day", "greatest losses direction", "POW", "personnel*"}
_QUALIFIERS = {"about", "more"}


def read_equipment(data: bytes | str) -> Batch:
    batch = Batch(PETROIVANIUK)
    known = categories.known_fields(PETROIVANIUK)
    for i, item in enumerate(require_list(load_json(data), "daily equipment records")):
        rec = require_object(item, record=f"#{i}")
        day = parse_iso_date(rec.get("date"), record=f"#{i}")
        where = f"#{i} ({day})"
        for key, value in rec.items():
            if key in _META:
                continue
            if key not in known:
                raise ParseError("unknown category field", record=where, field=key)
            cat = categories.for_field(PETROIVANIUK, key, day)
            if cat is None:
                raise ParseError(f"category does not exist on {day}", record=where, field=key)
            total = as_count(value, record=where, field=key)
            batch.observations.append(Observation(PETROIVANIUK, day, cat.id, total))
    return batch


def read_personnel(data: bytes | str) -> Batch:
    batch = Batch(PETROIVANIUK)
    for i, item in enumerate(require_list(load_json(data), "daily personnel records")):
        rec = require_object(item, record=f"#{i}")
        day = parse_iso_date(rec.get("date"), record=f"#{i}")
        where = f"#{i} ({day})"
        if "personnel" not in rec:
            raise ParseError("missing", record=where, field="personnel")
        qualifier = rec.get("personnel*")
        if qualifier is not None and qualifier not in _QUALIFIERS:
            raise ParseError(f"unknown qualifier {str(qualifier)[:40]!r}", record=where,
                             field="personnel*")
        total = as_count(rec["personnel"], record=where, field="personnel")
        batch.observations.append(
            Observation(PETROIVANIUK, day, "personnel", total, qualifier=qualifier)
        )
    return batch


def read_corrections(data: bytes | str) -> Batch:
    batch = Batch(PETROIVANIUK)
    known = categories.known_fields(PETROIVANIUK)
    for i, item in enumerate(require_list(load_json(data), "correction records")):
        rec = require_object(item, record=f"#{i}")
        day = parse_iso_date(rec.get("date"), record=f"#{i}")
        where = f"#{i} ({day})"
        for key, value in rec.items():
            if key in _META:
                continue
            if key not in known:
                raise ParseError("unknown category field", record=where, field=key)
            cat = categories.for_field(PETROIVANIUK, key, day)
            if (not isinstance(value, int) or isinstance(value, bool)
                    or abs(value) > MAX_PLAUSIBLE):
                raise ParseError(f"expected a plausible integer, got {str(value)[:40]}",
                                 record=where, field=key)
            if cat is not None and value != 0:
                batch.corrections.append(Correction(PETROIVANIUK, day, cat.id, value))
    return batch
