"""Evaluate the fact-checker on the labelled real articles in shared/eval (not a test).

    python bench/eval_check.py [--split test|dev|all] [--eval-dir PATH] [--json FILE] [-v]

Reports, for the test split first, then dev (`--split all`, the default, prints both and
their union): claim recall and precision and verdict accuracy (on the claims found, and end
to end: right verdicts over all labelled claims), each overall and per language (en, uk, ru),
with a per-verdict table; how often each rule id fired when the checker's claims carry
`rule_ids`; and the time per article. `--json FILE` writes every figure (and, with `-v`, every
miss, wrong verdict and extra claim) to FILE. The split is read from shared/eval/README.md
("- test: 202, 204, ..."; dev is every other article). `--eval-dir PATH` measures another set laid
out the same way (PATH/README.md with its "- test:" line, PATH/articles, PATH/labels), e.g. an extra
set kept outside the repository; the default is shared/eval.

Matching reported claims to labelled claims (the same for every figure):

1. A labelled claim's places are every occurrence of its `quote` in the article text.
2. A reported claim is a *candidate* for a labelled claim when its `span` overlaps one of
   those places and it states the same thing: for a labelled number (`value` set), the
   reported `value` equals it (so "716k" read as 716 is a miss, not a find); for a labelled
   comparative claim ("the highest since ..."), the reported claim is comparative, or states
   the labelled value.
3. Each reported claim matches at most one labelled claim and vice versa: a maximum
   bipartite matching (augmenting paths), so a reported claim that could serve two labels
   never starves the one that has no other candidate. Candidates are tried in a fixed order
   of preference: the place with the same rank as the label among labels quoting the same
   words (the 2nd "19 tanks" label prefers the 2nd occurrence), then the larger overlap,
   then text order. The result does not depend on hash order.
4. Found = matched. Recall = found / labelled; precision = matched reported claims /
   reported claims. A found claim's verdict is right when it equals the label's verdict or
   one of its `also_accept` verdicts (definitional cases, see the eval README).

Each figure is given twice: over every labelled claim ("labelled": out-of-scope ones too, which
the checker must report as unverifiable) and over the `in_scope` labels only ("in scope"; the
figures issue 11 quotes). "verdicts" is accuracy on the claims found; "end-to-end" is right
verdicts over all labelled claims (a missed claim counts as wrong).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EVAL = Path(os.environ.get("ATTRITION_SHARED", HERE.parent.parent / "shared")) / "eval"
LANGUAGES = ("en", "uk", "ru")
VERDICTS = ("supported", "rounded", "contradicted", "mislabeled", "wrong_date",
            "unverifiable")


# -- the eval set -----------------------------------------------------------------------------

@dataclass
class Article:
    id: str
    """The file's stem: "202", "seed-2024-11-14"."""
    split: str
    language: str
    check_date: date
    text: str
    claims: list[dict[str, Any]]


def read_split(readme: Path | None = None) -> set[str]:
    """The test split's article ids, as the eval README names them."""
    readme = readme or EVAL / "README.md"
    if not readme.is_file():
        sys.exit(f"{readme}: no such file (the eval README names the test split)")
    m = re.search(r"^-\s*test:\s*(.+)$", readme.read_text("utf-8"), re.M)
    if not m:
        sys.exit(f"{readme}: no '- test: ...' line naming the test split")
    return {t.strip() for t in m.group(1).split(",") if t.strip()}


def load_articles(split: str = "all", root: Path | None = None) -> list[Article]:
    """The labelled articles of a split ("test", "dev" or "all") of the eval set at `root`
    (default shared/eval), test first."""
    root = root or EVAL
    if not (root / "labels").is_dir():
        sys.exit(f"no labelled articles at {root / 'labels'} (set ATTRITION_SHARED or pass "
                 f"--eval-dir)")
    test = read_split(root / "README.md")
    out = []
    for lf in sorted((root / "labels").glob("*.json")):
        lab = json.loads(lf.read_text("utf-8"))
        aid = Path(lab["file"]).stem
        which = "test" if aid in test else "dev"
        if split not in ("all", which):
            continue
        out.append(Article(aid, which, lab["language"], date.fromisoformat(lab["check_date"]),
                           (root / "articles" / lab["file"]).read_text("utf-8"),
                           lab["claims"]))
    out.sort(key=lambda a: (a.split != "test", a.id))
    return out


def load_ledger() -> Any:
    """The checker's view of the bundled snapshot (loaded into a throwaway SQLite file)."""
    from attrition.bootstrap import ensure_loaded
    from attrition.check import LedgerView
    from attrition.store.read import Reader

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/eval.db"
        ensure_loaded(url)
        with Reader(url) as r:
            return LedgerView(r.by_category(), r.corrections())


# -- matching ---------------------------------------------------------------------------------

def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def is_comparative(label: dict[str, Any]) -> bool:
    return label["measure"] == "comparative" or label["value"] is None


