"""The bundled snapshot: the history resolved from the community datasets, shipped in the
package so that attrition works offline on a fresh machine.

`build()` makes it from `shared/data` (the MIT-licensed mirrors, the bulletin texts, and the
unlicensed minfin-derived CSV as a third witness: its values vote, its rows are not shipped);
`scripts/build_snapshot.py` writes it; `load()` puts it into a store.
"""

from __future__ import annotations

import functools
import gzip
import json
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from attrition import resolve
from attrition.categories import BULLETIN, MINFIN, ORC_LOSSES, PETROIVANIUK
from attrition.errors import AttritionError
from attrition.model import Batch, ConfirmedBatch, ConfirmedCount
from attrition.sources import minfin, orc, petroivaniuk

FORMAT = 1
SHIPPED = (PETROIVANIUK, ORC_LOSSES, BULLETIN, resolve.PRESS)

ATTRIBUTION = [
    {"source": PETROIVANIUK,
     "text": "Daily figures from PetroIvaniuk/2022-Ukraine-Russia-War-Dataset, "
             "MIT licence, © 2022 Petro Ivaniuk (snapshot 37655f8b, 2026-08-08)."},
    {"source": ORC_LOSSES,
     "text": "Daily figures and MoD addresses from lod-db/orc-losses, MIT licence, "
             "© 2022-2026 Lod Softworks LLC and the Orc Losses contributors "
             "(snapshot 01f978c9, 2026-08-22)."},
    {"source": MINFIN,
     "text": "Cross-checked against romansverdan/russian-Losses-in-Ukraine (no licence: its "
             "values take part in the vote; its file is not redistributed)."},
    {"source": BULLETIN,
     "text": "Bulletin texts of the General Staff / Ministry of Defence of Ukraine "
             "(mil.gov.ua), figures only."},
]

RETRIEVED = {PETROIVANIUK: "2026-08-08", ORC_LOSSES: "2026-08-22", MINFIN: "2026-08-22"}
_BUNDLED = "snapshot.json.gz"


class SnapshotError(AttritionError):
    pass


def read_inputs(shared_data: Path) -> list[Batch]:
    """Every witness in shared/data, as batches."""
    off = shared_data / "official"
    pi = off / "2022-Ukraine-Russia-War-Dataset"
    batches = [
        petroivaniuk.read_equipment((pi / "russia_losses_equipment.json").read_bytes()),
        petroivaniuk.read_personnel((pi / "russia_losses_personnel.json").read_bytes()),
        petroivaniuk.read_corrections(
            (pi / "russia_losses_equipment_correction.json").read_bytes()),
        orc.read((off / "orc-losses" / "russian-losses.json").read_bytes()),
        minfin.read((off / "russian-Losses-in-Ukraine" / "russia_losses.csv").read_bytes()),
    ]
    for b in batches:
        b.retrieved_at = RETRIEVED.get(b.source)
    from attrition import ingest

    for path in sorted((shared_data / "bulletins").rglob("*.txt")):
        # as `attrition ingest` reads them: the address from SOURCES.md, and a news
        # outlet's reproduction as a press witness
        b = ingest.read_bulletin(path, path.read_text("utf-8"))
        b.retrieved_at = b.observations[0].report_date.isoformat()
        b.address = None
        batches.append(b)
    return batches


def build(shared_data: Path) -> dict[str, Any]:
    """The snapshot document (deterministic: same data, same document)."""
    batches = read_inputs(shared_data)
    all_obs = [o for b in batches for o in b.observations]
    cells = resolve.resolve(all_obs)
    changes = resolve.changes({(c.report_date, c.category): c.total for c in cells})
    observations: dict[str, list[list[Any]]] = {}
    addresses: dict[str, dict[str, str]] = {}
    retrieved: dict[str, dict[str, str]] = {}
    corrections: list[list[Any]] = []
    for b in batches:
        if b.source not in SHIPPED:
            continue
        rows = observations.setdefault(b.source, [])
        for o in b.observations:
            rows.append([o.report_date.isoformat(), o.category, o.total, o.announced_change,
                         o.qualifier])
            if o.address:
                addresses.setdefault(b.source, {})[o.report_date.isoformat()] = o.address
        if b.retrieved_at:
            for o in b.observations:
                retrieved.setdefault(b.source, {})[o.report_date.isoformat()] = b.retrieved_at
        corrections.extend([c.source, c.report_date.isoformat(), c.category, c.value]
                           for c in b.corrections)
    for rows in observations.values():
        rows.sort(key=lambda r: (r[0], r[1]))
    # One retrieval date per source unless it varies (bulletins: their own dates).
    retrieved_compact: dict[str, Any] = {}
    for src, per_day in retrieved.items():
        values = set(per_day.values())
        retrieved_compact[src] = values.pop() if len(values) == 1 else dict(sorted(
            per_day.items()))
    return {
        "format": FORMAT,
        "attribution": ATTRIBUTION,
        "retrieved_at": retrieved_compact,
        "observations": observations,
        "addresses": addresses,
        "corrections": sorted(corrections, key=lambda r: (r[1], r[2])),
        "cells": [[c.report_date.isoformat(), c.category, c.total, ",".join(c.sources),
                   dict(c.dissent) or None, c.method, c.announced_change, c.qualifier,
                   c.address, changes[(c.report_date, c.category)]] for c in cells],
    }


