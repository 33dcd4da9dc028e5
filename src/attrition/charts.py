"""Charts of a category or aggregate: daily bars, the 7-day mean, the chosen day highlighted,
the definition in the title and the source beneath. SVG or PNG by the file's extension.

Deterministic: the same data gives the same bytes (fixed SVG ids, no dates in metadata).
matplotlib is imported only here, and only when a chart is drawn.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from attrition import categories
from attrition.analysis import windows
from attrition.analysis.series import Series
from attrition.errors import AttritionError
from attrition.report import CAVEAT

WHOSE = "Russian losses claimed by Ukraine's General Staff"
"""Every chart's title starts by saying whose figures these are."""
SOURCE_LINE = ("Source: General Staff of the Armed Forces of Ukraine, daily reports; ledger "
               "resolved by attrition. " + CAVEAT)
FOOTER_PT = 9.0
"""The source line's size: readable at the published size (900×450 px)."""
BAR = "#7a8ca3"
HIGHLIGHT = "#c0392b"
MEAN = "#1f2d3d"


class ChartError(AttritionError):
    pass


def _style(ax: Any) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    # thousands separators, never a "1e6" offset above the axis
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)


def label(name: str) -> str:
    """A category's or aggregate's words, not its id."""
    cat = categories.BY_ID.get(name)
    if cat is not None:
        return cat.en
    agg = {a.id: a for a in categories.BUILTIN_AGGREGATES}.get(name)
    return agg.en if agg is not None else name.replace("_", " ")


def _words(components: tuple[str, ...] | list[str]) -> str:
    return " + ".join(label(c) for c in components)


def _footer(fig: Any, text: str) -> float:
    """The source line at FOOTER_PT, wrapped to the figure's width; returns the share of the
    figure's height it takes, for tight_layout to leave free."""
    import textwrap

    width_px = fig.get_figwidth() * fig.dpi
    # DejaVu Sans averages ~0.55 em per character; 1 pt = dpi/72 px
    per_line = max(40, int(width_px / (FOOTER_PT * fig.dpi / 72 * 0.55)) - 2)
    lines = textwrap.wrap(text, per_line)
    fig.text(0.01, 0.01, "\n".join(lines), fontsize=FOOTER_PT, color="#555555", va="bottom")
    line_px = FOOTER_PT * 1.25 * fig.dpi / 72
    return float((len(lines) * line_px + 8) / (fig.get_figheight() * fig.dpi))


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
         highlight: date | None = None, cumulative: bool = False) -> Path:
    """Write the chart of `s` to `out` (.svg or .png): 900×450 px at 100 dpi."""
    fmt = _check_out(out)
    pts = s.between(start, end)
    if not pts:
        raise ChartError(f"no reports of {s.name} between {start} and {end}")
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
            if cumulative:
                ax.plot(days, [p.total for p in pts], color=MEAN, linewidth=1.4,
                        label="cumulative total")
                top = max((p.total or 0 for p in pts), default=0)
                ylabel = "cumulative total"
            else:
                vals = [p.change if p.change is not None and p.excluded is None else 0
                        for p in pts]
                colors = [HIGHLIGHT if p.day == highlight else BAR for p in pts]
                ax.bar(days, vals, width=0.9 if len(pts) < 120 else 1.0, color=colors,
                       label="daily change")
                mean = dict(windows.rolling_mean(s, 7))
                ax.plot(days, [mean.get(d) for d in days], color=MEAN, linewidth=1.2,
                        label="7-day mean")
                top = max([0, *vals, *(v for d in days if (v := mean.get(d)) is not None)])
                fixed = [p.day for p in pts if p.excluded == "correction"]
                if fixed:  # a fall of the total: a correction, drawn as 0 and marked
                    ax.plot(fixed, [0] * len(fixed), linestyle="none", marker="x",
                            color=CORRECTION, markersize=7, clip_on=False,
                            label="correction (not counted)")
                ylabel = "daily change"
            _mark_breaks(ax, s, pts)
            # headroom above the tallest bar: the highlight's label sits there, over no bar
            ax.set_ylim(bottom=0, top=(top or 1) * 1.16)
            if highlight is not None:
                hp = s.at(highlight)
                if hp is not None and (start is None or hp.day >= start) and (
                        end is None or hp.day <= end):
                    v = hp.total if cumulative else hp.change
                    ax.annotate(f"{highlight.isoformat()}: {v:,}" if v is not None else "",
                                xy=(highlight, v or 0), xytext=(highlight, (top or 1) * 1.1),
                                textcoords="data", ha="center", va="bottom", color=HIGHLIGHT,
                                fontsize=9, fontweight="bold",
                                arrowprops={"arrowstyle": "-", "color": HIGHLIGHT,
                                            "linewidth": 0.8, "shrinkA": 1, "shrinkB": 2})
            what = s.label if s.is_aggregate else label(s.name)
            sub = ""
            if s.is_aggregate and not all(label(c) in what for c in s.definition.split(" + ")):
                sub = f"= {_words(s.definition.split(' + '))} · "
            older = sorted({p.components for p in pts if p.components != (s.name,)})
            if not s.is_aggregate and older:  # the days it carries on its predecessors
                merged = categories.BY_ID[s.name].since
                sub += (f"before {merged}: {_words(older[0])} · " if len(older) == 1
                        else f"earlier: {'; '.join(_words(c) for c in older)} · ")
            ax.set_title(f"{WHOSE}: {what}\n{sub}reports {pts[0].day} to {pts[-1].day}",
                         loc="left", fontsize=10, pad=22)
            ax.set_ylabel(ylabel)
            ax.set_xlabel("report date (each covers the losses of the day before)",
                          fontsize=9, color="#555555")
            _style(ax)
            # above the plot, under the title: inside it would sit on bars or on the label
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8,
                      ncols=4, borderaxespad=0.2, handlelength=1.5, columnspacing=1.2)
            bottom = _footer(fig, SOURCE_LINE)
            fig.tight_layout(rect=(0, bottom, 1, 1))
            _save(fig, out, fmt)
        finally:
            plt.close(fig)
    return out


