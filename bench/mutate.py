"""Planted errors: how often the fact-checker catches a figure made wrong (not a test).

    python bench/mutate.py [--split dev|test|all] [--eval-dir PATH] [--seed N] [--json FILE]
                           [--dump FILE] [-v]

From each labelled article (shared/eval; the dev split by default) it takes every in-scope
claim whose label says it is true (supported or rounded; none whose `also_accept` admits a
wrong verdict), edits the article text at the claim's quote, and runs the checker on the
edited article with the label's check_date. One mutant per kind and claim:

- contradicted: the number replaced by another, 30-80% off the stated one (downwards after
  "under"/"up to"/"fewer than", upwards otherwise), at the stated precision, equal to no
  plausible reading: no category's or named aggregate's figure (nor any pair of categories'
  sum) for the stated period and measure, nor any category's figure in the reports 1-3 days
  either side.
- mislabeled: the number replaced by another category's figure for the same period and measure,
  the original category word kept ("1,146 artillery systems" when 1,146 is the MLRS total);
  only when that figure is unique among the other categories' figures for the period, is not
  one of the claim's category's figures in the reports 1-3 days either side, and is more than
  5% from the true figure.
- wrong_date: the number replaced by the same category's figure for the same measure in a report
  1-3 days before or after the stated one (never one published after the article); only for
  exact daily changes and totals (supported, no qualifier; a window shifted by a day is rather
  another convention for the same month), when that figure occurs once in the window, differs
  from the stated and true figures and is no other category's figure for the stated period.
- shifted_date: the number kept, the one weekday or day-month date in its sentence ("on
  Tuesday", "13 листопада") moved 1-3 days, so that the sentence states another report whose
  figure differs; wrong_date expected. Only for exact daily changes whose date words name the
  labelled report or the day it covers, when the number is unique among the category's
  figures 1-3 days either side of the newly stated report and is no other category's figure
  then or for the original report.
- flipped (comparative claims): the direction word turned round ("highest" -> "lowest",
  "worst" -> "mildest", "найбільший" -> "найменший", "самым высоким" -> "самым низким");
  contradicted expected. (Ordinals are not changed: "second-worst" becomes "second-mildest".)

A mutant is *caught* when the checker's claim at the number (its span overlaps the number and
its value is the mutant's number: the new one, or for shifted_date the unchanged one; for
flipped, a comparative claim overlapping the quote) has the expected verdict. For mislabeled,
wrong_date and shifted_date, "flagged" counts those called contradicted: flagged wrong but not
explained. A mutant with no claim at the number is *missed*.
The false-alarm rate is the share of the unmutated true claims (found by the checker, matched as
in eval_check.py) called contradicted, mislabeled or wrong_date.

The replacement figures are computed here from the bundled snapshot's ledger rows (the store
reader), not through the checker, so a rewrite of the checker cannot move them. The figures
depend only on --seed (string-seeded random.Random per article, claim and kind), never on hash
order: the same mutants every run. `--dump FILE` writes them (JSON lines: article, kind, offset,
old and new text, expected verdict) for use elsewhere.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_check import (  # a sibling script, not a package
    LANGUAGES,
    Article,
    load_articles,
    match,
    pct,
    quote_spans,
)

KINDS = ("contradicted", "mislabeled", "wrong_date", "shifted_date", "flipped")
EXPECTED = {"contradicted": "contradicted", "mislabeled": "mislabeled",
            "wrong_date": "wrong_date", "shifted_date": "wrong_date",
            "flipped": "contradicted"}
WRONG = {"contradicted", "mislabeled", "wrong_date"}
DOWNWARD = {"under", "up to", "less than", "fewer than", "just fewer than", "just under", "below"}


# -- the ledger, read from the store (independent of the checker) -----------------------------

class Figures:
    """Totals and changes by category and report date, with window sums."""

    def __init__(self, rows: Mapping[str, Sequence[Any]], aggregates: Mapping[str, Any]):
        self.totals: dict[str, dict[date, int]] = {}
        self.changes: dict[str, dict[date, int | None]] = {}
        for cat, rs in rows.items():
            self.totals[cat] = {r.report_date: r.total for r in rs}
            self.changes[cat] = {r.report_date: r.change for r in rs}
        self.categories = sorted(self.totals)
        self.aggregates = {k: tuple(a.components) for k, a in sorted(aggregates.items())}
        self._memo: dict[tuple[str, str, date | None, date], int | None] = {}

    def value(self, cat: str, measure: str, start: date | None, end: date) -> int | None:
        key = (cat, measure, start, end)
        if key not in self._memo:
            self._memo[key] = self._value(cat, measure, start, end)
        return self._memo[key]

    def _value(self, cat: str, measure: str, start: date | None, end: date) -> int | None:
        if cat in self.aggregates:
            parts = [self.value(c, measure, start, end) for c in self.aggregates[cat]
                     if end in self.totals.get(c, {})]
            return sum(p for p in parts if p is not None) if parts and None not in parts \
                else None
        if measure == "total":
            return self.totals.get(cat, {}).get(end)
        if measure == "change":
            return self.changes.get(cat, {}).get(end)
        if measure in ("window", "average") and start is not None and start <= end:
            got, d = 0, start
            while d <= end:
                ch = self.changes.get(cat, {}).get(d)
                if ch is None:
                    return None
                got += ch
                d += timedelta(days=1)
            if measure == "average":
                return round(got / ((end - start).days + 1))
            return got
        return None

    def on(self, measure: str, start: date | None, end: date) -> dict[str, int]:
        """Every category's figure for one period (those the ledger has)."""
        out = {}
        for c in self.categories:
            v = self.value(c, measure, start, end)
            if v is not None:
                out[c] = v
        return out


