"""Build the bundled snapshot from shared/data: `python scripts/build_snapshot.py [SHARED_DATA]`.

Reproducible: the same data gives the same bytes (tests/test_snapshot.py checks it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from attrition import crosswalk, daybook, snapshot
from attrition.bootstrap import ensure_loaded
from attrition.store.read import Reader

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    out = ROOT / "src" / "attrition" / "data" / "snapshot.json.gz"
    data = snapshot.dumps(snapshot.build(shared))
    out.write_bytes(data)
    print(f"wrote {out.relative_to(ROOT)} ({len(data):,} bytes)")
    out = ROOT / "src" / "attrition" / "data" / "confirmed.json.gz"
    data = snapshot.dumps(snapshot.build_confirmed(shared))
    out.write_bytes(data)
    print(f"wrote {out.relative_to(ROOT)} ({len(data):,} bytes)")
    out = ROOT / "src" / "attrition" / "data" / "daybook.tsv.gz"
    data = daybook.dumps(build_daybook(), daybook.crosswalk_stamp())
    out.write_bytes(data)
    print(f"wrote {out.relative_to(ROOT)} ({len(data):,} bytes)")


def build_daybook() -> list[tuple[str, str, str]]:
    """The daybook of the snapshots just written, computed from a store that the first run's
    loader fills with them (the daybook reads only its ledger, corrections, disputed cells
    and counts)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'build.db'}"
        ensure_loaded(url, prebuilt=False)  # the documents just written, not a prebuilt copy
        with Reader(url) as reader:
            return daybook.build(reader.by_category(), reader.corrections(),
                                 reader.confirmed_counts("oryx"), crosswalk.load(),
                                 disputed=reader.disputed_cells())


if __name__ == "__main__":
    main()
