"""Charts: deterministic bytes, the definition and the source in the figure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from attrition import charts
from attrition.analysis import series
from attrition.store.read import Reader


@pytest.fixture(scope="module")
def vehicles(loaded_db: str) -> series.Series:
    with Reader(loaded_db) as r:
        return series.build("vehicles", r.by_category(), r.corrections())


def test_svg_is_deterministic_and_sourced(vehicles: series.Series, tmp_path: Path) -> None:
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    for out in (a, b):
        charts.draw(vehicles, out, start=date(2024, 9, 1), end=date(2024, 11, 20),
                    highlight=date(2024, 11, 14))
    assert a.read_bytes() == b.read_bytes()
    svg = a.read_text()
    assert "tanks, armoured fighting vehicles and vehicles and fuel tanks" in svg
    assert "General Staff" in svg and "not independently verified" in svg
    assert "2024-11-14: 194" in svg
    assert svg.count(f'fill: {charts.HIGHLIGHT}') >= 1  # the chosen day's bar


def test_png(vehicles: series.Series, tmp_path: Path) -> None:
    out = charts.draw(vehicles, tmp_path / "c.png", start=date(2024, 9, 1),
                      end=date(2024, 11, 20), cumulative=True)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_bad_extension(vehicles: series.Series, tmp_path: Path) -> None:
    with pytest.raises(charts.ChartError, match=r"svg or \.png"):
        charts.draw(vehicles, tmp_path / "c.jpg")


def _texts(svg: str) -> list[str]:
    import re
    from html import unescape

    return [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_title_says_whose_figures_in_words_not_ids(vehicles: series.Series,
                                                   tmp_path: Path) -> None:
    out = charts.draw(vehicles, tmp_path / "v.svg", start=date(2024, 9, 1),
                      end=date(2024, 11, 20))
    texts = _texts(out.read_text())
    assert any(t.startswith("Russian losses claimed by Ukraine's General Staff: tanks, "
                            "armoured fighting vehicles") for t in texts)
    assert not any("vehicles_fuel_tanks" in t or t == "afv" for t in texts)


def test_axis_has_thousands_separators_and_no_offset(loaded_db: str, tmp_path: Path) -> None:
    with Reader(loaded_db) as r:
        personnel = series.build("personnel", r.by_category(), r.corrections())
    out = charts.draw(personnel, tmp_path / "p.svg", cumulative=True)
    texts = _texts(out.read_text())
    assert "1,000,000" in texts  # the cumulative personnel axis passes a million
    assert not any("1e6" in t or "e+06" in t for t in texts)


def _bbox_overlap(a: tuple[float, float, float, float],
                  b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("name", "day"), [("vehicles", date(2024, 11, 14)),
                                           ("uav", date(2026, 1, 20)),
                                           ("personnel", date(2023, 12, 27))])
def test_highlight_label_never_overlaps_a_bar(loaded_db: str, tmp_path: Path, name: str,
                                              day: date, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    """The label's box in the drawn figure is above every bar, wherever the day falls."""
    import matplotlib.pyplot as plt

    seen: dict[str, object] = {}
    real_close = plt.close

    def keep(fig: object) -> None:
        seen["fig"] = fig

    monkeypatch.setattr(plt, "close", keep)
    with Reader(loaded_db) as r:
        s = series.build(name, r.by_category(), r.corrections())
    from datetime import timedelta

    charts.draw(s, tmp_path / "h.png", start=day - timedelta(days=90),
                end=day + timedelta(days=10), highlight=day)
    fig: object = seen["fig"]
    try:
        fig.canvas.draw()  # type: ignore[attr-defined]
        ax = fig.axes[0]  # type: ignore[attr-defined]
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        label = next(t for t in ax.texts if t.get_text().startswith(day.isoformat()))
        from matplotlib.text import Text

        box = Text.get_window_extent(label, renderer).extents  # the words, not the arrow
        bars = [p.get_window_extent(renderer).extents for p in ax.patches]
        hits = [b for b in bars if _bbox_overlap(tuple(box), tuple(b))]
        assert bars and not hits, (box, hits)
    finally:
        real_close(fig)  # type: ignore[arg-type]


def test_footer_is_readable_at_the_published_size(vehicles: series.Series,
                                                  tmp_path: Path) -> None:
    out = charts.draw(vehicles, tmp_path / "v.svg", start=date(2024, 9, 1))
    svg = out.read_text()
    assert 'width="648pt" height="324pt"' in svg  # 9×4.5 in: 900×450 px at 100 dpi
    import re

    footer = re.search(r'<text style="font-size: ([\d.]+)px[^"]*"[^>]*>Source: General',
                       svg)
    assert footer is not None and float(footer[1]) >= 9


def test_corrections_and_level_breaks_are_marked(loaded_db: str, tmp_path: Path) -> None:
    """The UAV series: a fall of the total at the turn of 2026 and the level break of
    5 January 2026 (attrition anomalies) both appear in the figure and its legend."""
    from attrition.analysis import anomalies

    with Reader(loaded_db) as r:
        uav = series.build("uav", r.by_category(), r.corrections())
    lo, hi = date(2025, 11, 1), date(2026, 3, 1)
    fixed = [p.day for p in uav.between(lo, hi) if p.excluded == "correction"]
    breaks = [b.day for b in anomalies.breaks(uav) if lo <= b.day <= hi]
    assert fixed and breaks
    texts = _texts(charts.draw(uav, tmp_path / "u.svg", start=lo, end=hi).read_text())
    assert "correction (not counted)" in texts
    assert "level break (counting changed)" in texts


def test_oryx_line_says_where_its_data_stops(loaded_db: str, tmp_path: Path) -> None:
    from attrition import crosswalk
    from attrition.analysis.confirmed import Confirmed
    from attrition.compare import Claimed, chart_panel

    with Reader(loaded_db) as r:
        rows = r.by_category()
        cw = crosswalk.load()
        conf = Confirmed("oryx", r.confirmed_counts("oryx"), cw)
    panel = chart_panel(cw.row("tanks"), Claimed(rows), conf, rows, None, date(2026, 8, 22))
    out = charts.draw_compare([panel], tmp_path / "c.svg", title="t", source_line="s")
    texts = _texts(out.read_text())
    assert f"Oryx data ends {panel['confirmed'][-1][0]}" in texts
    assert panel["confirmed"][-1][0] == date(2025, 7, 19)


def test_a_chart_never_creates_folders(vehicles: series.Series, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "deeper" / "v.png"
    with pytest.raises(charts.ChartError, match="does not exist"):
        charts.draw(vehicles, out)
    assert not (tmp_path / "nowhere").exists()