def load_figures() -> Figures:
    from attrition import categories
    from attrition.bootstrap import ensure_loaded
    from attrition.store.read import Reader

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/mutate.db"
        ensure_loaded(url)
        with Reader(url) as r:
            return Figures(r.by_category(), categories.aggregates())


# -- finding and writing the number in a quote ------------------------------------------------

_MULT = {"thousand": 1000, "k": 1000, "тис": 1000, "тисяч": 1000, "тисячі": 1000,
         "тисяча": 1000, "тыс": 1000, "тысяч": 1000, "тысячи": 1000, "тысяча": 1000,
         "million": 1_000_000, "млн": 1_000_000, "мільйон": 1_000_000,
         "мільйона": 1_000_000, "мільйонів": 1_000_000, "миллион": 1_000_000,
         "тисячу": 1000, "тысячу": 1000, "мільйони": 1_000_000, "миллионов": 1_000_000,
         "миллиона": 1_000_000}
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "один": 1, "одна": 1,
          "два": 2, "дві": 2, "три": 3, "чотири": 4, "п'ять": 5, "шість": 6, "сім": 7,
          "вісім": 8, "дев'ять": 9, "десять": 10, "две": 2, "четыре": 4,
          "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9}
_SCALE = (r"thousand|million|тис\.?|тисяч[аіу]?|тыс\.?|тысяч[аиу]?|мільйон\w*|миллион\w*|"
          r"млн\.?")
_WORD_RE = "|".join(sorted(_WORDS, key=len, reverse=True))
_NUM = re.compile(
    r"(?<![\w.,])(?P<int>\d{1,3}(?:(?P<sep>[,\u00a0\u202f\u2009 .])\d{3})"
    r"(?:(?P=sep)\d{3})*|\d+)(?:(?P<dec>[.,])(?P<frac>\d+))?"
    rf"(?:\s*(?P<mult>{_SCALE}|k)(?!\w)(?:\s+(?P<lo>\d{{1,3}})(?![\d.,]\d))?)?"
    r"|(?<!\w)(?P<half>half a million|пів ?мільйона|полмиллиона)(?!\w)"
    r"|(?<!\w)(?P<poltora>півтори тисячі|полторы тысячи)(?!\w)"
    rf"|(?<!\w)(?P<wword>{_WORD_RE}|a)\s+(?P<wmult>{_SCALE})(?!\w)"
    r"|(?<!\w)(?P<bare>тисячі|тысячи|тисячу|тысячу)(?!\w)"
    rf"|(?<!\w)(?P<word>{_WORD_RE})(?!\w)", re.I)


