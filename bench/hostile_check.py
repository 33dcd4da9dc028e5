"""Pathological articles against the checker: each at two sizes, the CPU time of both, and a
flag when doubling the input more than triples the time (superlinear) or a MB costs over
1 s (not a test; the limits tested are in tests/test_check*.py).

    python bench/hostile_check.py [--db URL] [--size CHARS]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HEAD = "Kyiv, 14 November 2024. "


def shapes(n: int) -> dict[str, str]:
    """Articles of about n characters."""
    def rep(unit: str) -> str:
        return HEAD + unit * max(1, n // len(unit))

    return {
        "one megabyte line": rep("Russia lost 19 tanks and 64 artillery systems, "),
        "numbers only": rep("716070 "),
        "dated figures": rep("on 14 November 2024 Russia lost 19 tanks; "),
        "short sentences": rep("Russia lost 8 tanks. "),
        "no spaces digits": rep("1"),
        "comma thousands": rep("1,"),
        "open parens": rep("(+"),
        "RTL marks": rep("\u200fRussia lost \u200e19\u200f tanks\u202e. "),
        "zero-width joiners": rep("Rus\u200dsia lo\u200dst 1\u200d9 ta\u200dnks. "),
        "combining digits": rep("Russia lost 1\u03019\u0301 tanks. "),
        "full-width digits": rep("Russia lost １９ tanks. "),
        "arabic-indic digits": rep("Russia lost ١٩ tanks. "),
        "ukrainian words": rep("знищено 19 танків, 64 артилерійські системи і "),
        "number words": rep("two thousand three hundred "),
        "mixed scripts": rep("tанк 1 tank2 танk3 "),
        "nested quotes": rep("\u201c\u00ab'\"" ),
        "dashes": rep("tanks - 1 - 2 - "),
        "plus signs": rep("+19 "),
        "percent": rep("19% of 64 tanks "),
        "ranges": rep("between 1 and 2 to 3 of 4 "),
        "urls": rep("https://mod.gov.ua/19/64?tanks=1 "),
        "dates": rep("14.11.2024 "),
        "long word": HEAD + "x" * n,
        "newlines": rep("\n"),
        "tabs and NBSP": rep("\t\u00a0 19\u00a0tanks"),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--size", type=int, default=250_000)
    args = ap.parse_args()
    from attrition.bootstrap import ensure_loaded
    from attrition.check import LedgerView, check_text
    from attrition.errors import AttritionError
    from attrition.store.read import Reader

    db = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'check.db'}"
    ensure_loaded(db)
    with Reader(db) as r:
        ledger = LedgerView(r.by_category(), r.corrections())
    bad = 0
    names = list(shapes(10))
    for name in names:
        times = []
        for n in (args.size, 2 * args.size):
            text = shapes(n)[name]
            t = time.process_time()
            try:
                doc = check_text(text, ledger, date(2024, 11, 14))
                what = f"{len(doc['claims'])} claims"
            except AttritionError as exc:
                what = f"refused: {str(exc)[:50]}"
            except Exception as exc:
                what = f"CRASH {type(exc).__name__}: {str(exc)[:80]}"
                bad += 1
            times.append((time.process_time() - t, len(text.encode()) / 1e6, what))
        (t1, mb1, _), (t2, mb2, what) = times
        flag = ""
        if t2 > 3 * max(t1, 0.05):
            flag += " SUPERLINEAR"
        if t2 / mb2 > 1.0 and t2 > 0.3:
            flag += " SLOW"
        bad += bool(flag)
        print(f"{name:22} {mb1:.2f} MB {t1:6.2f} s | {mb2:.2f} MB {t2:6.2f} s  {what}{flag}",
              flush=True)
    print(f"{len(names)} shapes x 2 sizes, {bad} flagged")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