def dumps(doc: dict[str, Any]) -> bytes:
    """Deterministic bytes: sorted keys, no timestamps in the gzip header."""
    raw = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return gzip.compress(raw, compresslevel=9, mtime=0)


def bundled_bytes() -> bytes:
    return resources.files("attrition").joinpath("data", _BUNDLED).read_bytes()


def load_doc() -> dict[str, Any]:
    """The bundled snapshot document."""
    doc: dict[str, Any] = json.loads(gzip.decompress(bundled_bytes()))
    if doc.get("format") != FORMAT:
        raise SnapshotError(f"bundled snapshot has format {doc.get('format')}, not {FORMAT}")
    return doc


def rows(doc: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The document as database rows, in the store's column order (see store.db), so that a
    first run loads it without building an object per figure."""
    obs: list[tuple[Any, ...]] = []
    for src, items in doc["observations"].items():
        addrs = doc["addresses"].get(src, {})
        when = doc["retrieved_at"].get(src)
        per_day = when if isinstance(when, dict) else None
        for day, cat, total, announced, qualifier in items:
            address = addrs.get(day)
            obs.append((src, day, _covers(day), cat, total, announced, qualifier, address, 1,
                        per_day[day] if per_day else when,
                        address if per_day else f"bundled snapshot ({src})"))
    ledger = [(r[0], _covers(r[0]), r[1], r[2], r[9], r[6], r[7], r[3],
               json.dumps(r[4], sort_keys=True) if r[4] else None, r[5], r[8])
              for r in doc["cells"]]
    corrections = [tuple(r) for r in doc["corrections"]]
    return {"observations": obs, "ledger": ledger, "corrections": corrections}


@functools.cache
def _covers(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


# -- confirmed losses -------------------------------------------------------------------------

_CONFIRMED = "confirmed.json.gz"
ORYX_COMMIT = "a8624b4781666b73440fba89824133cb41531a72"
ORYX_AS_OF = "2025-07-19"
ORYX_ATTRIBUTION = ("Visually confirmed losses: Oryx, \"Attack On Europe: Documenting Equipment "
                    "Losses\" (oryxspioenkop.com), as scraped by scarnecchia/oryx_data "
                    f"(snapshot {ORYX_COMMIT[:8]}, {ORYX_AS_OF}), CC BY 4.0.")
_COUNT_COLS = ("type", "day", "destroyed", "damaged", "abandoned", "captured", "total")


def build_confirmed(shared_data: Path) -> dict[str, Any]:
    """The bundled confirmed-loss document: Oryx's per-type counts for Russia (deterministic)."""
    from attrition.sources import oryx

    path = shared_data / "confirmed" / "oryx_data" / "daily_count.csv"
    batch = oryx.read_daily_count(path.read_bytes())
    rows = sorted(([c.type, c.day.isoformat(), c.destroyed, c.damaged, c.abandoned,
                    c.captured, c.total] for c in batch.counts if c.country == "Russia"),
                  key=lambda r: (r[1], r[0]))
    return {
        "format": FORMAT, "source": oryx.SOURCE, "country": "Russia", "licence": "CC BY 4.0",
        "attribution": ORYX_ATTRIBUTION, "as_of": ORYX_AS_OF, "retrieved_at": ORYX_AS_OF,
        "address": f"https://github.com/scarnecchia/oryx_data/blob/{ORYX_COMMIT}/"
                   "daily_count.csv",
        "columns": list(_COUNT_COLS), "counts": rows,
    }


def bundled_confirmed_bytes() -> bytes:
    return resources.files("attrition").joinpath("data", _CONFIRMED).read_bytes()


def load_confirmed_doc() -> dict[str, Any]:
    """The bundled confirmed-loss document, its layout checked."""
    doc: dict[str, Any] = json.loads(gzip.decompress(bundled_confirmed_bytes()))
    if doc.get("format") != FORMAT or list(doc.get("columns", [])) != list(_COUNT_COLS):
        raise SnapshotError("bundled confirmed-loss snapshot has an unknown layout")
    return doc


def confirmed_batch() -> ConfirmedBatch:
    """The bundled confirmed counts as a batch for `Store.ingest_confirmed`."""
    doc = load_confirmed_doc()
    counts = [ConfirmedCount(doc["source"], doc["country"], t, date.fromisoformat(d), *nums)
              for t, d, *nums in doc["counts"]]
    return ConfirmedBatch(doc["source"], counts=counts, address=doc["address"],
                          retrieved_at=doc["retrieved_at"])


def confirmed_rows() -> list[tuple[Any, ...]]:
    """The bundled confirmed counts as `confirmed_counts` rows (store.db's column order), for
    a first run's single load."""
    doc = load_confirmed_doc()
    src, country, when, where = doc["source"], doc["country"], doc["retrieved_at"], \
        doc["address"]
    return [(src, country, t, d, 1, *nums, when, where) for t, d, *nums in doc["counts"]]