@dataclass(frozen=True)
class Written:
    start: int
    end: int
    """Offsets in the quote."""
    sep: str
    """The thousands separator the writer used ("" if none)."""


def locate(quote: str, value: int, language: str) -> Written | None:
    """Where `value` is written in `quote`, and how."""
    for m in _NUM.finditer(quote):
        if not m["int"]:  # written in words, replaced by digits
            if m["word"]:
                got = _WORDS[m["word"].lower()]
            elif m["wword"]:
                unit = 1 if m["wword"].lower() == "a" else _WORDS[m["wword"].lower()]
                got = unit * _MULT.get(m["wmult"].lower().rstrip("."), 0)
            else:
                got = 500_000 if m["half"] else 1500 if m["poltora"] else 1000
            if got == value:
                return Written(m.start(), m.end(), _default_sep(language))
            continue
        mult = _MULT.get((m["mult"] or "").lower().rstrip("."), 1)
        sep = m["sep"] or ""
        if m["dec"] and mult == 1:
            continue  # a decimal without a scale: not a count
        if sep == "." and m["dec"] and mult == 1:
            continue
        whole = int(re.sub(r"\D", "", m["int"]))
        frac = m["frac"] or ""
        got = round((whole + (int(frac) / 10 ** len(frac) if frac else 0)) * mult)
        if m["lo"]:  # "2 thousand 109", "502 тысяч 340"
            if frac:
                continue
            got += int(m["lo"])
        if got == value:
            return Written(m.start(), m.end(), sep or (_default_sep(language)
                                                       if m["mult"] else ""))
    return None


def _default_sep(language: str) -> str:
    return "," if language == "en" else "\u00a0"


def render(value: int, sep: str) -> str:
    if not sep or value < 1000:
        return str(value)
    return f"{value:,}".replace(",", sep)


FLIPS: tuple[tuple[str, str], ...] = (
    # (pattern, replacement): a direction or ordinal turned round; the first that applies
    (r"\bhighest\b", "lowest"), (r"\blowest\b", "highest"), (r"\bworst\b", "mildest"),
    (r"\bdeadliest\b", "least deadly"), (r"\bbloodiest\b", "least bloody"),
    (r"\bheaviest\b", "lightest"), (r"\bcostliest\b", "cheapest"),
    (r"\bgreatest\b", "smallest"), (r"\blargest\b", "smallest"),
    (r"\bmost catastrophic\b", "least catastrophic"), (r"\bpeak\b", "trough"),
    (r"\bdownwards\b", "upwards"), (r"\bupwards\b", "downwards"),
    (r"найвищ", "найнижч"), (r"найбільш", "найменш"), (r"найдорожч", "найдешевш"),
    (r"самых высоких", "самых низких"), (r"самым высоким", "самым низким"),
    (r"самым смертоносным", "наименее смертоносным"), (r"самые большие", "самые малые"),
)


def flip(quote: str) -> str | None:
    for pattern, repl in FLIPS:
        m = re.search(pattern, quote, re.I)
        if m:
            word = repl[0].upper() + repl[1:] if m.group(0)[0].isupper() else repl
            return quote[:m.start()] + word + quote[m.end():]
    return None


# -- dates in the claim's sentence, for the shifted-date mutants ------------------------------

WEEKDAY_FORMS: tuple[tuple[str, ...], ...] = (
    # Monday..Sunday, one row per language and case (the accusative after "on"/"у"/"в")
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    ("понеділок", "вівторок", "середу", "четвер", "п'ятницю", "суботу", "неділю"),
    ("понеділок", "вівторок", "середа", "четвер", "п'ятниця", "субота", "неділя"),
    ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"),
    ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
)
MONTH_FORMS: tuple[tuple[str, ...], ...] = (
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"),
    ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
     "вересня", "жовтня", "листопада", "грудня"),
    ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
     "октября", "ноября", "декабря"),
)


def _word(w: str) -> str:
    return re.escape(w).replace("'", "['’ʼ]")


_WEEKDAY_RE = re.compile(r"(?<!\w)(?:" + "|".join(
    sorted({_word(w) for row in WEEKDAY_FORMS for w in row}, key=len, reverse=True))
    + r")(?!\w)", re.I)
