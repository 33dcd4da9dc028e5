"""Verification: for each claim, enumerate readings (category or sum × measure × report date),
compute each from the ledger, choose the one the text supports best, and give the verdict
with the evidence. Deterministic: the same article and ledger give the same verdicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from typing import TYPE_CHECKING, Any

from attrition import categories
from attrition.analysis import records
from attrition.check.claims import (
    BY_DAY_NOTE,
    SINCE_NOTE,
    SPAN_NOTE,
    Claim,
    range_alternative,
    resolve_period,
    sentence_categories,
)
from attrition.check.ledger import LedgerView

if TYPE_CHECKING:
    from attrition.analysis.series import Point

NOTE = "Figures are official Ukrainian claims, not independently confirmed."
SUPPORTED, ROUNDED, CONTRADICTED = "supported", "rounded", "contradicted"
MISLABELED, WRONG_DATE, UNVERIFIABLE = "mislabeled", "wrong_date", "unverifiable"
_SUM_CANDIDATES = ("vehicles", "armour", "artillery_all", "equipment", "equipment_all")

@dataclass
class Reading:
    components: tuple[str, ...]
    measure: str
    start: date | None
    end: date
    actual: int | None
    basis: str = "difference of totals"
    per: str = "day"
    """The unit of an average: day, week or month."""

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
            unit = {"day": "daily", "week": "weekly", "month": "monthly"}[self.per]
            return (f"{unit} average of {what}, reports {self.start} to {self.end}: "
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
    rules: list[str] = field(default_factory=list)
    """The ids of the policy's rules that decided the verdict."""
    ambiguous: list[str] = field(default_factory=list)
    """The stated set of readings, when the words allow more than one."""


def _fmt(v: int | None) -> str:
    return "no data" if v is None else f"{v:,}"


TOLERANCE: dict[str | None, tuple[str, str]] = {
    # qualifier -> (how far below the stated value the true figure may lie, how far above),
    # in units of the figure's stated precision ("1.5 million" has precision 100,000).
    # "half": half a unit either side (the writer rounded); "unit": one whole unit;
    # "open": strictly on that side, within one unit; "zero": not at all.
    None: ("half", "half"),
    "about": ("half", "half"),
    "over": ("zero", "open"),
    "at least": ("zero", "unit"),
    "nearly": ("open", "zero"),
    "under": ("open", "zero"),
    "up to": ("unit", "zero"),
}
"""The one table of qualifier x precision behind every `rounded` verdict (README: "How the
checker decides"). A figure under 100 written without a qualifier must be exact."""


SLACK = {"half": 0.05, "unit": 0.10, "open": 0.10, "zero": 0.0}
"""However coarse a figure looks ("1,000", "half a million"), a writer's rounding moves it
by at most this share of itself: "1,000 troops" is 950..1,050, not 500..1,500."""


