"""PetroIvaniuk/2022-Ukraine-Russia-War-Dataset: equipment, personnel and corrections JSON."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from attrition import categories
from attrition.categories import PETROIVANIUK, Category
from attrition.errors import ParseError
from attrition.model import Batch, Correction, Observation
from attrition.sources._common import (
    MAX_PLAUSIBLE,
    as_count,
    dated_records,
)

_META = {"date", "day", "greatest losses direction", "POW", "personnel*"}
_QUALIFIERS = {"about", "more"}


def _fields(rec: dict[str, Any], known: set[str], where: str, day: date
            ) -> Iterator[tuple[str, Any, Category | None]]:
    """A record's category fields, each with its category on `day` (None: not counted
    then); a field the dataset is not known to have is an error, never skipped."""
    for key, value in rec.items():
        if key in _META:
            continue
        if key not in known:
            raise ParseError("unknown category field", record=where, field=key)
        yield key, value, categories.for_field(PETROIVANIUK, key, day)


def read_equipment(data: bytes | str) -> Batch:
    batch = Batch(PETROIVANIUK)
    known = categories.known_fields(PETROIVANIUK)
    for where, day, rec in dated_records(data, "daily equipment records"):
        for key, value, cat in _fields(rec, known, where, day):
            if cat is None:
                raise ParseError(f"category does not exist on {day}", record=where, field=key)
            total = as_count(value, record=where, field=key)
            batch.observations.append(Observation(PETROIVANIUK, day, cat.id, total))
    return batch


def read_personnel(data: bytes | str) -> Batch:
    batch = Batch(PETROIVANIUK)
    for where, day, rec in dated_records(data, "daily personnel records"):
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
    for where, day, rec in dated_records(data, "correction records"):
        for key, value, cat in _fields(rec, known, where, day):
            if (not isinstance(value, int) or isinstance(value, bool)
                    or abs(value) > MAX_PLAUSIBLE):
                raise ParseError(f"expected a plausible integer, got {str(value)[:40]}",
                                 record=where, field=key)
            if cat is not None and value != 0:
                batch.corrections.append(Correction(PETROIVANIUK, day, cat.id, value))
    return batch