def compatible(label: dict[str, Any], pred: dict[str, Any]) -> bool:
    if label["value"] is not None and pred.get("value") == label["value"]:
        return True
    return is_comparative(label) and pred.get("measure") == "comparative"


def match(text: str, labels: Sequence[dict[str, Any]], preds: Sequence[dict[str, Any]]
          ) -> dict[int, int]:
    """label index -> reported claim index (see the module docstring)."""
    rank: Counter[str] = Counter()
    candidates: list[list[int]] = []
    for lab in labels:
        spans = quote_spans(text, lab["quote"])
        k = rank[lab["quote"]]
        rank[lab["quote"]] += 1
        scored = []
        for j, p in enumerate(preds):
            pa, pb = p["span"]
            best = None
            for r, (a, b) in enumerate(spans):
                overlap = min(b, pb) - max(a, pa)
                if overlap > 0 and compatible(lab, p):
                    key = (r != k, -overlap, j)
                    best = key if best is None else min(best, key)
            if best is not None:
                scored.append((best, j))
        candidates.append([j for _, j in sorted(scored)])
    owner: dict[int, int] = {}  # reported claim -> label

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(labels)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def accepted(label: dict[str, Any]) -> set[str]:
    return {label["verdict"], *label.get("also_accept", [])}


# -- scores -----------------------------------------------------------------------------------

@dataclass
class Score:
    articles: int = 0
    labelled: int = 0
    in_scope: int = 0
    found: int = 0
    found_in_scope: int = 0
    right_in_scope: int = 0
    reported: int = 0
    matched: int = 0
    right: int = 0
    per_verdict: Counter[str] = field(default_factory=Counter)
    per_verdict_found: Counter[str] = field(default_factory=Counter)
    per_verdict_right: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles, "labelled": self.labelled, "in_scope": self.in_scope,
            "found": self.found, "reported": self.reported, "right": self.right,
            "recall": ratio(self.found, self.labelled),
            "recall_in_scope": ratio(self.found_in_scope, self.in_scope),
            "precision": ratio(self.matched, self.reported),
            "verdict_accuracy_found": ratio(self.right, self.found),
            "verdict_accuracy_end_to_end": ratio(self.right, self.labelled),
            "verdict_accuracy_found_in_scope": ratio(self.right_in_scope,
                                                     self.found_in_scope),
            "verdict_accuracy_end_to_end_in_scope": ratio(self.right_in_scope,
                                                          self.in_scope),
            "per_verdict": {v: {"labelled": self.per_verdict[v],
                                "found": self.per_verdict_found[v],
                                "right": self.per_verdict_right[v]}
                            for v in sorted(self.per_verdict)},
        }


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def pct(a: int, b: int) -> str:
    return f"{a / b:6.1%}" if b else "     -"


def score_article(art: Article, preds: Sequence[dict[str, Any]], scores: Sequence[Score],
                  log: list[dict[str, Any]] | None) -> None:
    pairs = match(art.text, art.claims, preds)
    for s in scores:
        s.articles += 1
        s.reported += len(preds)
        s.matched += len(pairs)
    for i, lab in enumerate(art.claims):
        j = pairs.get(i)
        ok = j is not None and preds[j]["verdict"] in accepted(lab)
        for s in scores:
            s.labelled += 1
            s.in_scope += bool(lab["in_scope"])
            s.per_verdict[lab["verdict"]] += 1
            if j is not None:
                s.found += 1
                s.found_in_scope += bool(lab["in_scope"])
                s.per_verdict_found[lab["verdict"]] += 1
            if ok:
                s.right += 1
                s.right_in_scope += bool(lab["in_scope"])
                s.per_verdict_right[lab["verdict"]] += 1
        if log is None:
            continue
        if j is None:
            log.append({"kind": "MISS", "article": art.id, "quote": lab["quote"],
                        "want": lab["verdict"]})
        elif not ok:
            p = preds[j]
            log.append({"kind": "WRONG", "article": art.id, "quote": lab["quote"],
                        "got": p["verdict"], "want": sorted(accepted(lab)),
                        "got_reading": [p.get("category"), p.get("measure"), p.get("period"),
                                        p.get("actual")],
                        "want_reading": [lab["category"], lab["measure"], lab["from"],
                                         lab["to"], lab["actual"]],
                        "why": str(p.get("why", ""))[:160]})
    if log is not None:
        used = set(pairs.values())
        log.extend({"kind": "EXTRA", "article": art.id, "text": p.get("text"),
                    "got": p["verdict"], "category": p.get("category")}
                   for j, p in enumerate(preds) if j not in used)


def count_rules(preds: Sequence[dict[str, Any]], into: Counter[str]) -> bool:
    """Count each rule id once per claim that carries it; whether any claim has `rule_ids`
    at all (a checker without rule ids prints no table)."""
    seen = False
    for p in preds:
        if "rule_ids" in p:
            seen = True
            into.update(set(p["rule_ids"] or ()))
    return seen


