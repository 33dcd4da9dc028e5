"""Verification: for each claim, enumerate readings (category or sum × measure × report date),
compute each from the ledger, choose the one the text supports best, and give the verdict
with the evidence. Deterministic: the same article and ledger give the same verdicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from attrition import categories
from attrition.analysis import records
from attrition.check.claims import Claim
from attrition.check.ledger import LedgerView

NOTE = "Figures are official Ukrainian claims, not independently confirmed."
SUPPORTED, ROUNDED, CONTRADICTED = "supported", "rounded", "contradicted"
MISLABELED, WRONG_DATE, UNVERIFIABLE = "mislabeled", "wrong_date", "unverifiable"
_SUM_CANDIDATES = ("vehicles", "armour", "artillery_all", "equipment", "equipment_all")
_PAIR_PARTS = ("tanks", "afv", "artillery", "mlrs", "air_defense", "vehicles_fuel_tanks",
               "special_equipment", "uav")


@dataclass
class Reading:
    components: tuple[str, ...]
    measure: str
    start: date | None
    end: date
    actual: int | None
    basis: str = "difference of totals"

    @property
    def category(self) -> str:
        return self.components[0] if len(self.components) == 1 else \
            "sum:" + "+".join(self.components)

    def describe(self) -> str:
        what = " + ".join(self.components)
        if self.measure == "change":
            return (f"change in {what}, report of {self.end}, covering "
                    f"{self.end - timedelta(days=1):%d %b %Y}: {_fmt(self.actual)}"
                    + (f" ({self.basis})" if self.basis != "difference of totals" else ""))
        if self.measure == "total":
            return f"total {what} since 24 Feb 2022, report of {self.end}: {_fmt(self.actual)}"
        if self.measure == "average":
            return (f"daily average of {what}, reports {self.start} to {self.end}: "
                    f"{_fmt(self.actual)}")
        return f"sum of daily changes in {what}, reports {self.start} to {self.end}: " \
               f"{_fmt(self.actual)}"

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "components": list(self.components),
                "measure": self.measure,
                "from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat(), "value": self.actual, "basis": self.basis,
                "reading": self.describe()}


@dataclass
class Result:
    verdict: str
    reading: Reading | None
    actual: int | None = None
    actual_category: str | None = None
    why: str = ""
    alternatives: list[Reading] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _fmt(v: int | None) -> str:
    return "no data" if v is None else f"{v:,}"


def rounded_ok(value: int, actual: int, qualifier: str | None, precision: int) -> bool:
    """Whether `value` is a fair rounding of `actual` given how the text qualifies it."""
    if actual == value:
        return True
    diff = actual - value
    p = max(precision, 1)
    if qualifier in ("over", "at least"):
        return 0 <= diff <= p
    if qualifier in ("nearly", "under", "up to"):
        return 0 <= -diff <= p
    if qualifier == "about":
        return abs(diff) <= p
    if p >= 10:  # a round number without a qualifier: within half a unit of its last digit
        return abs(diff) <= p // 2 or (p >= 100 and abs(diff) < p and abs(diff) / value < 0.01)
    return False


class Verifier:
    def __init__(self, ledger: LedgerView) -> None:
        self.ledger = ledger

    def reading(self, components: tuple[str, ...], measure: str, start: date | None,
                end: date) -> Reading:
        return Reading(components, measure, start, end,
                       self.ledger.value(components, measure, start, end))

    def verify(self, c: Claim, day: date,
               windows: list[tuple[date, date]] | None = None) -> Result:
        """The verdict on one claim. `windows` are the periods the article names elsewhere
        (its week or month), tried when the claim's own sentence names none."""
        if c.scope:
            return Result(UNVERIFIABLE, None, why=c.scope)
        if c.label_kind == "comparative":
            return self._comparative(c, day)
        assert c.value is not None and c.category is not None
        start, end = (c.period if c.period else (None, day))
        if end > self.ledger.last or end < self.ledger.first:
            return Result(UNVERIFIABLE, None,
                          why=f"the ledger has no report for {end} (it runs "
                              f"{self.ledger.first} to {self.ledger.last})")
        measure = c.measure or self._infer_measure(c, end)
        if measure in ("window", "average") and start is None:
            if not windows:
                return Result(UNVERIFIABLE, None, why="the text gives no period for this sum")
            start, end = windows[0]
        if measure == "change":
            start = end
        if measure == "total":
            start = None
        comps = self._components(c, end)
        if comps is None:
            return Result(UNVERIFIABLE, None,
                          why=f"{c.label!r} names no category the ledger has on {end}")
        stated = self.reading(comps, measure, start, end)
        tried: list[Reading] = [stated]
        res = self._match(c, stated)
        if res is not None:
            return self._finish(res, tried, stated)
        # the same category, read another way the text allows: another measure, a period
        # the article names, or (when the text names no date) a nearby report
        for alt in self._other_readings(c, comps, measure, start, end, windows or []):
            tried.append(alt)
            res = self._match(c, alt, exact_only=True)
            if res is not None:
                res.why = "read as " + alt.describe()
                return self._finish(res, tried, alt)
        for alt in tried[1:]:
            res = self._match(c, alt)
            if res is not None and alt.measure != "change":
                res.why = "read as " + alt.describe()
                return self._finish(res, tried, alt)
        # other readings that explain the number
        if c.label_kind == "loose":
            for r in self._loose_readings(measure, start, end) + (
                    self._loose_readings("change", end, end) if measure != "change" else []):
                tried.append(r)
                res = self._match(c, r)
                if res is not None:
                    res.why = f"{c.label!r} read as {' + '.join(r.components)}"
                    return self._finish(res, tried, r)
        if c.label_kind == "generic":
            # bare "losses" read as the text's topic; personnel is the other plain reading
            r = self.reading(("personnel",), measure, start, end)
            tried.append(r)
            res = self._match(c, r)
            if res is not None:
                res.why = f"{c.label!r} read as personnel"
                return self._finish(res, tried, r)
        if c.label_kind == "sum":
            for name in _SUM_CANDIDATES:
                r = self.reading(tuple(self.ledger.aggregates[name].components), measure,
                                 start, end)
                tried.append(r)
                res = self._match(c, r)
                if res is not None:
                    res.why = f"the unnamed sum is {name} = {r.category[4:]}"
                    return self._finish(res, tried, r)
        for alt in (self._other_dates(comps, measure, start, end, c) if c.date_stated
                    else []):
            tried.append(alt)
            if alt.actual == c.value:
                return self._finish(Result(
                    WRONG_DATE, alt, alt.actual, None,
                    why=f"{c.value:,} is the figure of the report of {alt.end}, not of "
                        f"{end}"), tried, stated)
        for alt in self._other_categories(comps, measure, start, end):
            tried.append(alt)
            if alt.actual == c.value:
                return self._finish(Result(
                    MISLABELED, alt, alt.actual, alt.category,
                    why=f"{c.value:,} is the figure for {' + '.join(alt.components)}, not "
                        f"{c.label or ' + '.join(comps)}"), tried, stated)
        if stated.actual is None:
            return self._finish(Result(UNVERIFIABLE, stated,
                                       why="the ledger has no figure for this reading"),
                                tried, stated)
        return self._finish(Result(CONTRADICTED, stated, stated.actual,
                                   why=f"the ledger has {stated.actual:,}"), tried, stated)

    def _finish(self, res: Result, tried: list[Reading], stated: Reading) -> Result:
        chosen = res.reading
        res.alternatives = [r for r in tried if r is not chosen]
        ev = []
        if chosen is not None:
            ev.append(self._evidence(chosen))
        if chosen is not stated:
            ev.append(self._evidence(stated))
        res.evidence = ev
        return res

    def _evidence(self, r: Reading) -> dict[str, Any]:
        d = r.to_dict()
        if r.measure in ("change", "total"):
            d["cells"] = []
            for comp in r.components:
                for p in self.ledger.parts([comp], r.end):
                    d["cells"].append({
                        "category": p, "report_date": r.end.isoformat(),
                        "total": self.ledger.total(p, r.end),
                        "change": self.ledger.change(p, r.end),
                        "announced_change": self.ledger.announced(p, r.end)})
        return d

    def _other_readings(self, c: Claim, comps: tuple[str, ...], measure: str,
                        start: date | None, end: date,
                        windows: list[tuple[date, date]]) -> list[Reading]:
        out = []
        if measure != "total":
            out.append(self.reading(comps, "total", None, end))
        if measure != "change":
            out.append(self.reading(comps, "change", end, end))
        spans = list(windows)
        if start is not None and measure in ("window", "average"):
            spans.insert(0, (start, end))
        for a, b in spans:
            if (a, b) != (start, end) or measure != "window":
                out.append(self.reading(comps, "window", a, b))
            if (a, b) != (start, end) or measure != "average":
                out.append(self.reading(comps, "average", a, b))
        days: set[date] = set()
        for a, b in windows:  # a single day within the period the article is about
            d = a
            while d <= b:
                days.add(d)
                d += timedelta(days=1)
        if not c.date_stated or re.search(r"previous day|day before|a day earlier|up from|"
                                          r"попередн", c.sentence.text, re.I):
            days |= {end + timedelta(days=k) for k in (-1, -2, -3, 1)}
        if days:
            for d in sorted(days):
                if self.ledger.first <= d <= self.ledger.last and d != end:
                    out.append(self.reading(comps, "change", d, d))
                    if measure == "total":
                        out.append(self.reading(comps, "total", None, d))
        return out

    def _match(self, c: Claim, r: Reading, exact_only: bool = False) -> Result | None:
        assert c.value is not None
        if r.actual is None:
            return None
        if r.actual == c.value:
            return Result(SUPPORTED, r, r.actual)
        if exact_only:
            return None
        if r.measure == "change" and len(r.components) == 1:
            ann = self.ledger.announced(r.components[0], r.end)
            if ann is not None and ann == c.value:
                r2 = Reading(r.components, r.measure, r.start, r.end, ann, "announced (+N)")
                return Result(SUPPORTED, r2, ann, why="matches the announced (+N), which "
                              f"differs from the difference of totals ({r.actual:,})")
        precision = c.number.precision if c.number else 1
        if rounded_ok(c.value, r.actual, c.qualifier, precision) and (
                c.qualifier or precision >= 10):
            return Result(ROUNDED, r, r.actual, why=f"{c.value:,} rounds {r.actual:,}")
        if c.qualifier in ("over", "at least") and r.measure != "change" and \
                r.actual >= c.value and c.label_kind != "loose":
            return Result(ROUNDED, r, r.actual, why=f"{r.actual:,} is more than {c.value:,}")
        return None

    def _infer_measure(self, c: Claim, end: date) -> str:
        assert c.value is not None and c.category is not None
        comps = self._components(c, end) or (c.category,)
        total = self.ledger.value(comps, "total", None, end)
        change = self.ledger.value(comps, "change", end, end)
        if total is None:
            return "change"
        if change is not None and abs(c.value - change) <= abs(c.value - total):
            return "change"
        return "total" if c.value >= 0.3 * total else "change"

    def _components(self, c: Claim, end: date) -> tuple[str, ...] | None:
        cat = c.category
        assert cat is not None
        if c.label_kind == "loose":
            if end < categories.MERGE_DATE:
                return ("military_auto",)
            return ("vehicles_fuel_tanks",)
        if c.label_kind == "sum":
            return tuple(self.ledger.aggregates["equipment_all"].components)
        reg = categories.BY_ID.get(cat)
        if reg is None:
            return None
        if not reg.exists_on(end):
            # a historical word used after the merge ("fuel tanks" in 2024): check it as the
            # category that took it over, and call it mislabeled if the figure is that one's
            for new, olds in categories.HISTORICAL_PARTS.items():
                if cat in olds and categories.BY_ID[new].exists_on(end):
                    return (cat,) if self.ledger.has(cat, end) else (new,) if \
                        cat == "srbm_systems" else (cat,)
            return (cat,)
        return (cat,)

    def _loose_readings(self, measure: str, start: date | None, end: date) -> list[Reading]:
        out = []
        if end >= categories.MERGE_DATE:
            out.append(self.reading(("tanks", "afv", "vehicles_fuel_tanks"), measure, start,
                                    end))
        return out

    def _other_dates(self, comps: tuple[str, ...], measure: str, start: date | None,
                     end: date, c: Claim) -> list[Reading]:
        if measure not in ("change", "total"):
            return []
        out = []
        for k in (-1, 1, -2, 2, -3):
            d = end + timedelta(days=k)
            if self.ledger.first <= d <= self.ledger.last:
                out.append(self.reading(comps, measure, d if measure == "change" else None, d))
        return out

    def _other_categories(self, comps: tuple[str, ...], measure: str, start: date | None,
                          end: date) -> list[Reading]:
        out = []
        for cat in categories.IDS:
            if (cat,) == comps or not self.ledger.has(cat, end):
                continue
            out.append(self.reading((cat,), measure, start, end))
        for name in _SUM_CANDIDATES:
            parts = tuple(self.ledger.aggregates[name].components)
            if parts != comps:
                out.append(self.reading(parts, measure, start, end))
        # an unlabelled sum of two categories ("119 vehicles" = AFVs + vehicles and fuel tanks)
        for i, a in enumerate(_PAIR_PARTS):
            for b in _PAIR_PARTS[i + 1:]:
                if (a, b) != comps and self.ledger.has(a, end) and self.ledger.has(b, end):
                    out.append(self.reading((a, b), measure, start, end))
        return out

    # -- comparative claims ----------------------------------------------------------------

    def _comparative(self, c: Claim, day: date) -> Result:
        info = c.comparative
        kind = info.get("kind")
        cat = c.category
        if cat is None:
            return Result(UNVERIFIABLE, None, why="the claim names no category")
        if kind == "milestone":
            assert c.value is not None
            target = int(str(info["target"]))
            total = self.ledger.value((cat,), "total", None, day)
            if total is None:
                return Result(UNVERIFIABLE, None, why="no total for that report")
            gap = target - total
            r = Reading((cat,), "total", None, day, total)
            ok = gap == c.value or (c.qualifier == "under" and 0 < gap < c.value)
            return Result(SUPPORTED if ok else CONTRADICTED, r, gap,
                          why=f"{target:,} − {total:,} = {gap:,}",
                          evidence=[self._evidence(r)])
        if kind == "consecutive":
            days, threshold = int(str(info["days"])), int(str(info["threshold"]))
            end = c.period[1] if c.period else day
            streak, vals = 0, []
            d = end
            while True:
                v = self.ledger.change(cat, d)
                if v is None or v <= threshold:
                    break
                streak += 1
                vals.append((d, v))
                d -= timedelta(days=1)
            ok = streak == days
            ev = [{"report_date": d.isoformat(), "change": v} for d, v in vals]
            return Result(SUPPORTED if ok else CONTRADICTED, None, streak,
                          why=f"{streak} consecutive reports to {end} above {threshold:,} "
                              f"(the text says {days})", evidence=ev)
        return self._rank(c, day, cat)

    def _rank(self, c: Claim, day: date, cat: str) -> Result:
        info = c.comparative
        names = [cat]
        if c.label_kind == "loose" or cat == "vehicles":
            names = ["vehicles", "vehicles_fuel_tanks"]
        window = info.get("window")
        ordinal = int(str(info.get("ordinal", 1)))
        low = info.get("direction") == "low"
        results = []
        for name in names:
            s = self.ledger.series(name)
            if info.get("unit") == "month":
                res = self._month_rank(c, day, name)
                if res is not None:
                    results.append(res)
                continue
            end = c.period[1] if c.period else day
            p = s.at(end)
            if p is None or p.change is None:
                continue
            w = window if isinstance(window, int) else None
            rk = records.rank(s, end, w)
            hs = records.highest_since(s, end)
            if rk is None:
                continue
            rank = rk.rank
            if low:
                pool = [q.change for q in s.between(
                    None if w is None else end - timedelta(days=w - 1), end)
                    if records.counts(q) and q.change is not None]
                rank = 1 + sum(1 for v in pool if v < p.change)
            ok = rank <= max(ordinal, rk.of * 3 // 100) if info.get("one_of") else \
                rank == ordinal
            top = records.top(s, None if w is None else end - timedelta(days=w - 1), end, 3)
            why = (f"{name}: {p.change:,} in the report of {end} ranks {rank} of {rk.of} "
                   f"({'whole war' if w is None else f'past {w} days'})"
                   + (f"; the last higher was {hs.change:,} on {hs.day}" if hs else "")
                   + (f" (then {' + '.join(hs.components)}, before the merge)"
                      if hs and name in categories.BY_ID and hs.components != (name,) else "")
                   + "; top: " + ", ".join(f"{q.change:,} ({q.day})" for q in top))
            r = Reading((name,) if name in categories.BY_ID else tuple(
                self.ledger.aggregates[name].components), "change", end, end, p.change)
            results.append(Result(SUPPORTED if ok else CONTRADICTED, r, p.change, None, why,
                                  evidence=[{"name": name, "report_date": end.isoformat(),
                                             "change": p.change, "rank": rank,
                                             "of": rk.of, "window_days": w,
                                             "highest_since": hs.day.isoformat() if hs
                                             else None,
                                             "highest_since_value": hs.change if hs else None,
                                             "top": [{"report_date": q.day.isoformat(),
                                                      "change": q.change} for q in top]}]))
        if not results:
            return Result(UNVERIFIABLE, None, why="no figure to rank")
        best = next((r for r in results if r.verdict == SUPPORTED), results[0])
        return best

    def _month_rank(self, c: Claim, day: date, name: str) -> Result | None:
        from attrition.check.claims import _month_window

        info = c.comparative
        month = info.get("month")
        period = c.period
        if period is None or period[0] is None:
            # the month named in the sentence, or the last complete month
            if isinstance(month, tuple):
                start, end = _month_window(int(month[1]), int(month[0]), day)
            else:
                first = day.replace(day=1) - timedelta(days=1)
                start, end = _month_window(first.month, first.year, day)
        else:
            start, end = period[0], period[1]
        totals = []
        d = date(2022, 3, 1)
        while True:
            a, b = _month_window(d.month, d.year, day)
            if b > max(end, day) or a > self.ledger.last:
                break
            v = self.ledger.value((name,) if name in categories.BY_ID else tuple(
                self.ledger.aggregates[name].components), "window", a, b)
            if v is not None:
                totals.append((a, b, v))
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        mine = next((t for t in totals if t[0] == start), None)
        if mine is None:
            return None
        frame = "months"
        if info.get("within_year"):
            totals = [t for t in totals if t[0].year == start.year]
            frame = f"months of {start.year}"
        ordinal = int(str(info.get("ordinal", 1)))
        rank = 1 + sum(1 for t in totals if t[2] > mine[2])
        ok = rank <= ordinal if info.get("one_of") else rank == ordinal
        pair = info.get("months")
        if isinstance(pair, list):  # "during July and August": both lead the ranking
            found = [next((t for t in totals if t[0] == _month_window(m, y, day)[0]), None)
                     for y, m in pair]
            if any(t is None for t in found):
                return None
            ranks = [1 + sum(1 for t in totals if t[2] > f[2]) for f in found if f]
            ok, rank = all(r <= len(pair) for r in ranks), max(ranks)
            what = " and ".join(f"{f[2]:,} ({f[0]:%b %Y})" for f in found if f)
            ranked = " and ".join(str(r) for r in ranks)
        else:
            what = f"{mine[2]:,} in the month of reports {start} to {end}"
            ranked = str(rank)
        top = sorted(totals, key=lambda t: -t[2])[:3]
        r = Reading((name,) if name in categories.BY_ID else tuple(
            self.ledger.aggregates[name].components), "window", start, end, mine[2])
        why = (f"{name}: {what} rank{'s' if ranked == str(rank) else ''} {ranked} "
               f"of {len(totals)} {frame}; top: "
               + ", ".join(f"{t[2]:,} ({t[0]:%b %Y})" for t in top))
        return Result(SUPPORTED if ok else CONTRADICTED, r, mine[2], None, why,
                      evidence=[r.to_dict() | {"rank": rank, "months": len(totals)}])