def tolerance(value: int, qualifier: str | None, precision: int,
              stated: bool = False) -> tuple[int, int]:
    """The range of true figures that `value`, so qualified and so precise, fairly states
    (inclusive). "10 tanks" is exact; "about 35,000" is 34,500..35,500; "more than 200"
    (precision 100) is 200..220 (10%), never any larger number."""
    p = max(precision, 1)
    below, above = TOLERANCE.get(qualifier, TOLERANCE[None])
    if qualifier is None and (value < 100 or p < 10):
        return value, value
    if qualifier == "about" and p < 10:
        # "about 1,234": the writer gave every digit; allow 1% for the word "about"
        slack = value // 100
        return value - slack, value + slack

    def width(kind: str) -> int:
        unit = {"half": p // 2, "unit": p, "open": p, "zero": 0}[kind]
        if stated:
            return unit  # the form itself fixes the precision: "1.5 million", "півтори тисячі"
        return min(unit, max(int(value * SLACK[kind]), 1 if unit else 0))

    return value - width(below), value + width(above)


def rounded_ok(value: int, actual: int, qualifier: str | None, precision: int,
               stated: bool = False) -> bool:
    """Whether `value` is a fair statement of `actual` given how the text qualifies it
    (the figure itself always is: "over 1,073,530" quoting the total is not wrong)."""
    if actual == value:
        return True
    lo, hi = tolerance(value, qualifier, precision, stated)
    return lo <= actual <= hi


def _stated_precision(c: Claim) -> bool:
    """Whether the figure's form states its precision ("1.5 million", "21.6 thousand",
    "півтори тисячі", "half a million"), unlike trailing zeros ("1,000"), which may be
    exact or rounded to any of their places."""
    if c.number is None or c.number.written == "digits":
        return False
    # "1 million", "2 тисячі": one whole digit before the scale states no precision of a
    # million; such a figure is rounded as "1,000,000" is (at most 5% off)
    return not (c.number.written == "mixed" and re.match(r"\d(?![\d.,])", c.number.text))


def _qualifier_rule(qualifier: str | None) -> str:
    return "tolerance." + (qualifier or "none").replace(" ", "_")


_DEAD = re.compile(r"\b(?:killed|dead|deaths?|died|fatalit\w*|death toll|загин\w*|загибл\w*|"
                   r"вбит\w*|убит\w*|погиб\w*|погибш\w*|смерт\w*)", re.I)
_WOUNDED = re.compile(r"\b(?:wounded|injured|поранен\w*|поранень|ранен\w*|ранени\w*)", re.I)
_BOTH = re.compile(r"\b(?:killed|dead) (?:or|and|and/or) (?:wounded|injured)|casualt\w*|"
                   r"\blosses\b|out of action|втрат\w*|потер\w*|ліквідован\w*|"
                   r"ликвидирован\w*|вбитими (?:та|і|й) пораненими|убитыми и ранеными", re.I)


def _part_of_personnel(c: Claim) -> str | None:
    """"dead" or "wounded" when a personnel figure's own words count only that part
    (rules scope.personnel_dead_only, scope.personnel_wounded_only); None otherwise."""
    if c.category != "personnel":
        return None
    s = c.sentence
    near = s.text[max(0, c.start - s.start - 40): c.end - s.start + 40]
    if _BOTH.search(near):
        return None
    dead, wounded = _DEAD.search(near), _WOUNDED.search(near)
    if dead and not wounded:
        return "dead"
    if wounded and not dead:
        return "wounded"
    return None


def _heirs(comps: tuple[str, ...], day: date) -> tuple[str, ...] | None:
    """What a category counted under an old name is counted as on `day` ("fuel tanks"
    after the merge of 1 May 2022 is vehicles and fuel tanks), or None."""
    if len(comps) != 1:
        return None
    for new, olds in categories.HISTORICAL_PARTS.items():
        if comps[0] in olds and categories.BY_ID[new].exists_on(day) \
                and not categories.BY_ID[comps[0]].exists_on(day):
            return (new,)
    return None


class Verifier:
    def __init__(self, ledger: LedgerView) -> None:
        self.ledger = ledger

    def reading(self, components: tuple[str, ...], measure: str, start: date | None,
                end: date) -> Reading:
        return Reading(components, measure, start, end,
                       self.ledger.value(components, measure, start, end))

    def _per_unit(self, r: Reading, per_days: float) -> Reading:
        """An average reading per week or month instead of per day."""
        if r.measure != "average" or r.start is None:
            return r
        window = self.ledger.value(r.components, "window", r.start, r.end)
        days = (r.end - max(r.start, categories.WAR_START)).days + 1
        value = round(window * per_days / days) if window is not None and days > 0 else None
        return Reading(r.components, r.measure, r.start, r.end, value, r.basis,
                       "week" if per_days == 7 else "month")

    def verify(self, c: Claim, day: date,
               windows: list[tuple[date, date]] | None = None) -> Result:
        """The verdict on one claim (`_verify`); a figure only another named source gave
        ("Zelensky said", "according to Estonian intelligence") that the ledger does not
        hold is that source's figure: unverifiable, never contradicted (rule
        scope.other_source)."""
        res = self._verify(c, day, windows)
        if c.other_source and res.verdict in (CONTRADICTED, MISLABELED, WRONG_DATE):
            held = f"; the General Staff's figure for this reading is {res.actual:,}" \
                if res.actual is not None and res.verdict == CONTRADICTED else ""
            res.verdict = UNVERIFIABLE
            res.why = f"{c.other_source}{held}"
            res.actual_category = None
            res.rules = [*res.rules, "scope.other_source"]
        return res

    def _verify(self, c: Claim, day: date,
                windows: list[tuple[date, date]] | None = None) -> Result:
        """The verdict on one claim, by one policy: the reading the text states (or its
        small stated set, when the text is ambiguous) decides `supported` or `rounded`;
        otherwise a mismatch is explained only by a unique match among a small stated set
        (the same figure in a report up to 3 days away: `wrong_date`; another category, a
        named aggregate or a sum of the categories the sentence names, same period:
        `mislabeled`); else `contradicted`, with the stated reading's value.
        `windows` are the periods the article names elsewhere (its week or month), used
        only when the claim's own sentence names none for a sum or an average."""
        if c.scope:
            return Result(UNVERIFIABLE, None, why=c.scope, rules=["scope"])
        if c.label_kind == "comparative":
            return self._comparative(c, day)
        assert c.value is not None and c.category is not None
        start, end = (c.period if c.period else (None, day))
        if c.period is None and c.as_of is not None:
            end = c.as_of[1]  # its size is of that time ("by the end of February 2022, 5,300")
        # a page's counter names its own day ("1 153 день війни"), which may be later than
        # the article under it
        if end > day and not ("category.counter_line" in c.rule_ids and any(
                r.endswith(".war_day") for r in c.rule_ids)):
            return Result(UNVERIFIABLE, None, rules=["period.after_article"],
                          why=f"the text points at the report of {end}, after the "
                              f"article's date ({day})")
        if end > self.ledger.last or end < self.ledger.first:
            return Result(UNVERIFIABLE, None, rules=["data.none"],
                          why=f"the ledger has no report for {end} (it runs "
                              f"{self.ledger.first} to {self.ledger.last})")
        if c.measure == "difference":
            return self._day_over_day(c, end)
        total_end = end
        if c.measure is None and c.period_note.startswith("the losses of "):
            # "the count stood at 716,070 on November 14": the date was read as a day's
            # losses (the next morning's report); a total of that day is that day's report
            own, _ = resolve_period(c.sentence.text, max(0, c.start - c.sentence.start),
                                    day, "total")
            if own is not None and own[1] <= end:
                total_end = own[1]
        measure = c.measure or self._infer_measure(c, end, total_end)
        if c.measure is None and measure == "total" and total_end != end:
            end = total_end
            c.period = (None, end)
        if measure in ("window", "average") and start is None:
            if not windows:
                return Result(UNVERIFIABLE, None, rules=["period.none"],
                              why="the text gives no period for this sum")
            start, end = windows[0]
        if measure == "change":
            start = end
        if measure == "total":
            start = None
        comps = self._components(c, end)
        if comps is None:
            return Result(UNVERIFIABLE, None, rules=["category.none"],
                          why=f"{c.label!r} names no category the ledger has on {end}")
        policy: list[str] = []
        explain_measures = [measure]
        explain_first: list[tuple[str, date | None, date]] = []
        sized = _heirs(comps, end) or comps
        words_sized = sized
        if (c.label_kind == "loose" or c.category == "vehicles") and end >= categories.MERGE_DATE \
                and measure in ("window", "average"):
            # a week's "vehicles" may be the press's tanks + AFVs + vehicles: a sum of that
            # size fits the week the words name
            words_sized = ("tanks", "afv", "vehicles_fuel_tanks")
        if c.within_days == 1 and c.per_days == 1 and not c.period_note.startswith(SINCE_NOTE) \
                and not self._fits(words_sized, measure, c.value, start, end):
            # (a window from a day the text names, "since 10 October", is what it states)
            # the words point at a measure the figure cannot be ("lost 2,146 artillery
            # systems in the past day" is the total): the one measure its size fits
            # the period came with a window's cue ("in June"): a total or a day's figure
            # is the article's report's
            at = end if measure in ("change", "total") else day
            options: list[tuple[str, date | None, date]] = [
                (m, at if m == "change" else None, at) for m in ("change", "total")
                if m != measure]
            own_window: tuple[str, date | None, date] | None = None
            if measure not in ("window", "average"):
                # the sentence's own month or week first ("In November alone … 2,469
                # vehicles"), else the one the article names most
                own, _ = resolve_period(c.sentence.text, max(0, c.start - c.sentence.start),
                                        day, "window")
                if own is not None and own[0] is not None and own[0] != own[1]:
                    own_window = ("window", own[0], own[1])
                    options.append(own_window)
                elif windows:
                    options.append(("window", *windows[0]))
            fits = [o for o in options if self._fits(sized, o[0], c.value, o[1], o[2])]
            if own_window is not None and own_window in fits:
                fits = [own_window]  # the sentence names its month: that, if it fits
            if len(fits) == 1:
                explain_first.append((measure, start, end))
                measure, start, end = fits[0]
                policy.append("measure.magnitude")
            elif not fits:
                # no measure fits the figure's size: it may be another category's figure
                # under either of the two plain measures
                if self.reading(comps, measure, start, end).actual is None \
                        and measure in ("window", "average"):
                    # the words' period holds no report at all ("since the invasion began
                    # in February 2022" is no window): the figure is the total
                    explain_first.append((measure, start, end))
                    measure, start, end = "total", None, at
                    policy.append("measure.no_period")
                explain_measures.append("change" if measure == "total" else "total")
        if c.measure is None and measure in ("change", "total") and len(explain_measures) == 1:
            # no word gave the measure, its size alone chose it: another category's figure
            # may be either plain measure (a planted "3,796 personnel" is the vehicles total)
            explain_measures.append("total" if measure == "change" else "change")
        stated = [self.reading(comps, measure, start, end)]
        if measure == "total" and c.as_of is not None and c.measure in (None, "total"):
            # "in mid-June, … 4,000 tanks": a total as of some report of that part of the
            # month; each is a stated reading, the span's last first
            first, last = c.as_of
            stated = [self.reading(comps, "total", None, last - timedelta(days=k))
                      for k in range((last - first).days + 1)]
            end = last
            policy.append("period.as_of_part")
        stated += self._stated_alternatives(c, measure, start, end)
        if measure == "average" and c.per_days != 1:
            # "an average of 35,000 a month": the window's sum over its months (or weeks)
            stated = [self._per_unit(r, c.per_days) for r in stated]
            policy.append("measure.average_unit")
        alt = range_alternative(c.period_note, day) if (start, end) == c.period else None
        if alt is not None and measure in ("window", "average"):
            # "from 10 to 16 December": those days' losses, or the reports dated those days
            stated.append(self.reading(comps, measure, *alt))
            policy.append("period.range_both_readings")
        if c.period_note.startswith(SPAN_NOTE) and " through " in c.period_note \
                and measure in ("window", "average") and start is not None and end == day \
                and start < date(end.year, end.month, 1) < end:
            # "from January through October" in mid-October: through the latest report,
            # or through the month's first report (the months before it, whole)
            stated.append(self.reading(comps, measure, start, date(end.year, end.month, 1)))
            policy.append("period.span_to_month_start")
        wa, wb = c.within if c.within is not None else (None, day)
        if measure == "change" and not c.date_stated and wa is not None:
            # "2,030 in a single day" in a piece about November: one day of that period,
            # which the text does not name: each is a stated reading
            policy.append("period.some_day_of_window")
            stated += [self.reading(comps, "change", wa + timedelta(days=k), wa + timedelta(
                days=k)) for k in range((min(wb, day) - wa).days + 1)
                if wa + timedelta(days=k) != end]
        if measure == "window" and wa is not None and c.within_days > 1 \
                and (start, end) == c.within:
            # "almost 10,000 within one week" in September: any run of that many reports
            # inside the month; the largest stands first (such a sentence tells the worst)
            n = c.within_days
            weeks = [self.reading(comps, "window", wa + timedelta(days=k),
                                  wa + timedelta(days=k + n - 1))
                     for k in range((min(wb, day) - wa).days - n + 2)]
            weeks = sorted((w for w in weeks if w.actual is not None),
                           key=lambda w: -(w.actual or 0))
            if weeks:
                policy.append("period.some_week_of_month")
                stated = weeks
        matches = [(r, res) for r in stated if (res := self._match(c, r)) is not None]
        if matches:
            best_r, best = min(matches, key=lambda m: m[1].verdict != SUPPORTED)
            if len(stated) > 1:
                best.ambiguous = [r.describe() for r in stated]
                if best_r is not stated[0]:
                    best.why = (f"{c.label!r} read as {' + '.join(best_r.components)}; "
                                + best.why).rstrip("; ")
            best.rules = policy + best.rules
            return self._finish(best, stated, best_r, stated[0])
        main = stated[0]
        part = _part_of_personnel(c)
        if part is not None and (part == "wounded" or measure != "change"):
            # "13,000 deaths", "284,000 injured": the General Staff counts the killed and
            # the wounded together, so a count of one part is someone else's figure
            return self._finish(Result(
                UNVERIFIABLE, main, rules=[f"scope.personnel_{part}_only"],
                why=f"a count of the {part} alone: the General Staff's figure counts killed "
                    f"and wounded together ({_fmt(main.actual)} for this reading), so this "
                    "is not a figure the ledger holds"), stated, main, main)
        # explanations under the measure the words gave first, then under the one the
        # figure's size chose (a planted "436 troops since the invasion" is the UAV total)
        explained: list[Result] = []
        for m, a, z in [*explain_first, (measure, start, end), *(
                (m, end if m == "change" else None, end) for m in explain_measures[1:])]:
            explained = self._explanations(c, comps, m, a, z, day)
            if explained:
                break
        if not explained and c.as_of is not None and measure == "total":
            # a total of some report of a part of a month ("на початку липня"): another
            # category's total in one of those reports, when exactly one matches (totals,
            # not a day's small changes: among a month of those one would match by chance)
            first, last = c.as_of
            explained = [e for k in range((last - first).days + 1)
                         for e in self._explanations(c, comps, measure, None,
                                                     first + timedelta(days=k), day)
                         if e.verdict == MISLABELED]
        for e in explained:
            e.rules = policy + e.rules
        if len(explained) == 1:
            return self._finish(explained[0], stated + [e.reading for e in explained
                                                        if e.reading], explained[0].reading,
                                main)
        if main.actual is None and all(r.actual is None for r in stated):
            return self._finish(Result(UNVERIFIABLE, main, rules=["data.none"],
                                       why="the ledger has no figure for this reading"),
                                stated, main, main)
        why = f"the ledger has {main.actual:,}" if main.actual is not None else \
            "the ledger has no figure for this reading"
        if len(explained) > 1:
            why += ("; the figure also equals " + "; ".join(
                e.reading.describe() for e in explained if e.reading)
                + " (more than one explanation, so none is given)")
        actual_reading = next((r for r in stated if r.actual is not None), main)
        res = Result(CONTRADICTED, actual_reading, actual_reading.actual, why=why,
                     rules=["verdict.contradicted"])
        if len(stated) > 1:
            res.ambiguous = [r.describe() for r in stated]
        return self._finish(res, stated + [e.reading for e in explained if e.reading],
                            actual_reading, main)

    def _stated_alternatives(self, c: Claim, measure: str, start: date | None,
                             end: date) -> list[Reading]:
        """The other readings the words themselves allow (never a search): "vehicles" is
        vehicles and fuel tanks, or the press's tanks + AFVs + vehicles; bare "losses" is
        the text's topic, or personnel; "units of equipment" is any named equipment sum."""
        out: list[Reading] = []
        comps = self._components(c, end)
        if measure == "total" and c.period_note.startswith(BY_DAY_NOTE) and comps \
                and end + timedelta(days=1) <= self.ledger.last:
            # "lost 5,300 by 27 February": also the report that counts 27 February's losses
            out.append(self.reading(comps, "total", None, end + timedelta(days=1)))
        if c.label_kind == "loose" or c.category == "vehicles":
            return out + self._loose_readings(measure, start, end)
        if c.label_kind == "generic" and c.category != "personnel":
            return [*out, self.reading(("personnel",), measure, start, end)]
        if c.label_kind == "sum":
            for name in _SUM_CANDIDATES:
                parts = tuple(self.ledger.aggregates[name].components)
                if parts != tuple(self.ledger.aggregates["equipment_all"].components):
                    out.append(self.reading(parts, measure, start, end))
            # "950 солдатів, 86 одиниць техніки, 54 артсистеми та один корабель": the
            # equipment less what the same list names apart
            apart = set(sentence_categories(c.sentence.text))
            for name in ("equipment", "equipment_all"):
                parts = tuple(self.ledger.aggregates[name].components)
                rest = tuple(p for p in parts if p not in apart)
                if apart & set(parts) and rest:
                    out.append(self.reading(rest, measure, start, end))
        return out

    def _explanations(self, c: Claim, comps: tuple[str, ...], measure: str,
                      start: date | None, end: date, day: date) -> list[Result]:
        """Every explanation of a mismatch from the stated set, each already unique within
        its kind (a kind with several matches explains nothing)."""
        assert c.value is not None
        out: list[Result] = []
        if measure in ("change", "total") or start is not None:
            dated = []
            for k in (-1, 1, -2, 2, -3, 3):
                d = end + timedelta(days=k)
                if d > day or not (self.ledger.first <= d <= self.ledger.last):
                    continue  # never a report published after the article
                a = d if measure == "change" else None if measure == "total" else \
                    start + timedelta(days=k) if start is not None else None
                r = self.reading(comps, measure, a, d)
                if self._equal(c, r):
                    dated.append(r)
            if len(dated) == 1 and dated[0].actual != self.reading(
                    comps, measure, start, end).actual:
                r = dated[0]
                shifted = f"the report of {r.end}" if measure in ("change", "total") else \
                    f"the reports {r.start} to {r.end}"
                out.append(Result(WRONG_DATE, r, r.actual, None, rules=["explain.wrong_date"],
                                  why=f"{c.value:,} is the figure of {shifted}, not of "
                                      + (f"{end}" if measure in ("change", "total")
                                         else f"{start} to {end}")))
        labelled: list[tuple[str, Reading]] = []
        heirs = _heirs(comps, end)
        for kind, r in self._other_categories(c, comps, measure, start, end):
            if r.components == heirs:
                kind = "renamed"
            if self._equal(c, r, loose=kind == "renamed") and not any(
                    set(x.components) < set(r.components) for _, x in labelled):
                labelled.append((kind, r))
        # the simplest explanation first: one category (or the renamed one) before a named
        # aggregate, an aggregate before a sum the sentence allows; ties within a tier
        # explain nothing
        for tier in (("category", "renamed"), ("aggregate",), ("sentence_sum",)):
            found = [(k, r) for k, r in labelled if k in tier]
            if found:
                if len(found) == 1:
                    kind, r = found[0]
                    out.append(Result(MISLABELED, r, r.actual, r.category,
                                      rules=[f"explain.mislabeled.{kind}"],
                                      why=f"{c.value:,} is the figure for "
                                          f"{' + '.join(r.components)}, not "
                                          f"{c.label or ' + '.join(comps)}"))
                break
        return out

    def _equal(self, c: Claim, r: Reading, loose: bool = False) -> bool:
        """An explanation needs the figure itself; only a category's renamed successor
        ("fuel tanks" after 1 May 2022) is matched as loosely as the stated reading."""
        assert c.value is not None
        if r.actual is None:
            return False
        if not loose:
            return r.actual == c.value or (
                len(r.components) == 1 and r.measure == "change"
                and self.ledger.announced(r.components[0], r.end) == c.value)
        precision = c.number.precision if c.number else 1
        return rounded_ok(c.value, r.actual, c.qualifier, precision, _stated_precision(c))

    def _finish(self, res: Result, tried: list[Reading], chosen: Reading | None,
                stated: Reading) -> Result:
        res.reading = chosen if res.reading is None else res.reading
        seen: dict[tuple[object, ...], Reading] = {}
        mine = res.reading
        for r in tried[:40]:
            key = (r.components, r.measure, r.start, r.end)
            if r is not mine and key not in seen:
                seen[key] = r
        res.alternatives = list(seen.values())
        ev = []
        if res.reading is not None:
            ev.append(self._evidence(res.reading))
        if res.reading is not stated:
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

    def _match(self, c: Claim, r: Reading) -> Result | None:
        """`supported` (the reading's value, or the bulletin's announced "(+N)") or
        `rounded` (within the tolerance of the qualifier and the stated precision)."""
        assert c.value is not None
        if r.actual is None:
            return None
        if r.actual == c.value:
            return Result(SUPPORTED, r, r.actual, rules=["verdict.exact"])
        if r.measure == "change":
            ann = self.ledger.announced(r.components[0], r.end) if len(r.components) == 1 \
                else None
            if ann is not None and ann == c.value and ann != r.actual:
                r2 = Reading(r.components, r.measure, r.start, r.end, ann, "announced (+N)")
                return Result(SUPPORTED, r2, ann, rules=["verdict.announced"],
                              why="matches the announced (+N), which differs from the "
                                  f"difference of totals ({r.actual:,})")
        precision = c.number.precision if c.number else 1
        if r.measure == "average" and c.qualifier is None and c.value == r.actual - 1 \
                and r.start is not None:
            # a mean of whole reports is rounded by some and cut off by others (253,290 over
            # 365 reports is 693.9: "693 a day" is that mean cut off)
            total = self.ledger.value(r.components, "window", r.start, r.end)
            days = (r.end - max(r.start, categories.WAR_START)).days + 1
            if total is not None and days > 0 and total // days == c.value:
                return Result(ROUNDED, r, r.actual, rules=["verdict.average_cut_off"],
                              why=f"{total:,} over {days} reports is {total / days:,.2f} a "
                                  f"day: {c.value:,} is that mean cut off")
        if rounded_ok(c.value, r.actual, c.qualifier, precision, _stated_precision(c)):
            lo, hi = tolerance(c.value, c.qualifier, precision, _stated_precision(c))
            return Result(ROUNDED, r, r.actual, rules=[_qualifier_rule(c.qualifier)],
                          why=f"{c.value:,}" + (f" ({c.qualifier})" if c.qualifier else "")
                              + f" allows {lo:,} to {hi:,}; the ledger has {r.actual:,}")
        return None

    def _fits(self, comps: tuple[str, ...], measure: str, value: int, start: date | None,
              end: date) -> bool:
        """Whether a figure's size is possible for a measure at all: a day's change is
        never far above the largest day on record, a total never far from the total."""
        if measure == "change":
            return value <= 2 * sum(self.ledger.peak_change(p, end) for p in comps) + 20
        if measure == "total":
            t = self.ledger.value(comps, "total", None, end)
            return t is None or 0.5 * t <= value <= 1.5 * t
        if start is None:
            return True
        if start < self.ledger.first:
            return False  # a period before the first report holds no figure at all
        w = self.ledger.value(comps, measure, start, end)
        return w is None or 0.6 * w <= value <= 1.5 * w

    def _day_over_day(self, c: Claim, end: date) -> Result:
        """"80 more than the day before": this report's change less the one before's."""
        assert c.value is not None
        comps = self._components(c, end)
        if comps is None:
            return Result(UNVERIFIABLE, None, rules=["category.none"],
                          why=f"{c.label!r} names no category the ledger has on {end}")
        other = c.comparative.get("other")
        if isinstance(other, tuple) and c.period is not None and c.period[0] is not None:
            # "101 more than in January": this period's sum against that month's
            now = self.reading(comps, "window", c.period[0], end)
            before = self.reading(comps, "window", date.fromisoformat(other[0]),
                                  date.fromisoformat(other[1]))
        else:
            now = self.reading(comps, "change", end, end)
            before = self.reading(comps, "change", end - timedelta(days=1),
                                  end - timedelta(days=1))
        if now.actual is None or before.actual is None:
            return Result(UNVERIFIABLE, now, rules=["data.none"],
                          why="the ledger lacks one of the two reports")
        diff = abs(now.actual - before.actual)
        low = re.search(r"fewer|less|lower|менше|меньше", c.sentence.text[
            c.end - c.sentence.start:c.end - c.sentence.start + 40], re.I)
        right_way = (now.actual < before.actual) if low else (now.actual > before.actual)
        ok = right_way and rounded_ok(c.value, diff, c.qualifier,
                                      c.number.precision if c.number else 1)
        return Result(SUPPORTED if ok else CONTRADICTED, now, diff,
                      rules=["period.month_over_month" if isinstance(other, tuple)
                             else "period.day_over_day"],
                      why=f"{' + '.join(comps)}: {now.actual:,} in {now.describe()} against "
                          f"{before.actual:,} in {before.describe()} "
                          f"({now.actual - before.actual:+,})",
                      evidence=[self._evidence(now), self._evidence(before)])

    def settle_list_dates(self, pairs: list[tuple[Claim, Result]]) -> list[Result]:
        """A list whose figures are those of another report ("1,263 MLRS, 9,785 tanks …" a
        day old): an item left contradicted only because its figure stood in several
        adjacent reports is of that same report (rule explain.wrong_date.list): the list's
        other items name which one."""
        by_sentence: dict[int, list[int]] = {}
        for i, (c, _) in enumerate(pairs):
            by_sentence.setdefault(id(c.sentence), []).append(i)
        out = [r for _, r in pairs]
        for idx in by_sentence.values():
            dated = {(r.reading.measure, r.reading.end) for r in (out[i] for i in idx)
                     if r.verdict == WRONG_DATE and r.reading is not None
                     and r.reading.measure in ("change", "total")}
            if len(dated) != 1 or sum(out[i].verdict == WRONG_DATE for i in idx) < 2:
                continue
            measure, end = dated.pop()
            for i in idx:
                c, r = pairs[i][0], out[i]
                if r.verdict != CONTRADICTED or r.reading is None \
                        or r.reading.measure != measure or r.reading.end == end:
                    continue
                there = self.reading(r.reading.components, measure,
                                     end if measure == "change" else None, end)
                if self._equal(c, there):
                    out[i] = Result(WRONG_DATE, there, there.actual, None,
                                    rules=["explain.wrong_date.list"],
                                    why=f"{c.value:,} is the figure of the report of {end}, "
                                        f"as are the list's other figures, not of "
                                        f"{r.reading.end}")
        return out

    def share_list_measures(self, claims: list[Claim], day: date) -> None:
        """A list of figures with no measure of their own ("losses include 1,023 MLRS, 735
        air defence systems, 26 helicopters, 26 warships") is one measure: a figure whose
        size alone would read otherwise takes the one its neighbours all read (rule
        measure.list), so a wrong figure in a list of totals is judged as a total."""
        groups: dict[int, list[Claim]] = {}
        for c in claims:
            if c.measure is None and c.value is not None and c.category is not None \
                    and not c.scope and c.label_kind != "comparative" and not c.date_stated:
                groups.setdefault(id(c.sentence), []).append(c)
        for group in groups.values():
            if len(group) < 3:
                continue
            ends = [c.period[1] if c.period else day for c in group]
            inferred = [self._infer_measure(c, e) if e <= self.ledger.last else None
                        for c, e in zip(group, ends, strict=True)]
            for i, c in enumerate(group):
                others = {m for j, m in enumerate(inferred) if j != i}
                if len(others) == 1 and None not in others and inferred[i] not in others:
                    c.measure = others.pop()
                    c.rule_ids.append("measure.list")

    def _infer_measure(self, c: Claim, end: date, total_end: date | None = None) -> str:
        assert c.value is not None and c.category is not None
        comps = self._components(c, end) or (c.category,)
        total = self.ledger.value(comps, "total", None, total_end or end)
        change = self.ledger.value(comps, "change", end, end)
        if total is None:
            return "change"
        if change is not None and abs(c.value - change) <= abs(c.value - total):
            return "change"
        return "total" if c.value >= 0.3 * total else "change"

    def _components(self, c: Claim, end: date) -> tuple[str, ...] | None:
        cat = c.category
        assert cat is not None
        if c.label_kind == "loose" or cat == "vehicles":
            if end < categories.MERGE_DATE:
                return ("military_auto",)
            return ("vehicles_fuel_tanks",)
        if c.label_kind == "sum":
            return tuple(self.ledger.aggregates["equipment_all"].components)
        if c.also:
            return tuple(dict.fromkeys(x for k in (cat, *c.also)
                                       for x in (_heirs((k,), end) or (k,))))
        reg = categories.BY_ID.get(cat)
        if reg is None:
            return None
        if not reg.exists_on(end):
            # a historical word used after the merge ("fuel tanks" in 2024): check it as the
            # category that took it over, and call it mislabeled if the figure is that one's
            # The merged category carries the main part's name on: "military vehicles" or
            # "automotive equipment" after 1 May 2022 is vehicles and fuel tanks (the
            # bulletins' own Ukrainian name begins "автомобільна техніка"); "fuel tanks"
            # alone names a minor part and stays what it says.
            heirs = _heirs((cat,), end)
            if heirs and not self.ledger.has(cat, end) \
                    and categories.HISTORICAL_PARTS[heirs[0]][0] == cat:
                return heirs
            return (cat,)
        return (cat,)

    def _loose_readings(self, measure: str, start: date | None, end: date) -> list[Reading]:
        out = []
        if end >= categories.MERGE_DATE:
            out.append(self.reading(("tanks", "afv", "vehicles_fuel_tanks"), measure, start,
                                    end))
        return out

    def _other_categories(self, c: Claim, comps: tuple[str, ...], measure: str,
                          start: date | None, end: date) -> list[tuple[str, Reading]]:
        """The stated set of other labels: every other category, every named aggregate, and
        the sums of the categories the claim's own sentence names (fewest parts first)."""
        out: list[tuple[str, Reading]] = []
        for cat in categories.IDS:
            if (cat,) == comps or not (self.ledger.has(cat, end) or (self.ledger.parts(
                    [cat], end) and cat in categories.HISTORICAL_PARTS)):
                continue
            out.append(("category", self.reading((cat,), measure, start, end)))
        for name in sorted(self.ledger.aggregates):
            parts = tuple(self.ledger.aggregates[name].components)
            if parts != comps:
                out.append(("aggregate", self.reading(parts, measure, start, end)))
        named = [cid for cid in sentence_categories(c.sentence.text)
                 if cid in categories.BY_ID and cid not in comps]
        seen = {r.components for _, r in out}
        names = sorted(set(named) | set(comps))
        groups = [*combinations(names, 2), *([tuple(names)] if 2 < len(names) <= 4 else [])]
        for group in groups:
            if True:
                if group in seen or group == comps:
                    continue
                seen.add(group)
                if all(self.ledger.has(p, end) or self.ledger.parts([p], end) for p in group):
                    out.append(("sentence_sum", self.reading(group, measure, start, end)))
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
        if kind == "compare_periods":
            return self._compare_periods(c, cat)
        if kind == "first_above":
            return self._first_above(c, day, cat)
        if kind == "most_since":
            return self._most_since(c, day, cat)
        return self._rank(c, day, cat)

    def _most_since(self, c: Claim, day: date, cat: str) -> Result:
        """"The most since D": the last earlier report with a larger figure is D (or in D's
        month, when only a month is named, or before it, "since the start of" it); "as many
        as" allows an equal one."""
        info = c.comparative
        since = date.fromisoformat(str(info["since"]))
        end = c.period[1] if c.period else day
        name = "vehicles_fuel_tanks" if cat == "vehicles" and c.label_kind != "loose" \
            and not info.get("loose") else cat
        s = self.ledger.ranked(name)
        p = s.at(end)
        if p is None or p.change is None:
            return Result(UNVERIFIABLE, None, rules=["comparative.most_since"],
                          why=f"no figure for {name} in the report of {end}")
        equal = bool(info.get("equalled"))
        last = next((q for q in reversed(s.points) if q.day < end and q.change is not None
                     and records.counts(q)
                     and (q.change >= p.change if equal else q.change > p.change)), None)
        r = Reading((name,) if name in categories.BY_ID else tuple(
            self.ledger.aggregates[name].components), "change", end, end, p.change)
        if last is None:
            return Result(CONTRADICTED, r, p.change, rules=["comparative.most_since"],
                          why=f"{name}: {p.change:,} in the report of {end} is the most of "
                              f"the war, not only since {since}")
        unit = info.get("since_unit")
        # "since the start of October": the last larger figure is in a report of a day
        # before October (the report of 1 October covers 30 September)
        same = last.day <= since if unit == "start" else last.day == since if unit == "day" \
            else (last.day.year, last.day.month) == (since.year, since.month)
        tied = info.get("tied_with")
        if same and tied is not None:  # "as many as on D1 and the most since D2"
            t = s.at(date.fromisoformat(str(tied)))
            if t is None or t.change != p.change or not last.day < t.day < end:
                had = "no figure" if t is None or t.change is None else f"{t.change:,}"
                return Result(CONTRADICTED, r, p.change, rules=["comparative.most_since"],
                              why=f"{name}: {p.change:,} in the report of {end}; the report "
                                  f"of {tied} had {had}")
        return Result(SUPPORTED if same else CONTRADICTED, r, p.change,
                      rules=["comparative.most_since"],
                      why=f"{name}: {p.change:,} in the report of {end}; the last report with "
                          f"{'as many or more' if equal else 'more'} was that of {last.day} "
                          f"({last.change:,})",
                      evidence=[{"name": name, "report_date": end.isoformat(),
                                 "change": p.change, "last_higher": last.day.isoformat(),
                                 "last_higher_value": last.change}])

    def _compare_periods(self, c: Claim, cat: str) -> Result:
        """"November's losses topped October's": the two months' sums, in the direction
        the words give."""
        info = c.comparative
        assert c.period is not None and c.period[0] is not None
        name = "vehicles_fuel_tanks" if cat == "vehicles" else cat
        comps = (name,) if name in categories.BY_ID else tuple(
            self.ledger.aggregates[name].components) if name in self.ledger.aggregates else None
        if comps is None:
            return Result(UNVERIFIABLE, None, why=f"no series for {name}")
        o = info["other"]
        assert isinstance(o, tuple)
        a, b = date.fromisoformat(o[0]), date.fromisoformat(o[1])
        mine = self.reading(comps, "window", c.period[0], c.period[1])
        theirs = self.reading(comps, "window", a, b)
        if mine.actual is None or theirs.actual is None:
            return Result(UNVERIFIABLE, mine, why="the ledger lacks one of the two months",
                          rules=["comparative.periods"])
        low = info.get("direction") == "low"
        ok = mine.actual < theirs.actual if low else mine.actual > theirs.actual
        return Result(SUPPORTED if ok else CONTRADICTED, mine, mine.actual,
                      rules=["comparative.periods"],
                      why=f"{name}: {mine.actual:,} in the reports {c.period[0]} to "
                          f"{c.period[1]}, against {theirs.actual:,} in the reports {a} to {b}",
                      evidence=[self._evidence(mine), self._evidence(theirs)])

    def _first_above(self, c: Claim, day: date, cat: str) -> Result:
        """"For the first time, more than N in a day": the stated report is the first whose
        change exceeded N."""
        threshold = int(str(c.comparative["threshold"]))
        end = c.period[1] if c.period else day
        s = self.ledger.ranked(cat)
        first = next((p for p in s.points if p.change is not None and p.change > threshold
                      and records.counts(p)), None)
        if first is None or first.day > end:
            return Result(CONTRADICTED, None, None, rules=["comparative.first_above"],
                          why=f"no report up to {end} had more than {threshold:,} {cat}")
        ok = first.day == end
        mine = s.at(end)
        r = Reading((cat,), "change", end, end, mine.change if mine else None)
        return Result(SUPPORTED if ok else CONTRADICTED, r, first.change,
                      rules=["comparative.first_above"],
                      why=f"the first report with more than {threshold:,} {cat} was that of "
                          f"{first.day} (+{first.change:,})"
                          + ("" if ok else f"; the report of {end} had "
                             f"{_fmt(mine.change if mine else None)}"),
                      evidence=[{"name": cat, "first_above": threshold,
                                 "report_date": first.day.isoformat(),
                                 "change": first.change}])

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
            s = self.ledger.ranked(name)
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
            if info.get("previous") and not low:
                # "the previous daily record was in mid-May": that period's largest day,
                # beaten since only by later reports (rule comparative.previous_record)
                fig = re.search(r"\d", c.sentence.text)  # the figure the record was
                own = resolve_period(c.sentence.text, fig.start() if fig else 0, day,
                                     "window")[0]
                span = own if own and own[0] and own[0] != own[1] else c.period
                first = span[0] if span and span[0] else end
                last = span[1] if span else end
                days = [q for q in s.between(first, last) if records.counts(q)
                        and q.change is not None]
                if days:
                    top_day = max(days, key=lambda q: q.change or 0)
                    v = top_day.change or 0
                    higher = [q for q in s.between(None, day) if records.counts(q)
                              and (q.change or 0) > v and q.day >= records.EARLY_WAR_END]
                    ok = bool(higher) and all(q.day > top_day.day for q in higher)
                    why = (f"{name}: {v:,} in the report of {top_day.day}; higher since: "
                           + (", ".join(f"{q.change:,} ({q.day})" for q in higher[:3])
                              or "none"))
                    r = Reading((name,) if name in categories.BY_ID else tuple(
                        self.ledger.aggregates[name].components), "change", top_day.day,
                        top_day.day, v)
                    results.append(Result(SUPPORTED if ok else CONTRADICTED, r, v,
                                          None, why, rules=["comparative.previous_record"],
                                          evidence=[r.to_dict()]))
                    continue
            if low:
                pool = [q.change for q in s.between(
                    None if w is None else end - timedelta(days=w - 1), end)
                    if records.counts(q) and q.change is not None]
                rank = 1 + sum(1 for v in pool if v < p.change)
            ok = rank <= max(ordinal, rk.of * 3 // 100) if info.get("one_of") else \
                rank == ordinal
            if info.get("near"):
                # the record as the war's regular reports have it (the irregular re-estimates
                # of its first week excepted), or with them
                tops = [q.change or 0 for q in records.top(
                    s, None if w is None else end - timedelta(days=w - 1), end, 12)]
                regular = [q.change or 0 for q in records.top(
                    s, max(records.EARLY_WAR_END, end - timedelta(days=(w or 10 ** 5) - 1)),
                    end, 1)]
                ok = any(p.change < t <= p.change * 10 / 9 for t in tops[:1] + regular[:1])
            early: list[Point] = []
            if not ok and w is None and not low and not info.get("one_of"):
                # "the highest of the war" beaten only by the irregular early reports
                # (2022-03-03's re-estimate): the record, with those reports named
                early = [q for q in s.between(None, end) if records.counts(q)
                         and q.change is not None and q.change > p.change
                         and q.day < records.EARLY_WAR_END]
                ok = rank - len(early) == ordinal
                if not ok:
                    early = []
            top = records.top(s, None if w is None else end - timedelta(days=w - 1), end, 3)
            why = (f"{name}: {p.change:,} in the report of {end} ranks {rank} of {rk.of} "
                   f"({'whole war' if w is None else f'past {w} days'})"
                   + (f"; the last higher was {hs.change:,} on {hs.day}" if hs else "")
                   + (f" (then {' + '.join(hs.components)}, before the merge)"
                      if hs and name in categories.BY_ID and hs.components != (name,) else "")
                   + "; top: " + ", ".join(f"{q.change:,} ({q.day})" for q in top)
                   + ("; higher only in the irregular reports of the war's first week: "
                      + ", ".join(f"{q.change:,} ({q.day})" for q in early) if early else ""))
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
        window = info.get("window")
        if isinstance(window, int) and window >= 28:
            # "the most in a year": the months that began in that many days up to this one
            totals = [t for t in totals if start - timedelta(days=window) < t[0] <= start]
            frame = f"months of the past {window} days"
        ordinal = int(str(info.get("ordinal", 1)))
        low = info.get("direction") == "low"
        rank = 1 + sum(1 for t in totals if (t[2] < mine[2] if low else t[2] > mine[2]))
        ok = rank <= ordinal if info.get("one_of") else rank == ordinal
        ahead = info.get("ahead")
        if ok and isinstance(ahead, tuple):
            # "second, after October 2023": the month named is the one ranked just above
            a0 = _month_window(int(ahead[1]), int(ahead[0]), day)[0]
            other = next((t for t in totals if t[0] == a0), None)
            ok = other is not None and 1 + sum(1 for t in totals if (
                t[2] < other[2] if low else t[2] > other[2])) == ordinal - 1
        if info.get("previous") and not low:
            # the previous record: every higher month came after it (it stood until then)
            ok = rank > 1 and all(t[0] > start for t in totals if t[2] > mine[2])
        pair = info.get("months")
        if isinstance(pair, list):  # "during July and August": both lead the ranking
            found = [next((t for t in totals if t[0] == _month_window(m, y, day)[0]), None)
                     for y, m in pair]
            if any(t is None for t in found):
                return None
            ranks = [1 + sum(1 for t in totals if (t[2] < f[2] if low else t[2] > f[2]))
                     for f in found if f]
            ok, rank = all(r <= len(pair) for r in ranks), max(ranks)
            what = " and ".join(f"{f[2]:,} ({f[0]:%b %Y})" for f in found if f)
            ranked = " and ".join(str(r) for r in ranks)
        else:
            what = f"{mine[2]:,} in the month of reports {start} to {end}"
            ranked = str(rank)
        top = sorted(totals, key=lambda t: t[2] if low else -t[2])[:3]
        r = Reading((name,) if name in categories.BY_ID else tuple(
            self.ledger.aggregates[name].components), "window", start, end, mine[2])
        why = (f"{name}: {what} rank{'s' if ranked == str(rank) else ''} {ranked} "
               f"of {len(totals)} {frame}; top: "
               + ", ".join(f"{t[2]:,} ({t[0]:%b %Y})" for t in top))
        return Result(SUPPORTED if ok else CONTRADICTED, r, mine[2], None, why,
                      evidence=[r.to_dict() | {"rank": rank, "months": len(totals)}])
