"""Every check document of the labelled sets, their mutants and the test fixtures, for
comparing two versions of the checker byte for byte (not a test; a speed change must not move
a single verdict, span or word).

    python bench/check_outputs.py OUT [--eval-dir PATH ...] [--no-mutants]

By default each text is checked as `attrition check` does it (`service.Checker` over the
store's copy in the cache folder); `--view` checks with a plain LedgerView as eval_check.py.
Writes OUT: one line per checked text (its name, then the document as sorted JSON), and prints
a digest of the whole and the number of texts. Run it once on the code before a change (e.g.
with PYTHONPATH=/tmp/old/src, from `git archive`) and once after, then `cmp` the two files.
The eval sets default to shared/eval and the extra sets beside it in ../notes
(extra_eval, extra_eval2, ... where present); mutants as bench/mutate.py makes them (seed 0),
for both splits. Run it under a fixed PYTHONHASHSEED to compare runs of one version too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def eval_dirs() -> list[Path]:
    from eval_check import EVAL

    notes = EVAL.parent.parent / "notes"
    extra = sorted(p for p in notes.glob("extra_eval*")
                   if (p / "labels").is_dir() and (p / "README.md").is_file())
    return [EVAL, *extra]


def cli_checker() -> Any:
    """The checker as `attrition check` builds it (the store's copy in the cache folder, the
    confirmed counts beside), over the bundled snapshot in a throwaway store."""
    import os
    import tempfile

    from attrition.bootstrap import ensure_loaded
    from attrition.check import ledger_cache
    from attrition.service import Checker
    from attrition.store.read import Reader

    tmp = tempfile.mkdtemp()
    os.environ["ATTRITION_CACHE"] = str(Path(tmp) / "cache")
    url = f"sqlite:///{tmp}/outputs.db"
    ensure_loaded(url)
    for _ in range(2):  # the first writes the cache folder's copy, the second reads it
        with Reader(url) as plain, ledger_cache.cached(plain) as reader:
            checker = Checker(reader)
    return checker


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--eval-dir", type=Path, action="append",
                    help="a labelled set (repeatable; default: shared/eval and the extra sets)")
    ap.add_argument("--no-mutants", action="store_true")
    ap.add_argument("--view", action="store_true",
                    help="check with a LedgerView of the store's rows (as eval_check.py does) "
                         "instead of the checker `attrition check` builds")
    args = ap.parse_args()
    from datetime import date

    from eval_check import load_articles, load_ledger
    from mutate import load_figures, make_mutants

    from attrition.check import check_text
    from attrition.errors import CheckError

    fig = None if args.no_mutants else load_figures()
    lines: list[str] = []
    if args.view:
        ledger = load_ledger()

        def run(text: str, day: date | None) -> object:
            return check_text(text, ledger, day)
    else:
        checker = cli_checker()

        def run(text: str, day: date | None) -> object:
            return checker.check(text, day)

    def one(name: str, text: str, day: date | None) -> None:
        try:
            doc = run(text, day)
        except CheckError as exc:
            doc = {"error": str(exc)}
        lines.append(json.dumps([name, doc], ensure_ascii=False, sort_keys=True))

    for root in args.eval_dir or eval_dirs():
        for art in load_articles("all", root):
            one(f"{root.name}/{art.id}", art.text, art.check_date)
            if fig is not None:
                mutants, _ = make_mutants(art, fig, 0)
                for i, m in enumerate(mutants):
                    one(f"{root.name}/{art.id}/mutant{i}/{m.kind}", m.text, art.check_date)
    for p in sorted((HERE.parent / "tests" / "fixtures").rglob("*.txt")):
        one(str(p.relative_to(HERE.parent)), p.read_text("utf-8", errors="replace"), None)
        one(f"{p.relative_to(HERE.parent)}@2024-06-10", p.read_text("utf-8", errors="replace"),
            date(2024, 6, 10))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    args.out.write_bytes(data)
    print(f"{len(lines)} texts checked; sha256 {hashlib.sha256(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
