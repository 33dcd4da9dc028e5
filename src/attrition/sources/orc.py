"""lod-db/orc-losses: `russian-losses.json`, newest first, with the MoD address of each day."""

from __future__ import annotations

from attrition import categories
from attrition.addresses import check_address
from attrition.categories import ORC_LOSSES
from attrition.errors import ParseError
from attrition.model import Batch, Observation
from attrition.sources._common import (
    as_count,
    dated_records,
)


def read(data: bytes | str) -> Batch:
    batch = Batch(ORC_LOSSES)
    known = categories.known_fields(ORC_LOSSES)
    for where, day, rec in dated_records(data, "daily records"):
        address = rec.get("sourceUri")
        if address is not None and not isinstance(address, str):
            raise ParseError("expected a string", record=where, field="sourceUri")
        if address:  # fetched from the network: a javascript: address must never be stored
            check_address(address, record=where, field="sourceUri")
        for key, value in rec.items():
            if key in ("date", "sourceUri"):
                continue
            if key not in known:
                raise ParseError("unknown category field", record=where, field=key)
            total = as_count(value, record=where, field=key)
            if total is None:
                continue  # null before the category exists, or not reported that day
            cat = categories.for_field(ORC_LOSSES, key, day)
            if cat is None:
                raise ParseError(f"category does not exist on {day}", record=where, field=key)
            batch.observations.append(
                Observation(ORC_LOSSES, day, cat.id, total, address=address)
            )
    return batch
