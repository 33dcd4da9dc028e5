"""The briefs, checked by the checker (not a test): every figure and comparative a brief
states, put through the checker in-process (`service.Checker`, as `attrition check`
runs it), and tallied.

    python bench/brief_selfcheck.py [--db URL] [--lang en,uk] [--only day,week,month]
                                    [--every N] [--show N] [--json FILE]

For every report date (every N-th with `--every`), every ISO week and every calendar month
the store holds, in English and Ukrainian, the brief is rendered (`service.brief`, as the
CLI and the API render it) and its whole text is checked as an article dated the brief's
report (a week's or month's: its last report held). Each claim is put in the paragraph its
span falls in, and the paragraph is named by its kind (lead, totals, records, corrections,
two-day, notes, confirmed, source; period briefs: lead, comparison, sum, source). Printed:
claims and supported claims per brief kind, paragraph kind and language; every verdict; and
the distinct non-supported patterns (the claim's text with its digits and dates masked), the
most frequent first, each with one example. With no `--db`, the bundled snapshot is loaded
into a temporary SQLite file (as the tests do).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from attrition import service
from attrition.store.read import Reader

# Paragraph kinds, by how each paragraph of a brief begins (en, uk).
_KINDS = (
    ("lead", ("Russian forces lost", "In its first report", "За зведеннями Генерального штабу,",
              "За першим зведенням")),
    ("corrections", ("The report also corrects", "Зведення також виправляє")),
    ("records", ("Record:", "Records:", "Рекорд:", "Рекорди:")),
    ("totals", ("Since 24 February 2022", "Загалом від 24 лютого")),
    ("confirmed", ("For comparison, Oryx", "Для порівняння: Oryx")),
    ("source", ("Source:", "Джерело:")),
    ("notes", ("The figure", "The sources disagree", "The report has no figure",
               "Дані лише з одного", "Джерела розходяться", "У зведенні немає")),
    ("announced", ("For ",)),
    ("period-lead", ("In ", "The ledger holds", "За ", "У базі")),
    ("comparison", ("Against", "Since the period is not complete", "Порівняно з",
                    "Період ще не завершено")),
    ("sum", ("Taken together",)),
)


def kind_of(para: str) -> str:
    if " cover two days" in para or "це дані за дві доби" in para:
        return "two-day"
    if "repeats the report before" in para or "підсумок повторює" in para:
        return "stale"
    for name, starts in _KINDS:
        if para.startswith(starts):
            return name
    return "other"


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for para in text.split("\n\n"):
        out.append((pos, pos + len(para), kind_of(para)))
        pos += len(para) + 2
    return out


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|"
           "листопада|грудня")


def pattern(text: str) -> str:
    """A claim's text with its figures and dates masked: one pattern for many briefs."""
    text = re.sub(rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}}", "<DATE>", text)
    text = re.sub(r"\d[\d,\u00a0.]*", "N", text)
    return text


def briefs(reader: Reader, only: set[str], langs: list[str], every: int
           ) -> Iterator[tuple[str, str, date, dict[str, Any]]]:
    days = sorted({row.report_date for row in reader.ledger()})
    if "day" in only:
        for day in days[::every]:
            for lang in langs:
                yield "day", day.isoformat(), day, service.brief(reader, day, lang=lang)
    first, last = days[0], days[-1]
    if "week" in only:
        weeks = sorted({(d - timedelta(days=1)).isocalendar()[:2] for d in days if d > first}
                       | {first.isocalendar()[:2]})
        for y, w in weeks:
            for lang in langs:
                name = f"{y}-W{w:02d}"
                doc = service.brief(reader, week=name, lang=lang)
                yield "week", name, min(date.fromisoformat(doc["to"]), last), doc
    if "month" in only:
        months = sorted({(d - timedelta(days=1)).timetuple()[:2] for d in days if d > first}
                        | {first.timetuple()[:2]})
        for y, m in months:
            for lang in langs:
                name = f"{y}-{m:02d}"
                doc = service.brief(reader, month=name, lang=lang)
                yield "month", name, min(date.fromisoformat(doc["to"]), last), doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="the store (an SQLAlchemy URL); default: the bundled snapshot")
    ap.add_argument("--lang", default="en,uk")
    ap.add_argument("--only", default="day,week,month")
    ap.add_argument("--every", type=int, default=1, help="every N-th report date only")
    ap.add_argument("--show", type=int, default=40, help="patterns to list")
    ap.add_argument("--json", help="write every non-supported claim to this file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if url is None:
            from attrition.bootstrap import ensure_loaded

            url = f"sqlite:///{Path(tmp) / 'ledger.db'}"
            ensure_loaded(url)
        t0 = time.perf_counter()
        per: Counter[tuple[str, str, str]] = Counter()
        ok: Counter[tuple[str, str, str]] = Counter()
        verdicts: Counter[str] = Counter()
        patterns: Counter[tuple[str, str, str]] = Counter()
        example: dict[tuple[str, str, str], dict[str, Any]] = {}
        bad = []
        n_briefs = 0
        with Reader(url) as reader:
            checker = service.Checker(reader)  # type: ignore[arg-type]  # as `check` runs
            for kind, name, day, doc in briefs(reader, set(args.only.split(",")),
                                               args.lang.split(","), args.every):
                n_briefs += 1
                text = doc["text"]
                paras = paragraphs(text)
                for c in checker.check(text, day)["claims"]:
                    pk = next((k for a, b, k in paras if a <= c["span"][0] < b), "other")
                    key = (kind, pk, doc["lang"])
                    per[key] += 1
                    verdicts[c["verdict"]] += 1
                    if c["verdict"] == "supported":
                        ok[key] += 1
                        continue
                    pat = (f"{kind}/{pk}/{doc['lang']}", c["verdict"], pattern(c["text"]))
                    patterns[pat] += 1
                    item = {"brief": name, "lang": doc["lang"], "paragraph": pk,
                            "text": c["text"], "verdict": c["verdict"], "why": c["why"],
                            "sentence": c["sentence"]}
                    example.setdefault(pat, item)
                    bad.append(item)
        took = time.perf_counter() - t0
    total, good = sum(per.values()), sum(ok.values())
    print(f"{n_briefs} briefs, {total} claims, {good} supported "
          f"({100 * good / max(total, 1):.1f}%), {took:.0f} s")
    print("verdicts: " + ", ".join(f"{v} {n}" for v, n in verdicts.most_common()))
    print(f"{'brief':6} {'paragraph':12} {'lang':4} {'supported':>9} {'claims':>7}")
    for key in sorted(per):
        print(f"{key[0]:6} {key[1]:12} {key[2]:4} {ok[key]:>9} {per[key]:>7}")
    print(f"\n{len(patterns)} distinct non-supported patterns:")
    for pat, n in patterns.most_common(args.show):
        ex = example[pat]
        print(f"{n:5}  {pat[0]:22} {pat[1]:13} {pat[2][:70]!r}\n       e.g. {ex['brief']}: "
              f"{ex['why'][:150]}")
    if args.json:
        Path(args.json).write_text(json.dumps(bad, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
