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

SOURCE_LINE = ("Source: General Staff of the Armed Forces of Ukraine, daily reports; ledger "
               "resolved by attrition. " + CAVEAT)
BAR = "#7a8ca3"
HIGHLIGHT = "#c0392b"
MEAN = "#1f2d3d"


class ChartError(AttritionError):
    pass


def _style(ax: Any) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)


def _save(fig: Any, out: Path, fmt: str) -> None:
    """Deterministic files: no dates or tool versions in the metadata."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "svg":
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    else:
        fig.savefig(out, format="png", metadata={"Software": None})


def draw(s: Series, out: Path, *, start: date | None = None, end: date | None = None,
         highlight: date | None = None, cumulative: bool = False) -> Path:
    """Write the chart of `s` to `out` (.svg or .png)."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise ChartError(f"{out}: the chart file must end in .svg or .png")
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
            if cumulative:
                ax.plot(days, [p.total for p in pts], color=MEAN, linewidth=1.4,
                        label="cumulative total")
                ylabel = "cumulative total"
            else:
                vals = [p.change if p.change is not None and p.excluded is None else 0
                        for p in pts]
                colors = [HIGHLIGHT if p.day == highlight else BAR for p in pts]
                ax.bar(days, vals, width=0.9 if len(pts) < 120 else 1.0, color=colors,
                       label="daily change (difference of totals)")
                mean = dict(windows.rolling_mean(s, 7))
                ax.plot(days, [mean.get(d) for d in days], color=MEAN, linewidth=1.2,
                        label="7-day mean")
                ylabel = "daily change"
            if highlight is not None:
                hp = s.at(highlight)
                if hp is not None and (start is None or hp.day >= start) and (
                        end is None or hp.day <= end):
                    v = hp.total if cumulative else hp.change
                    ax.annotate(f"{highlight.isoformat()}: {v:,}" if v is not None else "",
                                xy=(highlight, v or 0), xytext=(0, 12),
                                textcoords="offset points", ha="center", color=HIGHLIGHT,
                                fontsize=9, fontweight="bold")
            title = s.label if not s.is_aggregate else f"{s.name}: {s.label}"
            sub = f"= {s.definition}" if s.is_aggregate else f"category: {s.name}"
            older = sorted({p.components for p in pts if p.components != (s.name,)})
            if not s.is_aggregate and older:  # the days it carries on its predecessors
                merged = categories.BY_ID[s.name].since
                sub += (f" (before {merged}: {' + '.join(older[0])})" if len(older) == 1
                        else f" (earlier: {'; '.join(' + '.join(c) for c in older)})")
            ax.set_title(f"{title}\n{sub} · reports {pts[0].day} to {pts[-1].day}",
                         loc="left", fontsize=10)
            ax.set_ylabel(ylabel)
            ax.set_xlabel("report date (each covers the losses of the day before)",
                          fontsize=8, color="#555555")
            _style(ax)
            ax.legend(loc="upper left", frameon=False, fontsize=8)
            fig.text(0.01, 0.01, SOURCE_LINE, fontsize=6.5, color="#555555", wrap=True)
            fig.tight_layout(rect=(0, 0.05, 1, 1))
            _save(fig, out, fmt)
        finally:
            plt.close(fig)
    return out


CONFIRMED = "#2e7d32"


def draw_compare(panels: list[dict[str, Any]], out: Path, *, title: str, source_line: str
                 ) -> Path:
    """Claimed against confirmed: one panel per line, both cumulative series on the same
    dates. `panels`: {"name", "claimed": [(day, n)], "confirmed": [(day, n)], "note"}."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise ChartError(f"{out}: the chart file must end in .svg or .png")
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
                ax.set_title(p["name"] + (f" · {p['note']}" if p.get("note") else ""),
                             loc="left", fontsize=8.5)
                _style(ax)
            for ax in list(axes.flat)[len(panels):]:
                ax.set_visible(False)
            axes.flat[0].legend(loc="upper left", frameon=False, fontsize=7)
            fig.suptitle(title, x=0.01, ha="left", fontsize=10)
            fig.text(0.01, 0.005, source_line, fontsize=6, color="#555555", wrap=True)
            fig.tight_layout(rect=(0, 0.04, 1, 0.97))
            _save(fig, out, fmt)
        finally:
            plt.close(fig)
    return out
