"""The shipped snapshot is exactly what scripts/build_snapshot.py builds from shared/data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from attrition import snapshot


def test_shipped_snapshot_equals_a_fresh_build(shared_data: Path) -> None:
    built = snapshot.dumps(snapshot.build(shared_data))
    shipped = snapshot.bundled_bytes()
    if built != shipped:  # say what differs rather than two blobs
        a, b = json.loads(gzip.decompress(built)), json.loads(gzip.decompress(shipped))
        assert {k: a[k] == b[k] for k in a} == {k: True for k in a}
    assert built == shipped


def test_snapshot_never_ships_minfin_rows() -> None:
    doc = json.loads(gzip.decompress(snapshot.bundled_bytes()))
    assert "minfin" not in doc["observations"]
    assert all("minfin" in a["source"] or "minfin" not in a["text"].lower()
               for a in doc["attribution"])
    assert {a["source"] for a in doc["attribution"]} >= {"petroivaniuk", "orc-losses"}


def test_snapshot_carries_the_licences() -> None:
    doc = json.loads(gzip.decompress(snapshot.bundled_bytes()))
    texts = " ".join(a["text"] for a in doc["attribution"])
    assert "MIT" in texts and "Petro Ivaniuk" in texts and "Lod Softworks" in texts