_MONTHS = "|".join(sorted({_word(m) for row in MONTH_FORMS for m in row}, key=len,
                          reverse=True))
_DATE_RE = re.compile(rf"(?<!\w)(?:(?P<m1>{_MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?!\d)"
                      rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTHS}))(?!\w)"
                      r"(?:,?\s+(?P<year>20\d\d))?", re.I)


@dataclass(frozen=True)
class DateCue:
    start: int
    end: int
    day: date
    """The day the words name, as a reader of the article (on its check_date) resolves it."""
    shift: Callable[[int], str | None]
    """k -> the words naming `day` + k days (None if they cannot)."""


def _norm_apostrophe(w: str) -> str:
    return w.lower().replace("’", "'").replace("ʼ", "'")


def date_cues(text: str, a: int, b: int, today: date) -> list[DateCue]:
    """Weekdays and day-month dates in text[a:b], resolved to the latest such day up to
    `today` (or the year written)."""
    out = []
    for m in _WEEKDAY_RE.finditer(text, a, b):
        word = _norm_apostrophe(m.group(0))
        row = next(r for r in WEEKDAY_FORMS if word in (x.lower() for x in r))
        wd = [x.lower() for x in row].index(word)
        day = today - timedelta(days=(today.weekday() - wd) % 7)

        def by_weekday(k: int, row: tuple[str, ...] = row, day: date = day,
                       orig: str = m.group(0)) -> str | None:
            new_day = day + timedelta(days=k)
            if not 0 <= (today - new_day).days < 7:
                return None  # the new weekday would name another week's day
            new = row[new_day.weekday()]
            new = new[0].upper() + new[1:] if orig[0].isupper() else new
            return new.replace("'", next((c for c in orig if c in "'’ʼ"), "'"))

        out.append(DateCue(m.start(), m.end(), day, by_weekday))
    for m in _DATE_RE.finditer(text, a, b):
        name = (m["m1"] or m["m2"]).lower()
        month = next(r for r in MONTH_FORMS if name in (x.lower() for x in r))
        mon = [x.lower() for x in month].index(name) + 1
        dom = int(m["d1"] or m["d2"])
        try:
            year = int(m["year"]) if m["year"] else today.year
            day = date(year, mon, dom)
            if not m["year"] and day > today:
                day = date(year - 1, mon, dom)
        except ValueError:
            continue
        dgroup = "d1" if m["d1"] else "d2"

        def by_date(k: int, day: date = day, m: re.Match[str] = m, dgroup: str = dgroup
                    ) -> str | None:
            new_day = day + timedelta(days=k)
            if new_day.month != day.month or new_day > today:
                return None
            s0, s1 = m.start(dgroup) - m.start(), m.end(dgroup) - m.start()
            return m.group(0)[:s0] + str(new_day.day) + m.group(0)[s1:]

        out.append(DateCue(m.start(), m.end(), day, by_date))
    return sorted(out, key=lambda c: c.start)


_RANGE_AFTER = re.compile(r"\s*(?:and|to|through|until|till|-|–|—|і|й|та|по|до|и)\s*\d",
                          re.I)
_RANGE_BEFORE = re.compile(r"\d\s*(?:and|to|-|–|—|і|й|та|по|до|и)\s*$", re.I)


def sentence_around(text: str, a: int, b: int) -> tuple[int, int]:
    """The sentence holding text[a:b] (roughly: between full stops or line ends)."""
    left = max(text.rfind(". ", 0, a) + 2, text.rfind("\n", 0, a) + 1, 0)
    ends = [i for i in (text.find(". ", b), text.find("\n", b)) if i >= 0]
    return left, (min(ends) + 1 if ends else len(text))



# -- the mutants ------------------------------------------------------------------------------

@dataclass
class Mutant:
    article: Article
    kind: str
    expected: str
    start: int
    end: int
    """The edited stretch in the mutated text."""
    old: str
    new: str
    value: int | None
    """The new number (None for a flipped comparative)."""
    claim: dict[str, Any]
    text: str
    note: str
    at: tuple[int, int] = (0, 0)
    """Where the checker's claim is expected in the mutated text (the number; the edit if
    that is the number or the comparative phrase)."""
    stated: date | None = None
    """shifted_date: the report date the edited text now states."""

    def __post_init__(self) -> None:
        if self.at == (0, 0):
            self.at = (self.start, self.end)