def known_rule_ids() -> list[str]:
    """Every rule id in the checker's rule files, if it has them (file order)."""
    try:
        from attrition.check.rules import all_rules
    except ImportError:
        return []
    return [r.id for r in all_rules()]


def print_split(name: str, by: dict[str, Score]) -> None:
    total = by["all"]
    print(f"\n== {name} ({total.articles} articles) ==")
    print(f"  {'':16} {'articles':>8} {'claims':>6} {'found':>5} {'recall':>7} "
          f"{'reported':>8} {'precision':>9} {'verdicts':>8} {'end-to-end':>10}")
    for key in ("all", *LANGUAGES):
        s = by.get(key)
        if s is None or not s.articles:
            continue
        print(f"  {key + ' labelled':16} {s.articles:8} {s.labelled:6} {s.found:5} "
              f"{pct(s.found, s.labelled):>7} {s.reported:8} {pct(s.matched, s.reported):>9} "
              f"{pct(s.right, s.found):>8} {pct(s.right, s.labelled):>10}")
        print(f"  {key + ' in scope':16} {'':8} {s.in_scope:6} {s.found_in_scope:5} "
              f"{pct(s.found_in_scope, s.in_scope):>7} {'':8} {'':>9} "
              f"{pct(s.right_in_scope, s.found_in_scope):>8} "
              f"{pct(s.right_in_scope, s.in_scope):>10}")
    print(f"  {'verdict':13} {'labelled':>8} {'found':>5} {'right':>5}  (right of found)")
    for v in sorted(total.per_verdict, key=lambda v: (*VERDICTS, v).index(v)):
        f = total.per_verdict_found[v]
        print(f"  {v:13} {total.per_verdict[v]:8} {f:5} {total.per_verdict_right[v]:5}  "
              f"{pct(total.per_verdict_right[v], f)}")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("test", "dev", "all"), default="all")
    ap.add_argument("--eval-dir", type=Path, default=None, metavar="PATH",
                    help="another eval set laid out like shared/eval (README.md with the "
                         "'- test:' line, articles/, labels/); default shared/eval")
    ap.add_argument("--json", type=Path, help="write every figure to this file")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list every miss, wrong verdict and extra claim")
    args = ap.parse_args(argv)
    root = (args.eval_dir or EVAL).resolve()
    arts = load_articles(args.split, root)  # before the ledger: a wrong path fails fast
    from attrition.check import check_text

    ledger = load_ledger()
    splits = ["test", "dev"] if args.split == "all" else [args.split]
    scores: dict[str, dict[str, Score]] = {
        s: {k: Score() for k in ("all", *LANGUAGES)} for s in [*splits, "all"]}
    rules: Counter[str] = Counter()
    has_rules = False
    log: list[dict[str, Any]] | None = [] if args.verbose else None
    times = []
    for art in arts:
        t = time.perf_counter()
        doc = check_text(art.text, ledger, art.check_date)
        times.append(time.perf_counter() - t)
        preds = doc["claims"]
        has_rules = count_rules(preds, rules) or has_rules
        lang = art.language if art.language in LANGUAGES else "all"
        targets = [scores[art.split]["all"], scores["all"]["all"]]
        if lang != "all":
            targets += [scores[art.split][lang], scores["all"][lang]]
        score_article(art, preds, targets, log)
    if log:
        for e in log:
            print(" ".join(f"{k}={v!r}" if k != "kind" else v for k, v in e.items()))
    print(f"checker on the labelled articles of {root} (split from its README)")
    for s in splits:
        print_split(s, scores[s])
    if args.split == "all":
        print_split("test + dev", scores["all"])
    dead: list[str] = []
    if has_rules:
        print(f"\nrule ids fired (claims carrying each id; {len(rules)} ids):")
        items = sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
        width = max(len(r) for r in rules) if rules else 0
        per_line = max(1, 96 // (width + 7))
        for i in range(0, len(items), per_line):
            print("  " + "  ".join(f"{r:{width}} {n:4}" for r, n in items[i:i + per_line]))
        dead = [r for r in known_rule_ids() if r not in rules]
        if dead:
            print(f"rules that never fired here ({len(dead)} of {len(known_rule_ids())} in "
                  f"the rule files):")
            for i in range(0, len(dead), per_line):
                print("  " + "  ".join(f"{r:{width + 5}}" for r in dead[i:i + per_line]))
    times.sort()
    median = times[len(times) // 2] * 1000 if times else 0.0
    print(f"\ntime per article (in-process): median {median:.1f} ms")
    if args.json:
        out: dict[str, Any] = {
            "eval": str(root), "split": args.split,
            "splits": {s: {k: v.as_dict() for k, v in by.items() if v.articles}
                       for s, by in scores.items()},
            "rule_ids": dict(sorted(rules.items())) if has_rules else None,
            "rules_never_fired": dead if has_rules else None,
            "median_ms_per_article": round(median, 2),
        }
        if log is not None:
            out["log"] = log
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
