"""Evaluate the fact-checker on the labelled real articles in shared/eval (not a test).

Prints extraction recall and precision and verdict accuracy, overall and per verdict.
A labelled claim is found when a reported claim's span overlaps the quote's place in the
text; each reported claim matches one label at most. `-v` lists every miss.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = Path(os.environ.get("ATTRITION_SHARED", HERE.parent.parent / "shared")) / "eval"


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def main() -> None:
    verbose = "-v" in sys.argv
    from attrition.bootstrap import ensure_loaded
    from attrition.check import LedgerView, check_text
    from attrition.store.read import Reader

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/eval.db"
        ensure_loaded(url)
        with Reader(url) as r:
            ledger = LedgerView(r.by_category(), r.corrections())
    labels_n = found_n = predicted_n = matched_pred = correct = 0
    per_verdict: Counter[str] = Counter()
    per_verdict_ok: Counter[str] = Counter()
    per_verdict_found: Counter[str] = Counter()
    times = []
    for lf in sorted((EVAL / "labels").glob("*.json")):
        lab = json.loads(lf.read_text("utf-8"))
        text = (EVAL / "articles" / lab["file"]).read_text("utf-8")
        t = time.perf_counter()
        doc = check_text(text, ledger, date.fromisoformat(lab["check_date"]))
        times.append(time.perf_counter() - t)
        preds = doc["claims"]
        predicted_n += len(preds)
        used: set[int] = set()
        seen_quotes: Counter[str] = Counter()
        for claim in lab["claims"]:
            labels_n += 1
            per_verdict[claim["verdict"]] += 1
            spans = quote_spans(text, claim["quote"])
            k = seen_quotes[claim["quote"]]
            seen_quotes[claim["quote"]] += 1
            ordered = spans[k:] + spans[:k]
            match = None
            for a, b in ordered:
                for i, p in enumerate(preds):
                    if i in used:
                        continue
                    pa, pb = p["span"]
                    if pa < b and a < pb and (claim["value"] is None or p["value"] is None
                                              or p["value"] == claim["value"]
                                              or p["measure"] == "comparative"):
                        match = i
                        break
                if match is not None:
                    break
            if match is None:
                if verbose:
                    print(f"MISS {lf.name}: {claim['quote']!r} ({claim['verdict']})")
                continue
            used.add(match)
            found_n += 1
            per_verdict_found[claim["verdict"]] += 1
            ok = {claim["verdict"], *claim.get("also_accept", [])}
            p = preds[match]
            if p["verdict"] in ok:
                correct += 1
                per_verdict_ok[claim["verdict"]] += 1
            elif verbose:
                print(f"WRONG {lf.name}: {claim['quote']!r}: got {p['verdict']} "
                      f"({p['category']}, {p['measure']}, {p['period']}, actual "
                      f"{p['actual']}) want {claim['verdict']} ({claim['category']}, "
                      f"{claim['measure']}, {claim['from']}..{claim['to']}, actual "
                      f"{claim['actual']}) | {p['why'][:120]}")
        matched_pred += len(used)
        if verbose:
            for i, p in enumerate(preds):
                if i not in used:
                    print(f"EXTRA {lf.name}: {p['text']!r} {p['verdict']} ({p['category']})")
    print(f"articles: {len(times)}; labelled claims: {labels_n}; reported claims: "
          f"{predicted_n}")
    print(f"extraction recall: {found_n / labels_n:.1%} ({found_n}/{labels_n}); precision: "
          f"{matched_pred / max(predicted_n, 1):.1%} ({matched_pred}/{predicted_n})")
    print(f"verdict accuracy (on found claims): {correct / max(found_n, 1):.1%} "
          f"({correct}/{found_n}); end to end: {correct / labels_n:.1%}")
    for v in sorted(per_verdict):
        f = per_verdict_found[v]
        print(f"  {v:13} labelled {per_verdict[v]:3}  found {f:3}  right "
              f"{per_verdict_ok[v]:3} ({per_verdict_ok[v] / max(f, 1):.0%})")
    times.sort()
    print(f"time per article (in-process): median {times[len(times) // 2] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