def body_start(text: str) -> int:
    """Where the article's text starts after its header block (url, outlet, ... between
    "---" lines), 0 if it has none."""
    if not text.startswith("---\n"):
        return 0
    end = text.find("\n---\n", 4)
    return 0 if end < 0 else end + 5


def _shifted(start: date | None, end: date, k: int) -> tuple[date | None, date]:
    return (None if start is None else start + timedelta(days=k)), end + timedelta(days=k)


def _period(claim: dict[str, Any]) -> tuple[date | None, date] | None:
    if not claim["to"]:
        return None
    end = date.fromisoformat(claim["to"])
    if claim["measure"] == "total":
        return None, end
    if not claim["from"]:
        return None
    return date.fromisoformat(claim["from"]), end


def _precision(written: str, value: int) -> int:
    m = re.search(r"[.,](\d+)\s*\D", written + " ")
    mult = next((v for k, v in _MULT.items() if re.search(rf"\d\s*{k}", written, re.I)), 1)
    if mult > 1:
        return mult // 10 ** len(m.group(1)) if m else mult
    p = 1
    while value and value % (p * 10) == 0 and p < 100_000:
        p *= 10
    return p


def make_mutants(art: Article, fig: Figures, seed: int) -> tuple[list[Mutant], Counter[str]]:
    """The mutants of one article, and why claims gave none (for the record)."""
    out: list[Mutant] = []
    skipped: Counter[str] = Counter()
    rank: Counter[str] = Counter()
    body = body_start(art.text)
    for idx, claim in enumerate(art.claims):
        k = rank[claim["quote"]]
        rank[claim["quote"]] += 1
        if not claim["in_scope"] or claim["verdict"] not in ("supported", "rounded"):
            continue
        if WRONG & set(claim.get("also_accept", ())):
            skipped["also_accept admits a wrong verdict"] += 1
            continue
        spans = quote_spans(art.text, claim["quote"])
        # the article's own words, not its header block (whose title the body repeats)
        spans = [sp for sp in spans if sp[0] >= body] or spans
        if not spans:
            skipped["quote not in text"] += 1
            continue
        qa, qb = spans[min(k, len(spans) - 1)]

        def rng(kind: str, idx: int = idx) -> random.Random:
            return random.Random(f"{seed}:{art.id}:{idx}:{kind}")

        def edit(kind: str, a: int, b: int, new: str, value: int | None, note: str,
                 claim: dict[str, Any] = claim) -> Mutant:
            return Mutant(art, kind, EXPECTED[kind], a, a + len(new), art.text[a:b], new,
                          value, claim, art.text[:a] + new + art.text[b:], note)

        if claim["measure"] == "comparative":
            flipped = flip(claim["quote"])
            if flipped is None:
                skipped["comparative: no direction word to flip"] += 1
                continue
            out.append(edit("flipped", qa, qb, flipped, None, "direction flipped"))
            continue
        cat, measure, value = claim["category"], claim["measure"], claim["value"]
        if value is None or not cat or cat.startswith("sum:") or cat not in fig.totals:
            skipped["no single ledger category"] += 1
            continue
        period = _period(claim)
        if period is None:
            skipped["no period"] += 1
            continue
        start, end = period
        actual = fig.value(cat, measure, start, end)
        if actual is None:
            skipped["no ledger figure"] += 1
            continue
        w = locate(claim["quote"], value, art.language)
        if w is None:
            skipped["number not found in quote"] += 1
            continue
        na, nb = qa + w.start, qa + w.end
        written = art.text[na:nb]
        here = fig.on(measure, start, end)
        others = {c: v for c, v in here.items() if c != cat}
        near: dict[int, set[str]] = {}  # figure -> categories, reports 1-3 days either side
        own_near: dict[int, list[int]] = {}  # the claim's category: figure -> shifts
        for s in (-3, -2, -1, 1, 2, 3):
            s0, s1 = _shifted(start, end, s)
            for c, v in fig.on(measure, s0, s1).items():
                near.setdefault(v, set()).add(c)
                if c == cat:
                    own_near.setdefault(v, []).append(s)
        plausible = {actual, value, *here.values(), *near}
        plausible |= {v for c, v in ((a, fig.value(a, measure, start, end))
                                     for a in fig.aggregates) if v is not None}
        plausible |= {a + b for a, b in combinations(sorted(here.values()), 2)}

        # (a) another number
        r = rng("contradicted")
        prec = _precision(written, value)
        down = (claim.get("qualifier") or "").lower() in DOWNWARD
        for _ in range(40):
            f = r.uniform(0.3, 0.8)
            cand = round(value * (1 - f if down else 1 + f) / prec) * prec
            if cand < 2 or cand in plausible or abs(cand - actual) <= max(prec, actual * 0.2):
                prec = max(1, prec // 10) if r.random() < 0.3 else prec
                continue
            out.append(edit("contradicted", na, nb, render(cand, w.sep), cand,
                            f"{value} -> {cand} (true {actual})"))
            break
        else:
            skipped["contradicted: no implausible figure"] += 1

        # (b) another category's figure, same period and measure
        counts = Counter(others.values())
        pool = sorted(c for c, v in others.items()
                      if v >= 2 and counts[v] == 1 and v != value and v not in own_near
                      and abs(v - actual) > actual * 0.05 and v != actual)
        if pool:
            c = rng("mislabeled").choice(pool)
            out.append(edit("mislabeled", na, nb, render(others[c], w.sep), others[c],
                            f"{value} -> {others[c]}, the {c} figure (true {cat} {actual})"))
        else:
            skipped["mislabeled: no unique other-category figure"] += 1

        # (e) the date words turned 1-3 days, the number kept
        if claim["verdict"] == "supported" and not claim.get("qualifier") \
                and measure == "change":
            got = _shift_date(art, fig, claim, na, nb, value, here, rng("shifted_date"))
            if isinstance(got, str):
                skipped[got] += 1
            else:
                out.append(got)

        # (c) an adjacent report's figure
        if claim["verdict"] != "supported" or claim.get("qualifier"):
            skipped["wrong_date: claim not exact"] += 1
            continue
        if measure not in ("change", "total"):
            # a window shifted by a day is another convention for the same month or week
            # (see also_accept in the eval README), not another report
            skipped["wrong_date: a window or average"] += 1
            continue
        pool_d = sorted((v, s[0]) for v, s in own_near.items()
                        if len(s) == 1 and v not in (value, actual) and v >= 1
                        and v not in others.values()
                        and end + timedelta(days=s[0]) <= art.check_date)
        if pool_d:
            v, s = rng("wrong_date").choice(pool_d)
            out.append(edit("wrong_date", na, nb, render(v, w.sep), v,
                            f"{value} -> {v}, the report {s:+d} day(s) (true {actual})"))
        else:
            skipped["wrong_date: no unique adjacent figure"] += 1
    return out, skipped


def _shift_date(art: Article, fig: Figures, claim: dict[str, Any], na: int, nb: int,
                value: int, here: Mapping[str, int], r: random.Random) -> Mutant | str:
    """The one weekday or date in a daily figure's sentence moved 1-3 days, so that the
    figure is an adjacent report's (or why not)."""
    a, b = sentence_around(art.text, na, nb)
    cues = date_cues(art.text, a, b, art.check_date)
    if len(cues) != 1:
        return "shifted_date: not one weekday or date in the sentence"
    cue = cues[0]
    if _RANGE_AFTER.match(art.text, cue.end) or _RANGE_BEFORE.search(
            art.text[max(0, cue.start - 16):cue.start]):
        return "shifted_date: the date is an end of a range"  # "between 13 and 14 November"
    report = date.fromisoformat(claim["to"])
    if (report - cue.day).days not in (0, 1):
        return "shifted_date: the date words name another day"  # about something else
    cat = claim["category"]
    others = {v for c, v in here.items() if c != cat}
    shifts = [-3, -2, -1, 1, 2, 3]
    r.shuffle(shifts)
    for k in shifts:
        stated = report + timedelta(days=k)
        new = cue.shift(k)
        if new is None or stated > art.check_date:
            continue
        there = fig.value(cat, "change", stated, stated)
        window = [fig.value(cat, "change", stated + timedelta(days=j),
                            stated + timedelta(days=j)) for j in (-3, -2, -1, 1, 2, 3)]
        other_then = set(fig.on("change", stated, stated).values()) - {there}
        if there is None or there == value or window.count(value) != 1 \
                or value in others or value in other_then:
            continue
        old = art.text[cue.start:cue.end]
        delta = len(new) - len(old)
        at = (na + delta, nb + delta) if cue.start < na else (na, nb)
        text = art.text[:cue.start] + new + art.text[cue.end:]
        return Mutant(art, "shifted_date", EXPECTED["shifted_date"], cue.start,
                      cue.start + len(new), old, new, value, claim, text,
                      f"{old!r} -> {new!r}: {value} is now the report {-k:+d} day(s) from "
                      f"the stated {stated} (whose figure is {there})", at, stated)
    return "shifted_date: no shift leaves a unique adjacent figure"


# -- scoring ----------------------------------------------------------------------------------

@dataclass
class Tally:
    n: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    flagged: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    got: dict[str, Counter[str]] = field(default_factory=dict)
    true_found: int = 0
    true_missed: int = 0
    false_alarms: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kinds": {k: {"mutants": self.n[k], "caught": self.caught[k],
                          "caught_rate": _r(self.caught[k], self.n[k]),
                          "caught_rate_of_found": _r(self.caught[k],
                                                     self.n[k] - self.missed[k]),
                          "flagged_unexplained": self.flagged[k], "missed": self.missed[k],
                          "verdicts": dict(sorted(self.got.get(k, Counter()).items()))}
                      for k in KINDS if self.n[k]},
            "true_claims_found": self.true_found, "true_claims_missed": self.true_missed,
            "false_alarms": self.false_alarms,
            "false_alarm_rate": _r(self.false_alarms, self.true_found),
        }


