"""The brief: a short, exact, sourced account of a report (or a week or month), written from
templates. Every number in the text comes from the `facts` it is built from.

No language model writes any of it; the wording is fixed, the figures are the ledger's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from attrition import categories, words
from attrition import report as reports
from attrition.analysis import records
from attrition.analysis.records import Standing
from attrition.categories import Aggregate
from attrition.report import CAVEAT, CAVEAT_UK, PUBLISHER, uk_count
from attrition.store.read import LedgerRow

if TYPE_CHECKING:
    from typing import Protocol

    from attrition.analysis.anomalies import Break
    from attrition.analysis.series import Row

    class Beside(Protocol):
        """What gives the brief its confirmed line: compare.ConfirmedContext, daybook.Day."""

        def beside(self, category: str, day: date) -> dict[str, Any] | None: ...

PUBLISHER_UK = "Генеральний штаб Збройних сил України"
WINDOW_DAYS = (7, 30, 90, 365)
HEADLINE = ("personnel", "tanks", "afv", "artillery", "vehicles_fuel_tanks")
"""Categories the first paragraph always names, as wire stories do."""
BRIEF_AGGREGATES = ("vehicles",)
"""Aggregates the brief may cite, always with their definition."""

# How to count each category in English prose: (one, many). The words are the bulletin's
# labels, reordered only where a number reads wrong in front of them; nothing is renamed.
_COUNT_EN = {
    "personnel": ("1 soldier killed or wounded", "{n} troops killed or wounded"),
    "tanks": ("1 tank", "{n} tanks"),
    "afv": ("1 armoured fighting vehicle", "{n} armoured fighting vehicles"),
    "artillery": ("1 artillery system", "{n} artillery systems"),
    "mlrs": ("1 MLRS", "{n} MLRS"),
    "air_defense": ("1 air defence system", "{n} air defence systems"),
    "aircraft": ("1 aircraft", "{n} aircraft"),
    "helicopters": ("1 helicopter", "{n} helicopters"),
    "uav": ("1 UAV of the operational-tactical level",
            "{n} UAVs of the operational-tactical level"),
    "cruise_missiles": ("1 cruise missile", "{n} cruise missiles"),
    "ships": ("1 warship / boat", "{n} warships / boats"),
    "submarines": ("1 submarine", "{n} submarines"),
    "vehicles_fuel_tanks": ("1 unit of vehicles and fuel tanks", "{n} vehicles and fuel tanks"),
    "special_equipment": ("1 unit of special equipment", "{n} units of special equipment"),
    "ground_robotic_systems": ("1 ground robotic system", "{n} ground robotic systems"),
    "military_auto": ("1 military vehicle", "{n} military vehicles"),
    "fuel_tanks": ("1 fuel tank", "{n} fuel tanks"),
    "srbm_systems": ("1 mobile SRBM system", "{n} mobile SRBM systems"),
}
MIN_RECORD_WINDOW = 30
"""Records over shorter windows (the most in a week) are not worth a sentence."""
_MONTHS_EN = ("January February March April May June July August September October "
              "November December").split()
_MONTHS_UK = ("січня лютого березня квітня травня червня липня серпня вересня жовтня "
              "листопада грудня").split()


def en_date(d: date) -> str:
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def uk_date(d: date) -> str:
    return f"{d.day} {_MONTHS_UK[d.month - 1]} {d.year} року"


def _num(n: int) -> str:
    return f"{n:,}"


def _uk_num(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _count_en(cat: str, n: int, label: str) -> str:
    one, many = _COUNT_EN.get(cat, (f"{label}: 1", f"{label}: {{n}}"))
    return one if n == 1 else many.format(n=_num(n))


def _upper_first(text: str) -> str:
    """"Бпла" is what str.capitalize makes of "БПЛА ...": only the first letter changes."""
    return text[:1].upper() + text[1:]


def _plural_en(cat: str, label: str) -> str:
    """A category as counted things ("UAVs of the operational-tactical level")."""
    many = _COUNT_EN.get(cat)
    return many[1].replace("{n} ", "") if many else label


def _join(items: Sequence[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


class Fact(NamedTuple):  # a NamedTuple: cheaper to define on every `attrition brief`
    category: str
    label: str
    change: int | None
    total: int | None
    announced_change: int | None
    basis: str
    ranks: dict[str, int | None]
    highest_since: date | None
    """The last earlier report with a larger change (that records count): the last higher."""
    highest_since_value: int | None
    excluded: str | None
    definition: str | None = None
    components: tuple[str, ...] = ()
    day: date = categories.WAR_START
    counted_since: date = categories.WAR_START
    """The first day the series can have a figure (`categories.counted_since`)."""
    tied_with: date | None = None
    """The last earlier report with the same change, when no larger one came after it."""
    skipped: date | None = None
    """A later report with a larger change that records leave out (a correction)."""
    skipped_value: int | None = None
    skipped_reason: str | None = None
    sources: tuple[str, ...] = ()
    method: str = ""
    correction: int | None = None
    """The part of the change the sources list as a correction of earlier reports."""
    previous_disputed: bool = False
    """Whether the report before's total is disputed (a tie of the sources): the change,
    the difference of the two totals, is then disputed too."""
    disputed_parts: tuple[str, ...] = ()
    """Of a sum, the parts whose change is disputed (the sum's change is then disputed)."""
    repeated_by: tuple[str, ...] = ()
    """Of a repeated total (stale) or the change after one (two-day) when that total is
    disputed: the sources that repeated it (the others, `repeat_dissent`, did not)."""
    repeat_dissent: tuple[str, ...] = ()
    last_higher_disputed: bool = False
    """Whether the change of the last higher report (`highest_since`) rests on a disputed
    total: the record says so."""
    tied_disputed: bool = False
    skipped_disputed: bool = False

    @property
    def record_window(self) -> str | None:
        """The longest window in which this is the highest change: "war", "365d" ... A
        window the series does not fill (a category first counted 10 days ago is not "the
        most in 30 days") is no record."""
        if self.change is None or self.change <= 0 or self.excluded or self.disputed:
            return None  # a disputed figure is no record: nothing settles it
        counted = (self.day - self.counted_since).days + 1
        if self.ranks.get("war") == 1 and counted >= MIN_RECORD_WINDOW:
            return "war"
        for w in reversed(WINDOW_DAYS):
            if MIN_RECORD_WINDOW <= w <= counted and self.ranks.get(f"{w}d") == 1:
                return f"{w}d"
        return None

    @property
    def equals_record(self) -> bool:
        """Whether the record window holds an earlier report with the same change: the day
        equals the most, it does not beat it."""
        window = self.record_window
        if window is None or self.tied_with is None:
            return False
        return window == "war" or (self.day - self.tied_with).days < int(window[:-1])

    @property
    def counted_from_start(self) -> bool:
        """Whether the series goes back to the invasion (else "war" means since it began)."""
        return self.counted_since <= categories.WAR_START

    @property
    def highest_under_old_name(self) -> bool:
        """Whether the last larger day predates the category (its predecessors' sum then)."""
        return (self.category in categories.CONTINUES and self.highest_since is not None
                and self.highest_since < categories.BY_ID[self.category].since)

    @property
    def disputed(self) -> bool:
        """Whether the change rests on a total the sources dispute, this one or the one
        before (a tie of the sources that nothing in the data settles)."""
        return self.method in ("disputed", "tie") or self.previous_disputed \
            or bool(self.disputed_parts)

    @property
    def single_witness(self) -> bool:
        """Whether one source alone gives the figure (a tie is a disagreement instead)."""
        return self.method == "single" or (not self.method and len(self.sources) == 1)

    def to_dict(self) -> dict[str, Any]:
        last = self.highest_since.isoformat() if self.highest_since else None
        return {
            "category": self.category, "label": self.label, "change": self.change,
            "total": self.total, "announced_change": self.announced_change,
            "basis": self.basis, **{f"rank_{k}": v for k, v in self.ranks.items()},
            "last_higher": last, "last_higher_value": self.highest_since_value,
            "last_higher_disputed": self.last_higher_disputed,
            "tied_with_disputed": self.tied_disputed,
            "skipped_disputed": self.skipped_disputed,
            # the old names, kept as aliases for one release
            "highest_since": last, "highest_since_value": self.highest_since_value,
            "excluded": self.excluded, "correction": self.correction,
            "record": self.record_window, "counted_since": self.counted_since.isoformat(),
            "tied_with": self.tied_with.isoformat() if self.tied_with else None,
            "record_equalled": self.equals_record,
            "skipped": self.skipped.isoformat() if self.skipped else None,
            "skipped_value": self.skipped_value, "skipped_reason": self.skipped_reason,
            **({"sources": list(self.sources), "method": self.method,
                "single_witness": self.single_witness,
                "disputed": self.method in ("disputed", "tie"),
                "change_disputed": self.method in ("disputed", "tie")
                or self.previous_disputed} if self.sources else {}),
            **({"definition": self.definition, "components": list(self.components),
                "change_disputed": bool(self.disputed_parts),
                "disputed_parts": list(self.disputed_parts)}
               if self.definition else {}),
        }


def _fact(name: str, st: Standing, row: LedgerRow | None, day: date,
          aggregates: Mapping[str, Aggregate], correction: int | None = None) -> Fact:
    ranks = dict(zip(records.WINDOW_NAMES, st.ranks, strict=True))
    agg = aggregates.get(name) if name not in categories.BY_ID else None
    return Fact(name, agg.en if agg else categories.BY_ID[name].en, st.change, st.total,
                row.announced_change if row else None, st.basis, ranks, st.highest_since,
                st.highest_since_value, st.excluded, agg.definition if agg else None,
                agg.components_on(day) if agg else (), day,
                categories.counted_since(name, aggregates), st.tied_with, st.skipped,
                st.skipped_value, st.skipped_reason, row.sources if row else (),
                row.method if row else "", correction)


def _repeat(f: Fact, row: LedgerRow | None) -> Fact:
    """A stale repeat (or the change after one) whose repeated total is disputed, with the
    sources that repeated it and those that did not: the repeat itself is then in doubt."""
    if row is None or not row.disputed or not row.dissent:
        return f
    return f._replace(repeated_by=tuple(row.sources), repeat_dissent=tuple(sorted(row.dissent)))


def _sum_disputed(f: Fact, parts: Mapping[str, Fact]) -> Fact:
    """A sum's fact with the parts whose change is disputed that day."""
    return f._replace(disputed_parts=tuple(c for c in f.components
                                           if c in parts and parts[c].disputed))


def _disputed_days(f: Fact, days: Collection[date]) -> Fact:
    """`f` with the days its record names marked where their change is disputed."""
    return f._replace(last_higher_disputed=f.highest_since in days,
                      tied_disputed=f.tied_with in days, skipped_disputed=f.skipped in days)


def _notability(f: Fact, day: date) -> float:
    """Longer since a larger change = more notable; a war record beats everything."""
    if f.record_window is None:
        return -1.0
    if f.highest_since is None:
        return float("inf")
    return float((day - f.highest_since).days)


def standings(rows: Mapping[str, Sequence[Row]],
              corrections: Sequence[tuple[str, date, str, int]], day: date,
              names: Iterable[str], aggregates: Mapping[str, Aggregate] | None = None,
              doubt: Collection[tuple[str, date]] = ()
              ) -> tuple[dict[str, Standing], dict[str, list[Break]]]:
    """The standing on `day` of each named series, and each one's level breaks, computed
    from the whole ledger (the store keeps them precomputed: see `attrition.daybook`).
    `doubt`: the disputed cells (category, report date), whose changes records set aside."""
    from attrition.analysis import anomalies, series

    aggs = aggregates if aggregates is not None else categories.aggregates()
    cache: dict[tuple[str, str], list[series.Point]] = {}
    out, brks = {}, {}
    for name in names:
        s = series.build(name, rows, corrections, aggregates=aggs, cache=cache)
        st = records.standing(s, day, records.resting_on(doubt, categories.parts(name, aggs)))
        if st is not None:
            out[name] = st
            if 1 in st.ranks[1:]:  # only a record (30 days and up) is set against breaks
                brks[name] = anomalies.breaks(s)
    return out, brks


RECENT_REPORTS = records.RECENT
"""The headline categories are set against the mean of this many reports before."""


def daily(rows: Mapping[str, Sequence[Row]],
          corrections: Sequence[tuple[str, date, str, int]], report: Sequence[LedgerRow],
          *, lang: str = "en", aggregates: Mapping[str, Aggregate] | None = None,
          confirmed: Beside | None = None,
          previous: Sequence[LedgerRow] = (),
          disputed: Callable[[Mapping[str, Standing]], Mapping[str, Collection[date]]]
          | None = None, doubt: Collection[tuple[str, date]]) -> dict[str, Any]:
    """The brief of one report (`report`: its ledger rows, with sources and address),
    computed from the whole ledger by category (`rows`): see `compose`. `disputed`: given
    the standings, the days among those they name whose change is disputed (the rows by
    category do not say). `doubt`: the ledger's disputed cells (category, report date), whose
    changes no record counts (`records.set_aside`)."""
    aggs = aggregates if aggregates is not None else categories.aggregates()
    day = report[0].report_date if report else date.min
    names = [*(r.category for r in report), *BRIEF_AGGREGATES]
    standing, brks = standings(rows, corrections, day, names, aggs, doubt)
    return compose(report, standing, lang=lang, aggregates=aggs, confirmed=confirmed,
                   breaks=brks, corrections=corrections, previous=previous,
                   disputed=disputed(standing) if disputed else None)


def compose(report: Sequence[LedgerRow], standing: Mapping[str, Standing], *,
            lang: str = "en", aggregates: Mapping[str, Aggregate] | None = None,
            confirmed: Beside | None = None,
            breaks: Mapping[str, Sequence[Break]] | None = None,
            corrections: Iterable[tuple[str, date, str, int]] = (),
            previous: Sequence[LedgerRow] = (),
            disputed: Mapping[str, Collection[date]] | None = None) -> dict[str, Any]:
    """The brief of one report as a document: text, facts, sources, caveat. `standing` holds
    the day's standing of the report's categories and of `BRIEF_AGGREGATES`. With
    `confirmed`, one line sets the headline category (or the first headline category the
    confirmed data covers) beside its visually confirmed count. `breaks` (by series, from
    `anomalies.breaks`): a record set across a jump in a series' level says so.
    `corrections` (the sources' list, any days): how much of a corrected change corrects
    earlier reports. The headline categories are set against their mean change over the
    `RECENT_REPORTS` reports before (`Standing.recent_mean`). `previous`: the report
    before's rows; a change from a disputed total there is said to be disputed.
    `disputed` (by series, from `service.disputed_changes`): the report dates whose change
    rests on a disputed total, among those the standings name (last higher, tied,
    skipped); a record set against one says so."""
    aggs = aggregates if aggregates is not None else categories.aggregates()
    report_rows = {r.category: r for r in report}
    day = report[0].report_date if report else date.min
    if not report_rows:
        from attrition.errors import NotFoundError

        raise NotFoundError(f"no report for {day}")
    fixed: dict[str, int] = {}
    for _, d, cat, value in corrections:
        if d == day:
            fixed[cat] = value
    tied_before = {r.category for r in previous if r.method in ("disputed", "tie")}
    facts = [_fact(cat, standing[cat], report_rows[cat], day, aggs, fixed.get(cat))
             ._replace(previous_disputed=cat in tied_before)
             for cat in sorted(report_rows, key=lambda c: categories.ORDER[c])
             if cat in standing]
    before_rows = {r.category: r for r in previous}
    facts = [_repeat(f, report_rows[f.category] if f.excluded == "stale" else
                     before_rows.get(f.category)) if f.excluded in ("stale", "two_day")
             else f for f in facts]
    by_cat = {f.category: f for f in facts}
    agg_facts = [_sum_disputed(_fact(name, standing[name], None, day, aggs), by_cat)
                 for name in BRIEF_AGGREGATES if name in standing]
    if disputed:
        facts, agg_facts = ([_disputed_days(f, disputed.get(f.category, ())) for f in fs]
                            for fs in (facts, agg_facts))
    notable = sorted((f for f in facts + agg_facts if f.record_window),
                     key=lambda f: (-_notability(f, day), f.category))
    cited_aggs = [f for f in agg_facts if f in notable]
    headline = notable[0].category if notable else None
    sources = sorted({s for r in report_rows.values() for s in r.sources})
    address = next((r.address for r in report_rows.values()
                    if r.address and r.address.startswith(("http://", "https://"))), None)
    missing = reports.missing(report_rows, day)
    context = None
    if confirmed is not None:
        order = [headline] if headline else []
        for cat in [*order, *HEADLINE]:
            # a line the General Staff did not count on the confirmed count's date (ground
            # robotic systems, counted from 2026, against Oryx's count of 2025) compares
            # nothing: the next headline category's line stands in
            if cat and (context := confirmed.beside(cat, day)) is not None \
                    and context["claimed_on_that_date"] is not None:
                break
            context = None
    if context is not None and (day - date.fromisoformat(context["as_of"])).days > \
            CONFIRMED_STALE_DAYS:  # dated as such in the text
        context = {**context, "months_before_report": _months_between(
            date.fromisoformat(context["as_of"]), day)}
    spans = [(f, b) for f in notable for b in _rises_within(f, (breaks or {}).get(
        f.category, ()))]
    first = all(f.change is None for f in facts)
    means = {c: round(m, 1) for c in HEADLINE if c in standing and c in report_rows
             and not first and (m := standing[c].recent_mean) is not None}
    write = _text_en if lang == "en" else _text_uk
    text = write(day, facts, notable, address, sources, context, spans, missing, first,
                 means)
    headline_text = (_headline_en if lang == "en" else _headline_uk)(day, facts, notable,
                                                                      first)
    return {
        "date": day.isoformat(),
        "covers": (categories.WAR_START if first else day - timedelta(days=1)).isoformat(),
        "first_report": first,
        "publisher": PUBLISHER if lang == "en" else PUBLISHER_UK, "address": address,
        # `headline` is the sentence; the category it leads with is `headline_category`
        "lang": lang, "headline": headline_text, "headline_category": headline, "text": text,
        "facts": [f.to_dict() for f in facts + [f for f in agg_facts if f in cited_aggs]],
        "notable": [f.category for f in notable],
        "missing": missing,
        "recent_means": means, "recent_reports": RECENT_REPORTS,
        "windows_days": list(WINDOW_DAYS),
        "basis": "change = difference of totals (announced (+N) given beside it where known)",
        "sources": sources, "caveat": CAVEAT if lang == "en" else CAVEAT_UK,
        "confirmed": context,
        "level_breaks": [{"category": f.category, "day": b.day.isoformat(),
                          "median_before": round(b.before), "median_after": round(b.after),
                          "window": BREAK_WINDOW} for f, b in spans],
    }


BREAK_WINDOW = 60
"""Reports on each side of a level break (anomalies.breaks' default window)."""


def _rises_within(f: Fact, breaks: Iterable[Break]) -> list[Break]:
    """The last upward level break inside a record's window (after its last higher report):
    there the record compares days of the new level with days of the old one, and may be
    the jump more than the day. (A fall inside the window only makes a record harder.)"""
    window = f.record_window
    if window is None:
        return []
    start = None if window == "war" else f.day - timedelta(days=int(window[:-1]) - 1)
    if f.highest_since is not None:  # the record is set against the days after the last
        start = f.highest_since if start is None else max(start, f.highest_since)  # higher
    rises = [b for b in breaks if b.after > b.before and b.day <= f.day
             and (start is None or b.day > start)]
    return rises[-1:]  # the latest: the level the record was set at


_CONFIRMED_EN = {"tanks": "tanks", "afv": "armoured fighting vehicles",
                 "artillery": "artillery pieces", "mlrs": "multiple rocket launchers",
                 "air_defense": "air-defence systems", "aircraft": "aircraft",
                 "helicopters": "helicopters", "ships": "ships and submarines",
                 "vehicles_fuel_tanks": "trucks, vehicles and jeeps",
                 "special_equipment": "special equipment (engineering, command, radar and EW "
                                      "vehicles)",
                 "uav": "reconnaissance and combat UAVs"}
_CONFIRMED_UK = {"tanks": "танків", "afv": "бойових броньованих машин",
                 "artillery": "артилерійських систем", "mlrs": "РСЗВ",
                 "air_defense": "засобів ППО", "aircraft": "літаків",
                 "helicopters": "гелікоптерів", "ships": "кораблів і підводних човнів",
                 "vehicles_fuel_tanks": "вантажівок і автомобілів",
                 "special_equipment": "одиниць спеціальної техніки (інженерних, командних, "
                                      "радарних машин і засобів РЕБ)",
                 "uav": "розвідувальних і ударних БПЛА"}
CONFIRMED_STALE_DAYS = 30
"""A confirmed count older than this before the report is dated as such."""


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def _confirmed_ledger_en(ctx: dict[str, Any]) -> str:
    """What the General Staff's side of a confirmed line counts, in the brief's words."""
    parts = [str(c) for c in ctx.get("ledger") or [ctx["line"]]]
    return _join([_plural_en(c, categories.BY_ID[c].en if c in categories.BY_ID else c)
                  for c in parts])


def _confirmed_en(ctx: dict[str, Any], day: date) -> str:
    as_of = date.fromisoformat(ctx["as_of"])
    what = _CONFIRMED_EN.get(ctx["line"]) or _plural_en(
        ctx["line"], categories.BY_ID[ctx["line"]].en if ctx["line"] in categories.BY_ID
        else ctx["line"])
    how = (" (derived from its armoured-combat-vehicle total minus the other armoured types)"
           if ctx["derived"] else "")
    claimed = ctx["claimed_on_that_date"]
    old = ""
    if (day - as_of).days > CONFIRMED_STALE_DAYS:
        months = ctx.get("months_before_report") or 0
        old = (f" (the newest confirmed count held here, {months} months before this report)"
               if months >= 2 else " (the newest confirmed count held here, over a month "
               "before this report)")
    return (f"For comparison, Oryx had visually confirmed {_num(ctx['confirmed'])} Russian "
            f"{what} lost by {en_date(as_of)}{old}{how}; the General Staff's count of "
            f"{_confirmed_ledger_en(ctx)} as of {en_date(as_of)} was "
            f"{_num(claimed) if claimed is not None else 'not published'}. Confirmed "
            f"counts are a floor, not a ceiling: each needs a photo or video.")


def _confirmed_uk(ctx: dict[str, Any], day: date) -> str:
    as_of = date.fromisoformat(ctx["as_of"])
    what = _CONFIRMED_UK.get(ctx["line"]) or uk_label(ctx["line"])
    how = (" (обчислено із загальної кількості бойової броньованої техніки за Oryx без "
           "інших броньованих типів)" if ctx["derived"] else "")
    claimed = ctx["claimed_on_that_date"]
    old = ""
    if (day - as_of).days > CONFIRMED_STALE_DAYS:
        months = ctx.get("months_before_report") or 0
        old = (" (найновіші підтверджені дані в базі, за "
               + (uk_count(months, "month") if months >= 2 else "понад місяць")
               + " до цього зведення)")
    return (f"Для порівняння: Oryx візуально підтвердив втрату {_uk_num(ctx['confirmed'])} "
            f"російських {what} станом на {uk_date(as_of)}{old}{how}; Генштаб станом на "
            f"{uk_date(as_of)} називав: "
            + " і ".join(uk_label(str(c)) for c in ctx.get("ledger") or [ctx["line"]])
            + f" – {_uk_num(claimed) if claimed is not None else 'даних немає'}. "
            f"Підтверджені втрати — "
            f"нижня межа: кожна потребує фото чи відео.")


# What a category was called before it carried on others (categories.CONTINUES), in words a
# reader understands: the old labels alone ("vehicles", "fuel tanks") would read as the new one.
_OLD_NAMES_EN = {"vehicles_fuel_tanks": "two categories, military vehicles and fuel tanks"}
_OLD_NAMES_UK = {"vehicles_fuel_tanks": "автомобільна техніка та цистерни з ПММ"}


def _old_name_en(f: Fact) -> str:
    if not f.highest_under_old_name:
        return ""
    return (f", counted then as {_OLD_NAMES_EN[f.category]}, merged on "
            f"{en_date(categories.BY_ID[f.category].since)}")


def _old_name_uk(f: Fact) -> str:
    if not f.highest_under_old_name:
        return ""
    return (f"; тоді їх рахували окремо – {_OLD_NAMES_UK[f.category]} (категорії "
            f"об'єднано {uk_date(categories.BY_ID[f.category].since)})")


_WEEKDAYS_EN = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_WEEKDAYS_UK_ON = ("у понеділок", "у вівторок", "у середу", "у четвер", "у п'ятницю",
                   "у суботу", "у неділю")
SOURCE_TITLES = {"petroivaniuk": "PetroIvaniuk's dataset", "orc-losses": "orc-losses",
                 "minfin": "Minfin's index", "russianwarship": "russianwarship.rip",
                 "bulletin": "the bulletin's text", "press": "a press reproduction"}
"""The sources as a source line names them (ids stay in JSON)."""
SOURCE_TITLES_UK = {"petroivaniuk": "набір даних PetroIvaniuk", "orc-losses": "orc-losses",
                    "minfin": "індекс Мінфіну", "russianwarship": "russianwarship.rip",
                    "bulletin": "текст зведення", "press": "передрук у пресі"}


_DISPUTED_EN = " (a disputed figure)"
_DISPUTED_UK = " (спірні дані)"
"""Beside a day's loss that rests on a disputed total, where the lead states it: the note
below says why."""


def _on_en(d: date) -> str:
    return f"{_WEEKDAYS_EN[d.weekday()]}, {en_date(d)}"


def _skip_en(f: Fact) -> str:
    if f.skipped is None or f.skipped_value is None:
        return ""
    if f.skipped_reason == "creation":  # a sum on the day some of its parts were first
        # counted (25 February 2022): no correction, and its figure lacks those parts
        return (f", not counting the report of {en_date(f.skipped)}, which had "
                f"{_num(f.skipped_value)} without the parts of the sum first counted that day")
    what = {"two_day": "the two-day figure", "disputed": "the disputed figure"}.get(
        f.skipped_reason or "", "the correction")
    return (f", not counting {what} in the report of {en_date(f.skipped)}, which had "
            f"{_num(f.skipped_value)}"
            + _DISPUTED_EN * (f.skipped_disputed and f.skipped_reason != "disputed"))


# An aggregate counted as a reporter counts it ("157 armoured and other vehicles"), its
# definition given after the record's figures, so that the figures read as the sum's.
_AGGREGATE_COUNT_EN = {"vehicles": "armoured and other vehicles"}


def _record_en(f: Fact) -> str:
    """One record, as a clause: "124 vehicles and fuel tanks, the most since ..."."""
    if f.definition is None:
        return _record_en_of(f, _count_en(f.category, f.change or 0, f.label))
    count = _AGGREGATE_COUNT_EN.get(f.category)
    if count is None:
        return _record_en_of(f, f"{f.label} taken together, {_num(f.change or 0)} (a sum "
                                f"computed here)")
    return (_record_en_of(f, f"{_num(f.change or 0)} {count}")
            + f" ({f.label} taken together: a sum computed here)")


def _record_en_of(f: Fact, what: str) -> str:
    if f.equals_record and f.tied_with is not None:
        head = (f"{what}, as many as in the report of {en_date(f.tied_with)}"
                + _DISPUTED_EN * f.tied_disputed + " and")
    else:
        head = f"{what},"
    if f.record_window == "war" or f.highest_since is None:
        since = ("the General Staff began counting them" if not f.counted_from_start
                 else "the full-scale invasion began")
        return f"{head} the most in a single report since {since}{_skip_en(f)}"
    assert f.highest_since_value is not None
    return (f"{head} the most since the report of {en_date(f.highest_since)}, which had "
            f"{_num(f.highest_since_value)}{_DISPUTED_EN * f.last_higher_disputed}"
            f"{_old_name_en(f)}{_skip_en(f)}")


def _headline_en(day: date, facts: Sequence[Fact], notable: Sequence[Fact],
                 first: bool) -> str:
    """The brief in one sentence, as a wire headline."""
    by = {f.category: f for f in facts}
    p = by.get("personnel")
    if first:
        what = (f"{_num(p.total)} Russian troops killed or wounded" if p and p.total
                else "the Russian losses")
        return f"Ukraine's General Staff counts {what} on the first day of the invasion"
    items = []
    if p and p.change is not None and not p.excluded:
        items.append(_count_en("personnel", p.change, p.label))
    top = next((f for f in notable if f.definition is None and f.category != "personnel"),
               None)
    if top is not None:
        items.append(_count_en(top.category, top.change or 0, top.label))
    text = (f"Russia lost {_join(items)} over the past day, Ukraine's General Staff says"
            if items else "Ukraine's General Staff reports the Russian losses of the past day")
    if top is not None:
        since = ("since the invasion began" if top.highest_since is None
                 else f"since {en_date(top.highest_since)}")
        text += f", the most {_plural_en(top.category, top.label)} {since}"
    return text


def _text_en(day: date, facts: Sequence[Fact], notable: Sequence[Fact],
             address: str | None, sources: Sequence[str],
             context: dict[str, Any] | None = None,
             spans: Sequence[tuple[Fact, Break]] = (), missing: Sequence[str] = (),
             first: bool = False, means: Mapping[str, float] | None = None) -> str:
    covers = day - timedelta(days=1)
    by = {f.category: f for f in facts}
    if first:
        lead = [_count_en(c, by[c].total or 0, by[c].label) for c in HEADLINE
                if c in by and by[c].total is not None]
        others = [_count_en(f.category, f.total, f.label) for f in facts
                  if f.category not in HEADLINE and f.total]
        paras = [f"In its first report, of {_on_en(day)}, the {PUBLISHER} counted the "
                 f"Russian losses since the full-scale invasion began that morning: "
                 f"{_join(lead)}" + (f"; it also lists {_join(others)}." if others else ".")
                 + " It is a total for the first day, with no earlier report to compare."]
    else:
        lead = [_count_en(c, by[c].change or 0, by[c].label) + _DISPUTED_EN * by[c].disputed
                for c in HEADLINE if c in by and (by[c].change or 0) >= 0
                and by[c].change is not None and not by[c].excluded]
        others = [_count_en(f.category, f.change, f.label) + _DISPUTED_EN * f.disputed
                  for f in facts if f.category not in HEADLINE and f.change is not None
                  and f.change > 0 and not f.excluded]
        paras = [f"Russian forces lost {_join(lead) or 'no figure this brief can count'} "
                 f"over the past day, the {PUBLISHER} said on {_on_en(day)}, in its report "
                 f"on the losses of {_on_en(covers)}"
                 + (f"; it also lists {_join(others)}." if others else ".")]
        avg = [f"{_rate(m)} {_plural_en(c, by[c].label)}" for c, m in (means or {}).items()]
        if avg:
            paras[0] += (f" Over the previous {RECENT_REPORTS} reports the counts rose by an "
                         f"average of {_join(avg)} a day.")
    rose = [f for f in facts if f.excluded == "correction" and (f.change or 0) > 0]
    fell = [f for f in facts if f.change is not None and f.change < 0]
    if rose or fell:
        parts = []
        for f in rose:
            part = f"{_plural_en(f.category, f.label)} rose by {_num(f.change or 0)}"
            if f.correction is not None and 0 < f.correction < (f.change or 0):
                part += f" ({_num(f.correction)} of them corrections)"
            parts.append(part)
        for f in fell:
            said = (f", though the bulletin printed (+{f.announced_change})"
                    if f.announced_change is not None else "")
            parts.append(f"{_plural_en(f.category, f.label)} fell by {_num(-(f.change or 0))}"
                         f", to {_num(f.total or 0)}{said}")
        paras.append("The report also corrects earlier ones: " + "; ".join(parts) + ". "
                     + ("A correction is not a day's loss: these figures are left out of "
                        "the losses above and are never ranked against other days." if rose
                        else
                        "A total that falls is a correction, not a loss."))
    for f in facts:
        who = _join([SOURCE_TITLES.get(x, x) for x in f.repeated_by])
        other = _join([SOURCE_TITLES.get(x, x) for x in f.repeat_dissent])
        if f.excluded == "two_day" and f.repeat_dissent:  # the repeat itself is disputed
            paras.append(f"The {_count_en(f.category, f.change or 0, f.label)} in this report "
                         f"may cover two days: in the report before, {who} repeated the "
                         f"previous total while {other} had a higher one, and nothing settles "
                         f"which is right. The figure is left out of the losses above and "
                         f"never ranked against other days.")
        elif f.excluded == "two_day":
            paras.append(f"The {_count_en(f.category, f.change or 0, f.label)} in this report "
                         f"cover two days: the report before repeated its previous total, so "
                         f"this is a two-day figure, left out of the losses above and never "
                         f"ranked against other days.")
        elif f.excluded == "stale" and f.repeat_dissent:
            paras.append(f"The count of {_plural_en(f.category, f.label)} repeats the report "
                         f"before (no change) in {who}, while {other} has a higher total, and "
                         f"nothing settles which is right: if the repeat stands, the next "
                         f"report's figure will cover two days.")
        elif f.excluded == "stale":
            paras.append(f"The count of {_plural_en(f.category, f.label)} repeats the report "
                         f"before (no change): the sources copied the previous total, so the "
                         f"next report's figure will cover two days.")
    diffs = [f for f in facts if f.announced_change is not None and f.change is not None
             and f.change >= 0 and f.announced_change != f.change]
    for f in diffs:
        paras.append(f"For {f.label}, the bulletin announced (+{f.announced_change}) while its "
                     f"totals rose by {_num(f.change or 0)}; this brief uses the difference of "
                     f"totals.")
    recs = [_record_en(f) for f in notable]
    if recs:
        text = ("Record: " if len(recs) == 1 else "Records: ") + "; ".join(recs) + "."
        for f, b in spans:
            what = (_AGGREGATE_COUNT_EN.get(f.category) or _plural_en(f.category, f.label))
            text += (f" The counts of {what} jumped to a new level on {en_date(b.day)}: a "
                     f"median of {_num(round(b.before))} a day in the {BREAK_WINDOW} reports "
                     f"before, and a median of {_num(round(b.after))} in the {BREAK_WINDOW} "
                     f"reports from then on. A shift this abrupt may be a change in what is "
                     f"counted, not only in the fighting.")
        paras.append(text)
    notes = []
    single = [f for f in facts if f.single_witness]
    if single:
        names = _join([_plural_en(f.category, f.label) for f in single])
        witnesses = _join(sorted({SOURCE_TITLES.get(s, s) for f in single for s in f.sources}))
        notes.append(f"The figure{'s' if len(single) > 1 else ''} for {names} "
                     f"rest{'' if len(single) > 1 else 's'} on a single source ({witnesses}).")
    ties = [f for f in facts if f.method in ("disputed", "tie") and not f.repeat_dissent]
    if ties:
        names = _join([_plural_en(f.category, f.label) for f in ties])
        notes.append(f"The sources disagree on {names} and nothing settles it: the figure "
                     f"given is disputed, and records leave it out.")
    before = [f for f in facts if f.previous_disputed and f.change is not None
              and f not in ties and not f.repeat_dissent]  # (said with the repeat)
    if before:
        names = _join([_plural_en(f.category, f.label) for f in before])
        notes.append(f"The sources disagree on the total of {names} in the report before, "
                     f"and nothing settles it: the change given here, the difference of the "
                     f"two totals, is disputed, and records leave it out.")
    if missing:
        labels = [_plural_en(c, categories.BY_ID[c].en) for c in missing]
        notes.append(f"The report has no figure for {_join(labels)}, which earlier reports "
                     f"carried.")
    if notes:
        paras.append(" ".join(notes))
    if not first:
        totals = [_count_en(c, by[c].total or 0, by[c].label)
                  + _DISPUTED_EN * (by[c].method in ("disputed", "tie")) for c in HEADLINE
                  if c in by and by[c].total is not None]
        paras.append(f"Since 24 February 2022 the General Staff has counted {_join(totals)}"
                     + (" (personnel figures are approximate)." if "personnel" in by else "."))
    if context:
        paras.append(_confirmed_en(context, day))
    titles = [SOURCE_TITLES.get(s, s) for s in sources]
    paras.append(f"Source: {PUBLISHER}, report of {en_date(day)}"
                 + (f" ({address})" if address else "")
                 + f"; figures as agreed by {_join(titles)}. {CAVEAT}")
    return "\n\n".join(paras)


# Ukrainian: the bulletin's genitive labels after a number ("танків – 9 463", the registry's),
# and the nominative forms for headings and cards ("Танки", attrition.words).
UK_NOMINATIVE = words.UK_NOMINATIVE


def uk_label(name: str, form: str = "gen") -> str:
    """A category's Ukrainian label: "gen" (after a number, as the bulletin writes it) or
    "nom" (a heading)."""
    if form == "nom":
        return UK_NOMINATIVE.get(name, name)
    cat = categories.BY_ID.get(name)
    if cat is not None:
        return cat.uk
    agg = next((a for a in categories.BUILTIN_AGGREGATES if a.id == name), None)
    return agg.uk if agg else name


def _lower_first(text: str) -> str:
    """"Танки" -> "танки" inside a sentence; "РСЗВ", "БПЛА ..." stay as they are."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _on_uk(d: date) -> str:
    return f"{_WEEKDAYS_UK_ON[d.weekday()]}, {uk_date(d)}"


def _skip_uk(f: Fact) -> str:
    if f.skipped is None or f.skipped_value is None:
        return ""
    if f.skipped_reason == "creation":
        return (f", не враховуючи зведення {uk_date(f.skipped)}, у якому було "
                f"{_uk_num(f.skipped_value)} без складових суми, які тоді рахували вперше")
    what = {"two_day": "дводобові дані", "disputed": "спірні дані"}.get(
        f.skipped_reason or "", "виправлення")
    return (f", не враховуючи {what} у зведенні {uk_date(f.skipped)}, у якому було "
            f"{_uk_num(f.skipped_value)}"
            + _DISPUTED_UK * (f.skipped_disputed and f.skipped_reason != "disputed"))


def _in_sources_uk(names: Sequence[str]) -> str:
    """"в джерелі orc-losses", "в джерелах: набір даних PetroIvaniuk, індекс Мінфіну" (the
    titles stay in the nominative)."""
    titles = ", ".join(SOURCE_TITLES_UK.get(x, x) for x in names)
    return f"в джерелі {titles}" if len(names) == 1 else f"в джерелах: {titles}"


_AGGREGATE_COUNT_UK = {"vehicles": "броньованих та інших автомобілів"}
"""A sum as a reporter counts it, in the genitive plural after "кількість" (or the
bulletin's dash), which is right whatever the number: "161 броньованих ... автомобілів" is
not ("161 броньований та інший автомобіль"), and the nominative forms after 1-4 read, to a
checker, as another category."""


def _uk_counted(name: str, n: int) -> str | None:
    """"Кількість броньованих та інших автомобілів – 161"."""
    count = _AGGREGATE_COUNT_UK.get(name)
    return f"Кількість {count} – {_uk_num(n)}" if count else None


def _record_uk(f: Fact) -> str:
    count = _uk_counted(f.category, f.change or 0) if f.definition is not None else None
    if count is not None:  # "157 броньованих та інших автомобілів", defined after the figures
        return (_record_uk_of(f, count)
                + f" ({_lower_first(uk_label(f.category, 'nom'))}; сума, обчислена тут)")
    head = f"{uk_label(f.category, 'nom')} – {_uk_num(f.change or 0)}"
    if f.definition is not None:
        head += " (сума, обчислена тут)"
    return _record_uk_of(f, head)


def _record_uk_of(f: Fact, head: str) -> str:
    same = (f", стільки ж, скільки у зведенні {uk_date(f.tied_with)}"
            f"{_DISPUTED_UK * f.tied_disputed}, і"
            if f.equals_record and f.tied_with is not None else ":")
    if f.record_window == "war" or f.highest_since is None:
        since = ("відтоді, як Генштаб почав їх рахувати" if not f.counted_from_start
                 else "від початку повномасштабного вторгнення")
        return f"{head}{same} найбільше за одне зведення {since}{_skip_uk(f)}"
    assert f.highest_since_value is not None
    return (f"{head}{same} найбільше від зведення {uk_date(f.highest_since)}, у якому було "
            f"{_uk_num(f.highest_since_value)}{_DISPUTED_UK * f.last_higher_disputed}"
            f"{_old_name_uk(f)}{_skip_uk(f)}")


def _headline_uk(day: date, facts: Sequence[Fact], notable: Sequence[Fact],
                 first: bool) -> str:
    by = {f.category: f for f in facts}
    p = by.get("personnel")
    if first:
        return "Генштаб ЗСУ: втрати Росії в перший день повномасштабного вторгнення"
    if p and p.change is not None and not p.excluded:
        return (f"Генштаб ЗСУ: Росія за добу втратила {_uk_num(p.change)} військових "
                f"(вбитими та пораненими)")
    return "Генштаб ЗСУ: втрати Росії за добу"


def _text_uk(day: date, facts: Sequence[Fact], notable: Sequence[Fact],
             address: str | None, sources: Sequence[str],
             context: dict[str, Any] | None = None,
             spans: Sequence[tuple[Fact, Break]] = (), missing: Sequence[str] = (),
             first: bool = False, means: Mapping[str, float] | None = None) -> str:
    covers = day - timedelta(days=1)
    if first:
        # as the English: a category the first report counts none of is not a loss
        lines = [f"{uk_label(f.category)} – {_uk_num(f.total)}" for f in facts
                 if f.total]
        paras = [f"За першим зведенням Генерального штабу Збройних сил України, "
                 f"оприлюдненим {_on_uk(day)}, від початку повномасштабного вторгнення того "
                 f"ранку Росія втратила: " + "; ".join(lines)
                 + ". Це підсумок першої доби; попереднього зведення для порівняння немає."]
    else:
        lines = [f"{uk_label(f.category)} – {_uk_num(f.change)}" + _DISPUTED_UK * f.disputed
                 for f in facts if f.change is not None and f.change >= 0 and not f.excluded
                 and (f.change or f.category in HEADLINE)]
        paras = [f"За зведеннями Генерального штабу, оприлюдненими {_on_uk(day)}, за минулу "
                 f"добу ({uk_date(covers)}) Росія втратила: " + "; ".join(lines) + "."]
        avg = [f"{uk_label(c)} – {_rate(m, uk=True)}" for c, m in (means or {}).items()]
        if avg:
            paras[0] += (f" У середньому за попередні "
                         f"{uk_count(RECENT_REPORTS, 'report')} – на добу: "
                         + "; ".join(avg) + ".")
    rose = [f for f in facts if f.excluded == "correction" and (f.change or 0) > 0]
    fell = [f for f in facts if f.change is not None and f.change < 0]
    if rose or fell:
        parts = [f"кількість {uk_label(f.category)} зросла на {_uk_num(f.change or 0)}"
                 + (f" ({_uk_num(f.correction)} з них – виправлення)"
                    if f.correction is not None and 0 < f.correction < (f.change or 0) else "")
                 for f in rose]
        parts += [f"кількість {uk_label(f.category)} зменшилася на {_uk_num(-(f.change or 0))}"
                  f" – до {_uk_num(f.total or 0)}" for f in fell]
        paras.append("Зведення також виправляє попередні дані: " + "; ".join(parts) + ". "
                     "Виправлення – не втрати за добу: ці числа не входять до втрат вище і "
                     "ніколи не порівнюються з іншими днями.")
    for f in facts:
        who, other = _in_sources_uk(f.repeated_by), _in_sources_uk(f.repeat_dissent)
        if f.excluded == "two_day" and f.repeat_dissent:
            paras.append(f"{uk_label(f.category, 'nom')} – {_uk_num(f.change or 0)}: можливо, "
                         f"це дані за дві доби: у попередньому зведенні підсумок повторює "
                         f"попередній {who}, а {other} він більший, і ніщо не встановлює, що "
                         f"правильно. Їх не враховано у втратах за добу і не порівнюють з "
                         f"іншими днями.")
        elif f.excluded == "stale" and f.repeat_dissent:
            paras.append(f"{uk_label(f.category, 'nom')}: підсумок повторює попереднє зведення "
                         f"(без змін) {who}, а {other} він більший, і ніщо не встановлює, що "
                         f"правильно; якщо повтор підтвердиться, наступне зведення міститиме "
                         f"дані за дві доби.")
        elif f.excluded == "two_day":
            paras.append(f"{uk_label(f.category, 'nom')} – {_uk_num(f.change or 0)}: це дані "
                         f"за дві доби, бо попереднє зведення повторило попередній підсумок; "
                         f"їх не враховано у втратах за добу і не порівнюють з іншими днями.")
        elif f.excluded == "stale":
            paras.append(f"{uk_label(f.category, 'nom')}: підсумок повторює попереднє "
                         f"зведення (без змін); наступне зведення міститиме дані за дві доби.")
    recs = [_record_uk(f) for f in notable]
    if recs:
        text = ("Рекорд: " if len(recs) == 1 else "Рекорди: ") + "; ".join(recs) + "."
        for f, b in spans:
            text += (f" {uk_label(f.category, 'nom')}: {uk_date(b.day)} ряд перейшов на новий "
                     f"рівень – медіана {_uk_num(round(b.before))} на добу за {BREAK_WINDOW} "
                     f"зведень до того і медіана {_uk_num(round(b.after))} за {BREAK_WINDOW} "
                     f"зведень відтоді. Такий різкий зсув може означати зміну того, що "
                     f"рахують, а не лише інтенсивності боїв.")
        paras.append(text)
    notes = []
    single = [f for f in facts if f.single_witness]
    if single:
        by_source: dict[str, list[str]] = {}
        for f in single:
            by_source.setdefault(f.sources[0], []).append(
                _lower_first(uk_label(f.category, "nom")))
        notes.append("Дані лише з одного джерела: " + "; ".join(
            f"{SOURCE_TITLES_UK.get(src, src)} – {', '.join(cats)}"
            for src, cats in by_source.items()) + ".")
    ties = [f for f in facts if f.method in ("disputed", "tie") and not f.repeat_dissent]
    if ties:
        notes.append("Джерела розходяться без більшості: " + ", ".join(
            _lower_first(uk_label(f.category, "nom")) for f in ties)
            + "; ці дані спірні, і їх не порівнюють з іншими днями.")
    before = [f for f in facts if f.previous_disputed and f.change is not None
              and f not in ties and not f.repeat_dissent]
    if before:
        notes.append("Джерела розходяться без більшості щодо підсумку в попередньому "
                     "зведенні: " + ", ".join(_lower_first(uk_label(f.category, "nom"))
                                            for f in before)
                     + "; тож зміна за добу (різниця двох підсумків) спірна, і її не "
                     "порівнюють з іншими днями.")
    if missing:
        notes.append("У зведенні немає даних: " + ", ".join(
            _lower_first(uk_label(c, "nom")) for c in missing)
            + " (попередні зведення їх містили).")
    if notes:
        paras.append(" ".join(notes))
    by = {f.category: f for f in facts}
    if not first:
        totals = [f"{uk_label(c)} – {_uk_num(by[c].total or 0)}"
                  + _DISPUTED_UK * (by[c].method in ("disputed", "tie")) for c in HEADLINE
                  if c in by and by[c].total is not None]
        paras.append("Загалом від 24 лютого 2022 року: " + "; ".join(totals) + "."
                     + (" Дані щодо особового складу приблизні." if "personnel" in by else ""))
    if context:
        paras.append(_confirmed_uk(context, day))
    titles = [SOURCE_TITLES_UK.get(s, s) for s in sources]
    paras.append(f"Джерело: {PUBLISHER_UK}, зведення від {uk_date(day)}"
                 + (f" ({address})" if address else "")
                 + f"; дані узгоджують: {', '.join(titles)}. {CAVEAT_UK}")
    return "\n\n".join(paras)


def period(rows: Mapping[str, Sequence[Row]],
           corrections: Sequence[tuple[str, date, str, int]], *, week: str | None = None,
           month: str | None = None, lang: str = "en",
           aggregates: Mapping[str, Aggregate] | None = None,
           cache: dict[tuple[str, str], list[Any]] | None = None,
           disputed: Callable[[Collection[date]], Collection[tuple[str, date]]] | None = None
           ) -> dict[str, Any]:
    """The brief of an ISO week or a calendar month: the reports that hold its losses
    (`attrition.periods`: a month's are those of its 2nd to the 1st of the next), their sums
    and daily means, the period before, and each series' largest day. A period not over yet
    (or with missing reports) says how many reports it holds, and is set against the period
    before by the mean per report, never by sums of unequal length. `disputed`: given report
    dates, the (category, date) cells among them whose total the sources dispute; a sum
    resting on one (the total of the period's last report or of the report before its
    first) is marked disputed."""
    from attrition import periods
    from attrition.analysis import series, windows

    aggs = aggregates if aggregates is not None else categories.aggregates()
    if week:
        p = periods.of_week(week)
    elif month:
        p = periods.of_month(month)
    else:
        raise ValueError("give week or month")
    before = periods.previous(p)
    facts = []
    # the totals a period's sums rest on: its last report's and the one before its first
    doubt = set(disputed((p.first - timedelta(days=1), *(p.last - timedelta(days=k)
                                                         for k in range(p.reports)))))\
        if disputed else set()
    cache = cache if cache is not None else {}  # category series, shared between calls
    for cat in [*HEADLINE, *[c for c in categories.CURRENT_IDS if c not in HEADLINE],
                *BRIEF_AGGREGATES]:
        s = series.build(cat, rows, corrections, aggregates=aggs, cache=cache)
        cur = windows.of(s, p)
        if not cur.reports:
            continue
        prev = windows.of(s, before)
        if before.last_day < categories.WAR_START:  # no period before the invasion
            from dataclasses import replace

            prev = replace(prev, reports=0, total=0)
        # the largest day, as records count it: not a change resting on a disputed total
        best = records.top(records.set_aside(s, records.resting_on(
            doubt, categories.parts(cat, aggs))), p.first, p.last, 1)
        held = s.between(None, p.last)
        complete = cur.reports == p.reports and (prev.reports == before.reports
                                                 or before.last_day < categories.WAR_START)
        mean = cur.mean or 0.0
        prev_mean = prev.mean if prev.reports else None
        if complete and prev.total:
            pct: int | None = round(100 * (cur.total - prev.total) / prev.total)
        elif not complete and prev_mean:
            pct = round(100 * (mean - prev_mean) / prev_mean)
        else:
            pct = None
        inside = s.between(p.first, p.last)
        ends = (inside[-1].day, p.first - timedelta(days=1))
        facts.append({
            "category": cat, "label": s.label,
            "definition": s.definition if s.is_aggregate else None,
            "change": cur.total, "reports": cur.reports, "days": p.reports,
            "disputed": [e.isoformat() for e in ends if any(
                (c, e) in doubt for c in categories.parts(cat, aggs))],
            "first_report": s.between(p.first, p.last)[0].day.isoformat(),
            "last_report": (s.between(p.first, p.last)[-1].day.isoformat()),
            "mean": round(mean, 1),
            "previous": prev.total if prev.reports else None,
            "previous_reports": prev.reports,
            "previous_mean": round(prev_mean, 1) if prev_mean is not None else None,
            "complete": complete, "change_pct": pct,
            "max_day": best[0].day.isoformat() if best else None,
            "max_value": best[0].change if best else None,
            "total": held[-1].total if held else None,
        })
    if not facts:
        from attrition.errors import NotFoundError

        dates = [r.report_date for rs in rows.values() for r in rs]
        runs = f"; the ledger runs {min(dates)} .. {max(dates)}" if dates else ""
        raise NotFoundError(f"no reports in {p.name} (reports {p.first} to {p.last}{runs})")
    doc = {"period": p.name, "kind": p.kind, "from": p.first.isoformat(),
           "to": p.last.isoformat(), "losses_from": p.first_day.isoformat(),
           "losses_to": p.last_day.isoformat(), "reports_expected": p.reports,
           "previous_period": {"period": before.name, "from": before.first.isoformat(),
                               "to": before.last.isoformat(),
                               "reports_expected": before.reports},
           "lang": lang, "facts": facts, "caveat": CAVEAT if lang == "en" else CAVEAT_UK,
           "publisher": PUBLISHER if lang == "en" else PUBLISHER_UK}
    doc["text"] = (_period_text_en if lang == "en" else _period_text_uk)(doc)
    return doc


def _sum_of(f: dict[str, Any], invasion: bool) -> int | None:
    """A sum's figure for a period: its changes, or, over the invasion's first days, its
    total by the period's last report (the changes leave out the parts first counted
    after the first report: 997 "by 27 February 2022" where the total is 1,317)."""
    n = f["total"] if invasion else f["change"]
    return None if n is None else int(n)


def _mean_pct(f: dict[str, Any]) -> int | None:
    """The change of the mean per report against the period before's, in per cent."""
    if not f["previous_mean"]:
        return None
    mean, before = float(f["mean"]), float(f["previous_mean"])
    return round(100 * (mean - before) / before)


def _period_name_en(kind: str, first_day: date) -> str:
    if kind == "month":
        return f"{_MONTHS_EN[first_day.month - 1]} {first_day.year}"
    return f"the week of {en_date(first_day)}"


def _rate(x: float, uk: bool = False) -> str:
    """A mean per report: one decimal below 10 (2.9 tanks a day), whole above."""
    if x < 10:
        text = f"{x:.1f}"
        return text.replace(".", ",") if uk else text
    return _uk_num(round(x)) if uk else _num(round(x))


def _pct(n: int | None) -> str:
    if n is None:
        return ""
    return f" ({'+' if n > 0 else '−' if n < 0 else '±'}{abs(n)}%)"


def _days_en(kind: str, first_day: date, last_day: date, whole: bool) -> str:
    """The days a figure covers, as a reporter writes them: "in November 2024" for a whole
    month, else "from 11 to 17 November 2024" (the losses of those days)."""
    if kind == "month" and whole:
        return f"in {_MONTHS_EN[first_day.month - 1]} {first_day.year}"
    if first_day == last_day:
        return f"on {en_date(first_day)}"
    if first_day.year != last_day.year:
        return f"from {en_date(first_day)} to {en_date(last_day)}"
    if first_day.month != last_day.month:
        return (f"from {first_day.day} {_MONTHS_EN[first_day.month - 1]} to "
                f"{en_date(last_day)}")
    return f"from {first_day.day} to {en_date(last_day)}"


def _held_days(f: dict[str, Any]) -> tuple[date, date]:
    """The days whose losses a period fact's reports hold (report D covers day D-1)."""
    first = date.fromisoformat(f["first_report"]) - timedelta(days=1)
    last = date.fromisoformat(f["last_report"]) - timedelta(days=1)
    return max(first, categories.WAR_START), max(last, categories.WAR_START)


def _period_text_en(doc: dict[str, Any]) -> str:
    facts = doc["facts"]
    by = {f["category"]: f for f in facts}
    kind = doc["kind"]
    first_day = date.fromisoformat(doc["losses_from"])
    last_day = date.fromisoformat(doc["losses_to"])
    name = _period_name_en(kind, first_day)
    prev = doc["previous_period"]
    prev_first = date.fromisoformat(prev["from"]) - timedelta(days=1)
    prev_last = date.fromisoformat(prev["to"]) - timedelta(days=1)
    the_before = "the month before" if kind == "month" else "the week before"
    lead_fact = by.get("personnel") or facts[0]
    held, expected = lead_fact["reports"], doc["reports_expected"]
    first, last = lead_fact["first_report"], lead_fact["last_report"]
    whole = held >= expected
    a, b = _held_days(lead_fact)
    days = _days_en(kind, a, b, whole)
    lead = [_count_en(c, by[c]["change"], by[c]["label"]) + _DISPUTED_EN * bool(
        by[c].get("disputed")) for c in HEADLINE if c in by]
    paras = []
    if not whole:
        paras.append(f"{name[:1].upper() + name[1:]} is not complete: the ledger holds "
                     f"{held} reports of the {expected} reports that cover it "
                     f"({en_date(first_day)} to {en_date(last_day)}).")
    invasion = a <= categories.WAR_START  # the period holds the first report
    if invasion:  # its sums are the totals since the invasion began: say so
        paras.append(f"Since the full-scale invasion began on {en_date(categories.WAR_START)}, "
                     f"Russian forces had lost {_join(lead)} by {en_date(b)}, according to the "
                     f"{PUBLISHER}.")
    else:
        paras.append(f"Russian forces lost {_join(lead)} {days}, according to the {PUBLISHER}.")
    comps = []
    # a partial period's means are set against the days of the period before, named
    # as days too ("from 1 to 31 July 2026"), so that each figure says its own days
    prev_days = _days_en(kind, max(prev_first, categories.WAR_START), prev_last, whole)
    compared = [by[c] for c in HEADLINE if c in by and by[c]["previous"] is not None]
    by_total = all(f["complete"] for f in compared)  # else every line by its mean
    for f in compared:
        what = _plural_en(f["category"], f["label"])
        if by_total:
            comps.append(f"{_num(f['change'])} {what} {days} against {_num(f['previous'])} "
                         f"{prev_days}{_pct(f['change_pct'])}")
        elif f["previous_mean"] is not None:
            comps.append(f"an average of {_rate(f['mean'])} {what} a day {days} against an "
                         f"average of {_rate(f['previous_mean'])} a day {prev_days}"
                         f"{_pct(f['change_pct'] if not f['complete'] else _mean_pct(f))}")
    if compared and prev_first <= categories.WAR_START:
        # the invasion's first days: a part of a period, its first report a total since
        # the invasion began; no like-for-like comparison exists
        paras.append(f"{the_before[:1].upper() + the_before[1:]} holds only the first days "
                     f"of the full-scale invasion, which began on "
                     f"{en_date(categories.WAR_START)}: the two are not compared.")
    elif comps and by_total:
        paras.append(f"Against {the_before}: " + "; ".join(comps) + ".")
    elif comps:
        prev_held = max(f["previous_reports"] for f in compared)
        why = ("Since the period is not complete, it is set against " + the_before if not whole
               else f"Since the ledger holds {prev_held} of the {prev['reports_expected']} "
                    f"reports of {the_before}, the two are set against each other")
        paras.append(f"{why} by the mean per report: " + "; ".join(comps) + ".")
    v = by.get("vehicles")
    if v and (n := _sum_of(v, invasion)) is not None:
        when = f"had been lost by {en_date(b)}" if invasion else f"were lost {days}"
        paras.append(f"Taken together, {_num(n)} {_AGGREGATE_COUNT_EN['vehicles']}"
                     f"{_DISPUTED_EN * bool(v.get('disputed'))} "
                     f"{when} ({v['label']} taken together: a sum computed here; the "
                     f"General Staff publishes no such total).")
    doubt = [f for f in facts if f.get("disputed") and f["definition"] is None
             and f["category"] in HEADLINE]
    if doubt:
        on = sorted({d for f in doubt for d in f["disputed"]})
        paras.append(f"The sources disagree on the total of "
                     f"{_join([_plural_en(f['category'], f['label']) for f in doubt])} in "
                     f"the report of {_join([en_date(date.fromisoformat(d)) for d in on])}, "
                     f"and nothing settles it: the figure for the period, which rests on it, "
                     f"is disputed.")
    paras.append(f"Source: {PUBLISHER}, daily reports of {en_date(date.fromisoformat(first))} "
                 f"to {en_date(date.fromisoformat(last))}. Each report covers the losses of "
                 f"the day before. {CAVEAT}")
    return "\n\n".join(paras)


_MONTHS_UK_NOM = ("січень лютий березень квітень травень червень липень серпень вересень "
                  "жовтень листопад грудень").split()


def _period_name_uk(kind: str, first_day: date) -> str:
    if kind == "month":
        return f"{_MONTHS_UK_NOM[first_day.month - 1]} {first_day.year} року"
    return f"тиждень з {uk_date(first_day)}"


_MONTHS_UK_IN = ("січні лютому березні квітні травні червні липні серпні вересні жовтні "
                 "листопаді грудні").split()


def _days_uk(kind: str, first_day: date, last_day: date, whole: bool,
             during: bool = False) -> str:
    """As `_days_en`: "за листопад 2024 року" (`during`: "у листопаді 2024 року"),
    "з 11 по 17 листопада 2024 року"."""
    if kind == "month" and whole:
        if during:
            return f"у {_MONTHS_UK_IN[first_day.month - 1]} {first_day.year} року"
        return f"за {_MONTHS_UK_NOM[first_day.month - 1]} {first_day.year} року"
    if first_day == last_day:
        return uk_date(first_day)
    if first_day.year != last_day.year:
        return f"з {uk_date(first_day)} по {uk_date(last_day)}"
    if first_day.month != last_day.month:
        return (f"з {first_day.day} {_MONTHS_UK[first_day.month - 1]} по "
                f"{uk_date(last_day)}")
    return f"з {first_day.day} по {uk_date(last_day)}"


def _period_text_uk(doc: dict[str, Any]) -> str:
    facts = doc["facts"]
    by = {f["category"]: f for f in facts}
    kind = doc["kind"]
    labels = {c.id: c.uk for c in categories.CATEGORIES}
    first_day = date.fromisoformat(doc["losses_from"])
    last_day = date.fromisoformat(doc["losses_to"])
    name = _period_name_uk(kind, first_day)
    prev = doc["previous_period"]
    prev_first = date.fromisoformat(prev["from"]) - timedelta(days=1)
    prev_last = date.fromisoformat(prev["to"]) - timedelta(days=1)
    lead_fact = by.get("personnel") or facts[0]
    held, expected = lead_fact["reports"], doc["reports_expected"]
    first = date.fromisoformat(lead_fact["first_report"])
    last = date.fromisoformat(lead_fact["last_report"])
    whole = held >= expected
    a, b = _held_days(lead_fact)
    days = _days_uk(kind, a, b, whole)
    lines = [f"{labels[c]} – {_uk_num(by[c]['change'])}" + _DISPUTED_UK * bool(
        by[c].get("disputed")) for c in HEADLINE if c in by]
    paras = []
    if not whole:
        paras.append(f"Період ({name}) ще не завершено: у базі {uk_count(held, 'report')} "
                     f"з {uk_count(expected, 'report')} за нього ({uk_date(first_day)} – "
                     f"{uk_date(last_day)}).")
    invasion = a <= categories.WAR_START  # the period holds the first report
    if invasion:
        paras.append(f"За зведеннями Генерального штабу, від початку повномасштабного вторгнення "
                     f"{uk_date(categories.WAR_START)} по {uk_date(b)} Росія втратила: "
                     + "; ".join(lines) + ".")
    else:
        paras.append(f"За зведеннями Генерального штабу, {days} Росія втратила: "
                     + "; ".join(lines) + ".")
    comps = []
    prev_days = _days_uk(kind, max(prev_first, categories.WAR_START), prev_last, whole, True)
    now_days = _days_uk(kind, a, b, whole, True)
    compared = [by[c] for c in HEADLINE if c in by and by[c]["previous"] is not None]
    by_total = all(f["complete"] for f in compared)
    for f in compared:
        c = f["category"]
        if by_total:
            comps.append(f"{labels[c]} – {_uk_num(f['change'])} {now_days} проти "
                         f"{_uk_num(f['previous'])} {prev_days}{_pct(f['change_pct'])}")
        elif f["previous_mean"] is not None:
            comps.append(f"{labels[c]} – у середньому {_rate(f['mean'], uk=True)} на добу "
                         f"{now_days} проти в середньому {_rate(f['previous_mean'], uk=True)} на "
                         f"добу {prev_days}"
                         f"{_pct(f['change_pct'] if not f['complete'] else _mean_pct(f))}")
    # the period compared, named ("з попереднім тижнем"), as the English "the week before"
    before_ins, before_nom = (("попереднім місяцем", "Попередній місяць") if kind == "month"
                              else ("попереднім тижнем", "Попередній тиждень"))
    if compared and prev_first <= categories.WAR_START:
        paras.append(f"{before_nom} охоплює лише перші дні повномасштабного вторгнення, що "
                     f"почалося {uk_date(categories.WAR_START)}, тож їх не порівнюємо.")
    elif comps and by_total:
        paras.append(f"Порівняно з {before_ins}: " + "; ".join(comps) + ".")
    elif comps:
        prev_held = max(f["previous_reports"] for f in compared)
        why = (f"Період ще не завершено, тож порівняння з {before_ins}" if not whole else
               f"У базі {uk_count(prev_held, 'report')} з {prev['reports_expected']} за "
               f"{'попередній місяць' if kind == 'month' else 'попередній тиждень'}, тож "
               f"порівняння")
        paras.append(f"{why} – за середнім на одне зведення: " + "; ".join(comps) + ".")
    v = by.get("vehicles")
    if v and (n := _sum_of(v, invasion)) is not None:
        when = (f"від початку повномасштабного вторгнення по {uk_date(b)}" if invasion
                else days)
        paras.append(f"Разом {when} Росія втратила: {_AGGREGATE_COUNT_UK['vehicles']} – "
                     f"{_uk_num(n)} ("
                     + "спірні дані; " * bool(v.get("disputed"))
                     + f"{_lower_first(uk_label('vehicles', 'nom'))}: сума, обчислена тут; "
                     f"Генштаб такого підсумку не публікує).")
    doubt = [f for f in facts if f.get("disputed") and f["definition"] is None
             and f["category"] in HEADLINE]
    if doubt:
        on = sorted({d for f in doubt for d in f["disputed"]})
        paras.append("Джерела розходяться без більшості щодо підсумку у зведенні "
                     + ", ".join(uk_date(date.fromisoformat(d)) for d in on) + ": "
                     + ", ".join(_lower_first(uk_label(f["category"], "nom")) for f in doubt)
                     + "; тож дані за період, що на ньому ґрунтуються, спірні.")
    paras.append(f"Джерело: {PUBLISHER_UK}, щоденні зведення від {uk_date(first)} до "
                 f"{uk_date(last)}; кожне зведення подає втрати за попередню добу. "
                 f"Дані щодо особового складу приблизні. {CAVEAT_UK}")
    return "\n\n".join(paras)


_MD = {
    "en": {"brief": "Brief", "report": "report of {date} ({when})",
           "first": "the total since the invasion began", "covers": "losses of {covers}",
           "period": "{period} (reports {first} to {last})",
           "day_head": "| figure | change | total | rank in 30 days | last higher |",
           "period_head": "| figure | sum | reports | per report | period before |",
           "sum": " (sum)", "war": "whole war", "disputed": "disputed",
           "correction": "correction", "two_day": "two-day", "stale": "stale",
           "creation": "first report"},
    "uk": {"brief": "Довідка", "report": "зведення від {date} ({when})",
           "first": "підсумок від початку вторгнення", "covers": "втрати за {covers}",
           "period": "{period} (зведення з {first} по {last})",
           "day_head": "| показник | зміна | загалом | місце за 30 днів | останнє більше |",
           "period_head": "| показник | сума | зведень | на зведення | попередній період |",
           "sum": " (сума)", "war": "уся війна", "disputed": "спірні дані",
           "correction": "виправлення", "two_day": "дві доби", "stale": "повтор підсумку",
           "creation": "перше зведення"},
}
"""The Markdown brief's own words (heading, table), in the brief's language."""


def markdown(doc: dict[str, Any]) -> str:
    """The brief for editors: the text, then the facts as a table (labels, not ids), all in
    the brief's language (numbers grouped as its text groups them)."""
    uk = doc.get("lang") == "uk"
    w = _MD["uk" if uk else "en"]

    def n(v: float | None, decimals: int = 0) -> str:
        return "" if v is None else words.number(v, "uk" if uk else "en", decimals)

    if "date" in doc:
        when = w["first"] if doc.get("first_report") else w["covers"].format(
            covers=doc["covers"])
        head = f"## {w['brief']}: " + w["report"].format(date=doc["date"], when=when)
    else:
        head = f"## {w['brief']}: " + w["period"].format(period=doc["period"],
                                                          first=doc["from"], last=doc["to"])
    lines = [head, "", doc["text"], ""]
    lines += [w["day_head"] if "date" in doc else w["period_head"],
              "|---|---:|---:|---:|---|" if "date" in doc else "|---|---:|---:|---:|---:|"]
    for f in doc["facts"]:
        label = uk_label(f["category"], "nom") if uk else _upper_first(f["label"])
        if f.get("definition"):
            label += w["sum"]
        ch = n(f.get("change"))
        if f.get("change_disputed") or f.get("disputed"):
            ch += f" ({w['disputed']})"
        if "date" not in doc:
            lines.append(f"| {label} | {ch} | {f['reports']} | {n(f['mean'], 1)} | "
                         f"{n(f.get('previous'))} |")
            continue
        hs = f.get("last_higher")
        since = (f"{hs} ({n(f['last_higher_value'])})" if hs else
                 (w["war"] if f.get("record") == "war" else ""))
        if f.get("excluded"):  # correction, two-day, stale: no rank, no record
            since = w.get(f["excluded"], f["excluded"])
        # a day with no change (or one that does not count) ranks nowhere
        rank = f.get("rank_30d") if (f.get("change") or 0) > 0 and not f.get("excluded") \
            else None
        lines.append(f"| {label} | {ch} | {n(f.get('total'))} | {rank or ''} | {since} |")
    return "\n".join(lines) + "\n"