CONFIRMED = "#2e7d32"
CORRECTION = "#b7791f"
BREAK = "#8e24aa"


def _mark_breaks(ax: Any, s: Series, pts: Any) -> None:
    """A dashed line where the series' level jumps (a change of definition or of counting,
    `attrition anomalies`): records across it are not comparable."""
    from attrition.analysis import anomalies

    lo, hi = pts[0].day, pts[-1].day
    shown = False
    for b in anomalies.breaks(s):
        if lo <= b.day <= hi:
            ax.axvline(b.day, color=BREAK, linestyle="--", linewidth=1,
                       label=None if shown else "level break (counting changed)")
            shown = True


def draw_compare(panels: list[dict[str, Any]], out: Path, *, title: str, source_line: str
                 ) -> Path:
    """Claimed against confirmed: one panel per line, both cumulative series on the same
    dates. `panels`: {"name", "claimed": [(day, n)], "confirmed": [(day, n)], "note"}."""
    fmt = _check_out(out)
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
                ax.plot(cd, cv, color=MEAN, linewidth=1.3, label="claimed (General Staff)")
                ax.plot(fd, fv, color=CONFIRMED, linewidth=1.3, marker="o", markersize=1.5,
                        label="visually confirmed (Oryx)")
                ax.set_ylim(bottom=0)  # both from zero: the gap between them is the story
                # where the confirmed data stops: the line ends there, not the losses
                ax.annotate(f"Oryx data ends {fd[-1]}", xy=(fd[-1], fv[-1]),
                            xytext=(-4, -12), textcoords="offset points", ha="right",
                            fontsize=8, color=CONFIRMED)
                ax.set_title(label(p["name"]) + (f" · {p['note']}" if p.get("note") else ""),
                             loc="left", fontsize=9)
                _style(ax)
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