def _r(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def verdict_at(doc: dict[str, Any], m: Mutant) -> str | None:
    """The checker's verdict for the mutated claim (None: no claim there)."""
    best = None
    for p in doc["claims"]:
        pa, pb = p["span"]
        overlap = min(pb, m.at[1]) - max(pa, m.at[0])
        if overlap <= 0:
            continue
        if m.value is None and p.get("measure") != "comparative":
            continue
        if m.value is not None and p.get("value") != m.value:
            continue
        if best is None or overlap > best[0]:
            best = (overlap, p["verdict"])
    return None if best is None else best[1]


def print_tallies(name: str, by: dict[str, Tally]) -> None:
    print(f"\n== {name} ==")
    print(f"  {'kind':13} {'lang':4} {'mutants':>7} {'caught':>7} {'rate':>6} {'of found':>8}  "
          f"{'flagged*':>8} {'missed':>6}  other verdicts")
    for kind in KINDS:
        for lang in ("all", *LANGUAGES):
            s = by.get(lang)
            if s is None or not s.n[kind]:
                continue
            explains = EXPECTED[kind] in ("mislabeled", "wrong_date")
            other = {v: n for v, n in sorted(s.got.get(kind, Counter()).items())
                     if v != EXPECTED[kind] and not (v == "contradicted" and explains)}
            flagged = str(s.flagged[kind]) if explains else "-"
            print(f"  {kind if lang == 'all' else '':13} {lang:4} {s.n[kind]:7} "
                  f"{s.caught[kind]:7} {pct(s.caught[kind], s.n[kind]):>6} "
                  f"{pct(s.caught[kind], s.n[kind] - s.missed[kind]):>8}  {flagged:>8} "
                  f"{s.missed[kind]:6}  "
                  + ", ".join(f"{v} {n}" for v, n in other.items()))
    print("  (rate: of all mutants; of found: of those the checker reports a claim for;"
          " * flagged: called contradicted, i.e. flagged wrong but not explained)")
    for lang in ("all", *LANGUAGES):
        s = by.get(lang)
        if s is None or not (s.true_found or s.true_missed):
            continue
        print(f"  false alarms {lang:4}: {s.false_alarms}/{s.true_found} true claims found "
              f"called contradicted/mislabeled/wrong_date ({pct(s.false_alarms, s.true_found)}"
              f"); {s.true_missed} true claims not found")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("test", "dev", "all"), default="dev")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, help="write every figure to this file")
    ap.add_argument("--dump", type=Path, help="write the mutants (JSON lines) to this file")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every mutant not caught")
    ap.add_argument("--eval-dir", type=Path,
                    help="another labelled set in the eval's format (default: shared/eval)")
    args = ap.parse_args(argv)
    from eval_check import load_ledger

    from attrition.check import check_text

    t0 = time.perf_counter()
    fig = load_figures()
    ledger = load_ledger()
    arts = load_articles(args.split, args.eval_dir)
    splits = ["test", "dev"] if args.split == "all" else [args.split]
    tallies = {s: {k: Tally() for k in ("all", *LANGUAGES)} for s in splits}
    skipped: Counter[str] = Counter()
    dump = []
    checks = 0
    for art in arts:
        targets = [tallies[art.split]["all"]]
        if art.language in LANGUAGES:
            targets.append(tallies[art.split][art.language])
        # the unmutated true claims: false alarms
        doc = check_text(art.text, ledger, art.check_date)
        checks += 1
        pairs = match(art.text, art.claims, doc["claims"])
        for i, lab in enumerate(art.claims):
            if not lab["in_scope"] or lab["verdict"] not in ("supported", "rounded"):
                continue
            accepted = {lab["verdict"], *lab.get("also_accept", ())}
            j = pairs.get(i)
            got = None if j is None else doc["claims"][j]["verdict"]
            alarm = got in WRONG and got not in accepted
            for s in targets:
                if j is None:
                    s.true_missed += 1
                else:
                    s.true_found += 1
                    s.false_alarms += alarm
            if alarm and args.verbose:
                print(f"FALSE ALARM {art.id}: {lab['quote']!r} called {got} "
                      f"(label {lab['verdict']})")
        mutants, why = make_mutants(art, fig, args.seed)
        skipped.update(why)
        for m in mutants:
            doc = check_text(m.text, ledger, art.check_date)
            checks += 1
            got = verdict_at(doc, m)
            for s in targets:
                s.n[m.kind] += 1
                s.got.setdefault(m.kind, Counter())[got or "(missed)"] += 1
                if got is None:
                    s.missed[m.kind] += 1
                elif got == m.expected:
                    s.caught[m.kind] += 1
                elif got == "contradicted" and m.expected in ("mislabeled", "wrong_date"):
                    s.flagged[m.kind] += 1
            if args.verbose and got != m.expected:
                print(f"NOT CAUGHT {art.id} {m.kind}: {m.old!r} -> {m.new!r} got {got} "
                      f"({m.note})")
            if args.dump:
                dump.append({"article": art.id, "split": art.split, "language": art.language,
                             "check_date": art.check_date.isoformat(), "kind": m.kind,
                             "expected": m.expected, "offset": m.start,
                             "old": m.old, "new": m.new, "value": m.value,
                             "quote": m.claim["quote"], "note": m.note})
    print(f"mutants of the labelled articles ({args.split} split, seed {args.seed}); "
          f"{checks} checks in {time.perf_counter() - t0:.1f} s")
    for name in splits:
        print_tallies(name, tallies[name])
    if skipped:
        print("\nclaims without a mutant of some kind: " + "; ".join(
            f"{why} {n}" for why, n in sorted(skipped.items())))
    if args.json:
        args.json.write_text(json.dumps({
            "split": args.split, "seed": args.seed,
            "splits": {s: {k: v.as_dict() for k, v in by.items()
                           if v.n.total() or v.true_found} for s, by in tallies.items()},
            "skipped": dict(sorted(skipped.items())),
        }, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"figures written to {args.json}")
    if args.dump:
        args.dump.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dump),
                             "utf-8")
        print(f"{len(dump)} mutants written to {args.dump}")


if __name__ == "__main__":
    main()
