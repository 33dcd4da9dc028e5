"""Build the bundled snapshot from shared/data: `python scripts/build_snapshot.py [SHARED_DATA]`.

Reproducible: the same data gives the same bytes (tests/test_snapshot.py checks it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from attrition import snapshot

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


if __name__ == "__main__":
    main()
