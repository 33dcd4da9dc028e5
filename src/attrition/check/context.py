"""Discourse: what a figure takes from the figures before it. A weekly or monthly round-up
states its period once ("Over the past week Russia lost 7,210 troops. It also lost: 62 tanks;
117 armoured vehicles; …"); the figures that follow, with no measure or period of their own,
are counted over that period, not the last day."""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import pairwise

from attrition.check.article import Article
from attrition.check.claims import SOME_DAY, Claim, _month_window, resolve_period

REACH = 3
"""How many sentences (or list lines) a stated period carries over."""

RULE = "discourse.period_of_previous_figure"
_BASE_BEFORE = re.compile(r"(?:'s|’s|\bfrom|\bthan|\bagainst|\bversus|\bvs\.?|\bпроти|"
                          r"\bніж|\bчем|\bпротив)\s*$", re.I)
"""Words before a figure that make it the base of a comparison."""


_OPEN = re.compile(r"\(\s*\Z")
PARALLEL = "discourse.parallel_in_parentheses"


def parallels(claims: list[Claim], day: date) -> dict[int, Claim]:
    """A figure in parentheses right after another of the same category is that figure's
    parallel for another period or scope ("lost 1,556 a day on average (1,570 in
    December)", "likely exceeded 50,000 (837,000 since the invasion)"): it takes the
    other's measure when its own words give none, and the other's qualifier when it has
    none of its own (rule discourse.parallel_in_parentheses). Returns id(outer) -> the
    parenthetical figure."""
    out: dict[int, Claim] = {}
    for prev, c in pairwise(claims):
        if c.sentence is not prev.sentence or c.value is None or prev.value is None \
                or c.number is None or c.category != prev.category \
                or prev.label_kind == "comparative" or c.label_kind == "comparative":
            continue
        s = c.sentence.text
        at = c.number.qualifier_start if c.number.qualifier_start is not None \
            else c.number.start
        between = s[prev.end - c.sentence.start:at]
        if not _OPEN.search(between) or any(ch in between for ch in ".;"):
            continue
        close = s.find(")", c.number.end)
        inner = s[at:close if close > 0 else len(s)]
        if c.qualifier is None and prev.qualifier is not None:
            c.qualifier = prev.qualifier
        if (prev.measure, c.measure) in (("average", None), ("average", "change"),
                                         ("average", "window"), ("window", None),
                                         ("window", "change")):
            own, note = resolve_period(inner, c.number.start - at, day, "window")
            if own is not None and own[0] is not None and own[0] != own[1]:
                c.measure, c.period, c.period_note = prev.measure, own, note
                c.date_stated = True
        c.rule_ids.append(PARALLEL)
        out[id(prev)] = c
    return out


def inherit_periods(art: Article, claims: list[Claim], day: date) -> None:
    """Give each figure that states neither a measure nor a period the period of the nearest
    figure before it that stated a window, or of a sentence before it that names a month or
    week ("The losses reported for November …. They include 307 tanks …"), within REACH
    sentences; a figure that states its own day or total in between ends the round-up."""
    index = {id(s): i for i, s in enumerate(art.sentences)}
    paren = parallels(claims, day)
    source: tuple[int, Claim] | None = None
    named: dict[int, Claim] = {}
    with_figures = {index.get(id(x.sentence)) for x in claims if x.value is not None}
    records = {index.get(id(x.sentence)) for x in claims if x.label_kind == "comparative"
               and x.comparative.get("kind") == "most_since"}
    """Sentences with a "the most since …" claim: their figures are single reports'."""
    for c in claims:
        if c.label_kind == "comparative" or c.value is None:
            continue
        si = index.get(id(c.sentence), -1)
        if c.measure == "change" and c.period is None and SOME_DAY.search(c.sentence.text):
            # "November alone saw 2,030 casualties in a single day": one day of the month
            # its own sentence names
            own, _ = resolve_period(c.sentence.text, c.start - c.sentence.start, day, "window")
            if own is not None and own[0] is not None and own[0] != own[1]:
                c.within = own
                c.rule_ids.append("discourse.some_day_of_period")
                continue
        if source is None or source[0] < si - 1:
            # the sentence before, if it names a period but gave no figure of its own
            prev = si - 1
            if prev >= 0 and prev not in named and prev not in with_figures:
                period, note = resolve_period(art.sentences[prev].text, 0, day, "window")
                if period is not None and period[0] is not None and period[0] != period[1]:
                    named[prev] = Claim(art.sentences[prev], 0, 0, None, measure="window",
                                        period=period, period_note=note)
            if prev in named:
                source = (prev, named[prev])
        if c.measure in ("window", "average") and c.period is not None \
                and c.period[0] is not None and c.period[0] != c.period[1]:
            head = c.sentence.text[max(0, c.start - c.sentence.start - 24):
                                   c.start - c.sentence.start]
            if not _BASE_BEFORE.search(head):
                # ("surpassing November's 45,720": the base, not the period the text is about)
                source = (si, c)
            continue
        if source is not None and si - source[0] <= REACH and c.period is None \
                and not c.date_stated and c.measure in (None, "change") \
                and SOME_DAY.search(c.sentence.text):
            c.measure = "change"
            c.within = source[1].period
            ids = getattr(c, "rule_ids", None)
            if isinstance(ids, list):
                ids.append("discourse.some_day_of_period")
            continue
        if c.measure in ("average", "window") and c.period is None and source is not None \
                and si - source[0] <= REACH and c.scope == source[1].scope:
            # "253,290 troops in 2023, an average of 694 a day", "У лютому … За місяць
            # також знищено 3 708 безпілотників": the period of the figure before (rule
            # discourse.average_of_previous_period)
            twin = paren.get(id(c))
            if twin is not None and twin.period == source[1].period:
                # "… (1,570 in December)": the period set against it is not its own; the
                # other period of the sentence before is
                other = [x for x in claims if x.sentence is source[1].sentence
                         and x.measure in ("window", "average") and x.period is not None
                         and x.period[0] is not None and x.period != twin.period]
                if other:
                    source = (source[0], other[0])
            c.period = source[1].period
            c.period_note = (source[1].period_note + " (the period of the figure before)")
            c.rule_ids.append("discourse.average_of_previous_period")
            continue
        if c.measure is not None or c.period is not None or c.date_stated or si in records:
            source = None  # a figure of its own day or a total: the round-up has ended
            continue
        if source is None or si - source[0] > REACH or c.scope != source[1].scope:
            continue
        src = source[1]
        if "period.from_base" in c.rule_ids and src.period is not None \
                and src.period[0] is not None and src.period[0].day == 2:
            # "fell to 203 from 307": the base is the month before the one the text is about
            before = src.period[0] - timedelta(days=2)
            a, b = _month_window(before.month, before.year, day)
            c.measure, c.period = "window", (a, b)
            c.period_note = f"losses of {before:%B %Y} (the month before the figure's)"
            c.rule_ids.append(RULE)
            continue
        c.measure, c.period = "window", src.period
        c.period_note = (src.period_note + " (the period of the figure before)").strip()
        ids = getattr(c, "rule_ids", None)
        if isinstance(ids, list):
            ids.append(RULE)
        source = (si, src)
