"""Charts of a category or aggregate: daily bars, the 7-day mean, the chosen day highlighted,
the definition in the title and the source beneath. SVG or PNG by the file's extension.

Deterministic: the same data gives the same bytes (fixed SVG ids, no dates in metadata).
matplotlib is imported only here, and only when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import Any

from attrition import categories, words
from attrition.analysis import windows
from attrition.analysis.series import Series
from attrition.errors import AttritionError

WHOSE = words.CHART["en"]["whose"]
"""Every chart's title starts by saying whose figures these are."""
SOURCE_LINE = words.CHART["en"]["source"]
FOOTER_PT = 9.0
"""The source line's size: readable at the published size (900×450 px)."""
BAR = "#7a8ca3"
HIGHLIGHT = "#c0392b"
MEAN = "#1f2d3d"


class ChartError(AttritionError):
    pass


def _style(ax: Any, lang: str = "en") -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(_dates(mdates.AutoDateLocator(), lang))
    # thousands separators, never a "1e6" offset above the axis
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: words.number(v, lang)))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)


def _dates(locator: Any, lang: str) -> Any:
    """matplotlib's concise date labels, with the month names in `lang` (its own are
    English)."""
    import matplotlib.dates as mdates

    months = words.MONTHS_SHORT.get(lang)

    class Concise(mdates.ConciseDateFormatter):
        def format_ticks(self, values: Any) -> list[str]:
            return [_months(t) for t in super().format_ticks(values)]

        def get_offset(self) -> str:
            return _months(str(super().get_offset()))

    def _months(text: str) -> str:
        if months is None:
            return text
        for i, en in enumerate(("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()):
            text = text.replace(en, months[i])
        return text

    return Concise(locator)


def label(name: str) -> str:
    """A category's or aggregate's words, not its id."""
    cat = categories.BY_ID.get(name)
    if cat is not None:
        return cat.en
    agg = {a.id: a for a in categories.BUILTIN_AGGREGATES}.get(name)
    return agg.en if agg is not None else name.replace("_", " ")


def _words(components: tuple[str, ...] | list[str], lang: str = "en") -> str:
    return " + ".join(label(c) if lang == "en" else words.heading(c, lang)
                      for c in components)


def _footer(fig: Any, *texts: str) -> float:
    """The note (if any) and the source line at FOOTER_PT, each wrapped to the figure's
    width, the last at the bottom; returns the share of the figure's height they take, for
    tight_layout to leave free."""
    import textwrap

    width_px = fig.get_figwidth() * fig.dpi
    # DejaVu Sans averages ~0.55 em per Latin character, ~0.6 per Cyrillic; 1 pt = dpi/72 px
    em = 0.6 if any("\u0400" <= ch <= "\u04ff" for t in texts for ch in t) else 0.55
    per_line = max(40, int(width_px / (FOOTER_PT * fig.dpi / 72 * em)) - 2)
    line_px = FOOTER_PT * 1.25 * fig.dpi / 72
    height = fig.get_figheight() * fig.dpi
    y = 0.01
    for text in reversed([t for t in texts if t]):
        lines = textwrap.wrap(text, per_line)
        fig.text(0.01, y, "\n".join(lines), fontsize=FOOTER_PT, color="#555555", va="bottom")
        y += (len(lines) * line_px + 4) / height
    return float(y + 4 / height)


def _check_out(out: Path) -> str:
    """The format of `out`; refused when its folder does not exist (a chart never creates
    folders: a mistyped path should not leave a new tree behind)."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise ChartError(f"{out}: the chart file must end in .svg or .png")
    if not out.parent.is_dir():
        raise ChartError(f"{out}: the folder {out.parent} does not exist")
    return fmt


def _save(fig: Any, out: Path, fmt: str) -> None:
    """Deterministic files: no dates or tool versions in the metadata."""
    if fmt == "svg":
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    else:
        fig.savefig(out, format="png", metadata={"Software": None})


def draw(s: Series, out: Path, *, start: date | None = None, end: date | None = None,
         highlight: date | None = None, cumulative: bool = False, lang: str = "en",
         disputed: Collection[date] = ()) -> Path:
    """Write the chart of `s` to `out` (.svg or .png): 900×450 px at 100 dpi, its texts in
    `lang` ("en" or "uk", `attrition.words`).

    Days that no record counts are marked, never drawn as a day's loss: a correction (a
    reclassification or a fall of the total: a cross at 0), a repeated total (a ring at 0)
    and the two-day figure after it (a hatched, hollow bar); a note under the plot names
    them. The highlighted day is a record's red bar only when it counts.

    `disputed`: the report dates of totals the sources dispute with nothing to settle them
    (`service.disputed_totals`). A daily change resting on one (that day's total or the day
    before's) is drawn with a hollow diamond on its bar, as a total on the cumulative line
    is; the legend and a note name them."""
    fmt = _check_out(out)
    pts = s.between(start, end)
    if not pts:
        raise ChartError(f"no reports of {s.name} between {start} and {end}")
    doubtful = _doubtful(s, pts, set(disputed), cumulative)
    w = words.CHART[lang if lang in words.CHART else "en"]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc: dict[str, Any] = {"svg.hashsalt": "attrition", "svg.fonttype": "none",
                          "font.family": "DejaVu Sans", "font.size": 9}
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
        try:
            days = [p.day for p in pts]
            top = 0.0
            marked: dict[str, list[Any]] = {"correction": [], "two_day": [], "stale": []}
            if cumulative:
                ax.plot(days, [p.total for p in pts], color=MEAN, linewidth=1.4,
                        label=w["cumulative"])
                top = max((p.total or 0 for p in pts), default=0)
                ylabel = w["cumulative"]
            else:
                counted = [p for p in pts if p.excluded is None]
                ax.bar([p.day for p in counted], [p.change or 0 for p in counted],
                       width=0.9 if len(pts) < 120 else 1.0,
                       # a disputed figure is no record: never the record's red
                       color=[HIGHLIGHT if p.day == highlight and p not in doubtful else BAR
                              for p in counted],
                       label=w["daily"])
                for p in pts:
                    if p.excluded in marked:
                        marked[p.excluded].append(p)
                if marked["two_day"]:  # the figure is shown, hollow: it holds two days
                    ax.bar([p.day for p in marked["two_day"]],
                           [p.change or 0 for p in marked["two_day"]],
                           width=0.9 if len(pts) < 120 else 1.0, facecolor="none",
                           edgecolor=TWO_DAY, hatch="////", linewidth=0.8,
                           label=w["two_day"])
                mean = dict(windows.rolling_mean(s, 7))
                ax.plot(days, [mean.get(d) for d in days], color=MEAN, linewidth=1.2,
                        label=w["mean7"])
                top = max([0, *(p.change or 0 for p in counted), *(
                    p.change or 0 for p in marked["two_day"]),
                    *(v for d in days if (v := mean.get(d)) is not None)])
                if marked["stale"]:
                    ax.plot([p.day for p in marked["stale"]], [0] * len(marked["stale"]),
                            linestyle="none", marker="o", markerfacecolor="none",
                            color=TWO_DAY, markersize=6, clip_on=False, label=w["stale"])
                if marked["correction"]:  # drawn as 0 and marked
                    ax.plot([p.day for p in marked["correction"]],
                            [0] * len(marked["correction"]), linestyle="none", marker="x",
                            color=CORRECTION, markersize=7, clip_on=False,
                            label=w["correction"])
                ylabel = w["daily"]
            if doubtful:  # on the bar (or the line): a 0 is marked too, on the axis
                ax.plot([p.day for p in doubtful],
                        [(p.total if cumulative else p.change) or 0 for p in doubtful],
                        linestyle="none", marker="D", markerfacecolor="none",
                        markeredgewidth=1.4, color=DISPUTED, markersize=7, clip_on=False,
                        label=w["disputed"])
            _mark_breaks(ax, s, pts, w["break"])
            # headroom above the tallest bar: the highlight's label sits there, over no bar
            ax.set_ylim(bottom=0, top=(top or 1) * 1.16)
            if highlight is not None:
                _annotate(ax, s, highlight, start, end, cumulative, top, w, lang,
                          any(p.day == highlight for p in doubtful))
            what = s.label if s.is_aggregate and lang == "en" else \
                words.heading(s.name, lang) if lang == "uk" else label(s.name)
            sub = ""
            parts = s.definition.split(" + ")
            if s.is_aggregate and not all(label(c) in s.label for c in parts):
                sub = f"= {_words(parts, lang)} · "
            older = sorted({p.components for p in pts if p.components != (s.name,)})
            if not s.is_aggregate and older:  # the days it carries on its predecessors
                merged = categories.BY_ID[s.name].since
                sub += (w["before"].format(since=merged, words=_words(older[0], lang))
                        if len(older) == 1 else w["earlier"].format(
                            words="; ".join(_words(c, lang) for c in older))) + " · "
            # the legend sits between the title and the plot: one row of up to 4, or two
            rows = 1 if len(ax.get_legend_handles_labels()[1]) <= 4 else 2
            ax.set_title(f"{w['whose']}: {what}\n{sub}"
                         + w["reports"].format(first=pts[0].day, last=pts[-1].day),
                         loc="left", fontsize=10, pad=22 if rows == 1 else 34)
            ax.set_ylabel(ylabel)
            ax.set_xlabel(w["xlabel"], fontsize=9, color="#555555")
            _style(ax, lang)
            # above the plot, under the title: inside it would sit on bars or on the label
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8,
                      ncols=4, borderaxespad=0.2, handlelength=1.5, columnspacing=1.2)
            bottom = _footer(fig, _note(marked, w, lang), _disputed_note(
                doubtful, cumulative, w, lang), w["source"])
            fig.tight_layout(rect=(0, bottom, 1, 1))
            _save(fig, out, fmt)
        finally:
            plt.close(fig)
    return out


NOTE_DAYS = 4
"""The marked days a chart's note names by kind; more are counted ("and 3 more")."""


def _note(marked: dict[str, list[Any]], w: dict[str, str], lang: str) -> str:
    """The note under a chart naming the days it does not count, with their figures."""
    items = []
    for kind in ("two_day", "correction", "stale"):
        pts = marked[kind]
        if not pts:
            continue
        sign = kind == "correction"
        shown = [p.day.isoformat() if kind == "stale" else
                 f"{p.day.isoformat()} ({words.number(p.change or 0, lang, sign=sign)})"
                 for p in pts[-NOTE_DAYS:]]
        if len(pts) > NOTE_DAYS:
            shown.append(w["more"].format(n=len(pts) - NOTE_DAYS))
        items.append(w[f"note_{kind}"].format(days=", ".join(shown)))
    return w["note"].format(items="; ".join(items)) if items else ""


def _doubtful(s: Series, pts: list[Any], disputed: set[date], cumulative: bool
              ) -> list[Any]:
    """The points of `pts` that rest on a disputed total: a total on a disputed day, a
    change whose total or the report before's is disputed."""
    if not disputed:
        return []
    if cumulative:
        return [p for p in pts if p.day in disputed]
    out = []
    for p in pts:
        i = s.index(p.day)
        before = s.points[i - 1].day if i else None
        if p.change is not None and (p.day in disputed or before in disputed):
            out.append(p)
    return out


def _disputed_note(pts: list[Any], cumulative: bool, w: dict[str, str], lang: str) -> str:
    if not pts:
        return ""
    shown = [f"{p.day.isoformat()} "
             f"({words.number((p.total if cumulative else p.change) or 0, lang)})"
             for p in pts[-NOTE_DAYS:]]
    if len(pts) > NOTE_DAYS:
        shown.append(w["more"].format(n=len(pts) - NOTE_DAYS))
    return w["note_disputed"].format(days=", ".join(shown))


def _annotate(ax: Any, s: Series, day: date, start: date | None, end: date | None,
              cumulative: bool, top: float, w: dict[str, str], lang: str,
              disputed: bool = False) -> None:
    """The highlighted day's label above the plot: its figure in red when it counts, what
    it is (a correction, a two-day figure) in the mark's colour when it does not."""
    hp = s.at(day)
    if hp is None or (start is not None and hp.day < start) or (end is not None and
                                                                hp.day > end):
        return
    v = hp.total if cumulative else hp.change
    color, text = HIGHLIGHT, f"{day.isoformat()}: {words.number(v, lang)}" if v is not None \
        else ""
    if not cumulative and hp.excluded in ("correction", "two_day", "stale"):
        color = CORRECTION if hp.excluded == "correction" else TWO_DAY
        text = w[f"at_{hp.excluded}"].format(day=day.isoformat(),
                                             value=words.number(v or 0, lang))
        v = v if hp.excluded == "two_day" else 0
    elif disputed:  # drawn, but no settled figure: said beside it, in the mark's colour
        color = DISPUTED
        text = w["at_disputed"].format(day=day.isoformat(), value=words.number(v or 0, lang))
    # centred over its bar, but kept inside the plot near either end
    pos = (day - s.points[0].day if start is None else day - start).days / max(
        1, ((end or s.points[-1].day) - (start or s.points[0].day)).days)
    ha = "right" if pos > 0.75 else "left" if pos < 0.25 else "center"
    ax.annotate(text, xy=(day, v or 0), xytext=(day, (top or 1) * 1.1), textcoords="data",
                ha=ha, va="bottom", color=color, fontsize=9, fontweight="bold",
                arrowprops={"arrowstyle": "-", "color": color, "linewidth": 0.8, "shrinkA": 1,
                            "shrinkB": 2,
                            "relpos": ({"right": 1.0, "left": 0.0}.get(ha, 0.5), 0.0)})


CONFIRMED = "#2e7d32"
CORRECTION = "#b7791f"
TWO_DAY = "#00838f"
BREAK = "#8e24aa"
DISPUTED = "#d81b60"


def _mark_breaks(ax: Any, s: Series, pts: Any, text: str) -> None:
    """A dashed line where the series' level jumps (a change of definition or of counting,
    `attrition anomalies`): records across it are not comparable."""
    from attrition.analysis import anomalies

    lo, hi = pts[0].day, pts[-1].day
    shown = False
    for b in anomalies.breaks(s):
        if lo <= b.day <= hi:
            ax.axvline(b.day, color=BREAK, linestyle="--", linewidth=1,
                       label=None if shown else text)
            shown = True


def draw_compare(panels: list[dict[str, Any]], out: Path, *, title: str, source_line: str,
                 lang: str = "en") -> Path:
    """Claimed against confirmed: one panel per line, both cumulative series on the same
    dates. `panels`: {"name", "claimed": [(day, n)], "confirmed": [(day, n)], "note"}."""
    fmt = _check_out(out)
    w = words.CHART[lang if lang in words.CHART else "en"]
    panels = [p for p in panels if p["confirmed"]]
    if not panels:
        raise ChartError("no confirmed counts to chart for this period")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = 1 if len(panels) == 1 else 2
    nrows = (len(panels) + cols - 1) // cols
    rc: dict[str, Any] = {"svg.hashsalt": "attrition", "svg.fonttype": "none",
                          "font.family": "DejaVu Sans", "font.size": 8}
    with plt.rc_context(rc):
        fig, axes = plt.subplots(nrows, cols, figsize=(9 if cols == 2 else 8, 2.6 * nrows + 0.8),
                                 dpi=100, squeeze=False)
        try:
            for ax, p in zip(axes.flat, panels, strict=False):
                cd, cv = zip(*p["claimed"], strict=True) if p["claimed"] else ((), ())
                fd, fv = zip(*p["confirmed"], strict=True)
                ax.plot(cd, cv, color=MEAN, linewidth=1.3, label=w["claimed"])
                ax.plot(fd, fv, color=CONFIRMED, linewidth=1.3, marker="o", markersize=1.5,
                        label=w["confirmed"])
                ax.set_ylim(bottom=0)  # both from zero: the gap between them is the story
                # where the confirmed data stops: the line ends there, not the losses
                ax.annotate(w["oryx_ends"].format(day=fd[-1]), xy=(fd[-1], fv[-1]),
                            xytext=(-4, -12), textcoords="offset points", ha="right",
                            fontsize=8, color=CONFIRMED)
                name = label(p["name"]) if lang == "en" else words.heading(p["name"], lang)
                ax.set_title(name + (f" · {p['note']}" if p.get("note") else ""),
                             loc="left", fontsize=9)
                _style(ax, lang)
            for ax in list(axes.flat)[len(panels):]:
                ax.set_visible(False)
            axes.flat[0].legend(loc="upper left", frameon=False, fontsize=7)
            fig.suptitle(title, x=0.01, ha="left", fontsize=10)
            bottom = _footer(fig, source_line)
            fig.tight_layout(rect=(0, bottom, 1, 0.97))
            _save(fig, out, fmt)
        finally:
            plt.close(fig)
    return out
