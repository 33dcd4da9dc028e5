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


def _chart(loaded_db: str, name: str) -> series.Series:
    with Reader(loaded_db) as r:
        return series.build(name, r.by_category(), r.corrections())


def _highlight_fills(svg: str) -> int:
    return svg.count(f"fill: {charts.HIGHLIGHT}")


def test_a_two_day_figure_is_marked_never_highlighted_as_a_record(
        loaded_db: str, tmp_path: Path) -> None:
    """2026-07-27: 2,719 UAVs after a report that repeated its total (2026-07-26). The bar is
    hollow and hatched, labelled as two days, named in the note; no red record bar."""
    uav = _chart(loaded_db, "uav")
    day = date(2026, 7, 27)
    assert uav.at(day).excluded == "two_day"  # type: ignore[union-attr]
    assert uav.at(date(2026, 7, 26)).excluded == "stale"  # type: ignore[union-attr]
    svg = charts.draw(uav, tmp_path / "u.svg", start=date(2026, 5, 1), end=day,
                      highlight=day).read_text()
    texts = _texts(svg)
    assert "two-day figure (not counted)" in texts and "repeated total (not counted)" in texts
    assert "2026-07-27: 2,719 over two days, not a record" in texts
    assert any("two-day figures (the report before repeated its total) on 2026-07-27 (2,719)"
               in t for t in texts)
    assert _highlight_fills(svg) == 0
    assert f"stroke: {charts.TWO_DAY}" in svg
    # the day before it counts: its bar is the record colour when chosen
    counted = charts.draw(uav, tmp_path / "v.svg", start=date(2026, 5, 1), end=day,
                          highlight=date(2026, 7, 25)).read_text()
    assert _highlight_fills(counted) >= 1  # its bar and its label


def _pixels(png: Path, rgb: str) -> int:
    import matplotlib.image as mpimg

    img = mpimg.imread(png)[..., :3]
    want = [int(rgb[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    close = (abs(img[..., 0] - want[0]) < 0.02) & (abs(img[..., 1] - want[1]) < 0.02) & (
        abs(img[..., 2] - want[2]) < 0.02)
    return int(close.sum())


def test_png_marks_the_two_day_figure_and_has_no_record_bar(loaded_db: str,
                                                            tmp_path: Path) -> None:
    uav = _chart(loaded_db, "uav")
    day = date(2026, 7, 27)
    png = charts.draw(uav, tmp_path / "u.png", start=date(2026, 5, 1), end=day, highlight=day)
    assert _pixels(png, charts.HIGHLIGHT) == 0
    assert _pixels(png, charts.TWO_DAY) > 200  # the hatched bar, its ring and its label
    other = charts.draw(uav, tmp_path / "v.png", start=date(2026, 5, 1), end=day,
                        highlight=date(2026, 7, 25))
    assert _pixels(other, charts.HIGHLIGHT) > 200


@pytest.mark.parametrize(("name", "day", "figure"), [
    ("vehicles_fuel_tanks", date(2024, 11, 30), "+159"),
    ("air_defense", date(2024, 11, 30), "+13"),
    ("special_equipment", date(2024, 11, 30), "\u221283"),
    ("cruise_missiles", date(2024, 9, 27), "+9"),
])
def test_corrections_are_crossed_named_and_never_highlighted(
        loaded_db: str, tmp_path: Path, name: str, day: date, figure: str) -> None:
    """The corrections the briefs of 2024-11-30 and 2024-11-14 set apart: drawn as 0 with a
    cross, named in the note with their figure, and labelled as a correction when chosen."""
    from datetime import timedelta

    s = _chart(loaded_db, name)
    assert s.at(day).excluded == "correction"  # type: ignore[union-attr]
    for ext in ("svg", "png"):
        out = charts.draw(s, tmp_path / f"c.{ext}", start=day - timedelta(days=30), end=day,
                          highlight=day)
        if ext == "png":
            assert _pixels(out, charts.HIGHLIGHT) == 0 and _pixels(out, charts.CORRECTION) > 50
            continue
        svg = out.read_text()
        texts = _texts(svg)
        assert "correction (not counted)" in texts
        assert f"{day.isoformat()}: a correction, not a day's loss" in texts
        assert any(f"on {day.isoformat()} ({figure})" in t or f"{day.isoformat()} ({figure})"
                   in t for t in texts), [t for t in texts if "Not counted" in t]
        assert _highlight_fills(svg) == 0


def test_every_marked_day_of_the_history_is_drawn_as_marked(loaded_db: str,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    """Over the whole history of each category: every correction is a cross at 0, every
    two-day figure a hollow bar, and no uncounted day is a plain bar."""
    import matplotlib.pyplot as plt
    from matplotlib.dates import date2num

    seen: list[object] = []
    real_close = plt.close
    monkeypatch.setattr(plt, "close", seen.append)
    with Reader(loaded_db) as r:
        rows, corr = r.by_category(), r.corrections()
    for name in ("uav", "vehicles_fuel_tanks", "artillery", "cruise_missiles"):
        s = series.build(name, rows, corr)
        charts.draw(s, tmp_path / f"{name}.svg")
        fig: object = seen.pop()
        try:
            ax = fig.axes[0]  # type: ignore[attr-defined]
            plain, hollow = ax.containers[0], (ax.containers[1] if len(ax.containers) > 1
                                               else [])
            xs = {round(b.get_x() + b.get_width() / 2) for b in plain}
            hx = {round(b.get_x() + b.get_width() / 2) for b in hollow}
            crosses = {round(x) for ln in ax.lines if ln.get_marker() == "x"
                       for x in ln.get_xdata(orig=False)}
            for p in s.points:
                at = round(date2num(p.day))
                if p.excluded == "correction":
                    assert at in crosses and at not in xs, (name, p)
                elif p.excluded == "two_day":
                    assert at in hx and at not in xs, (name, p)
                elif p.excluded is None:
                    assert at in xs, (name, p)
        finally:
            real_close(fig)  # type: ignore[arg-type]


def test_a_ukrainian_chart_has_no_english_words(loaded_db: str, tmp_path: Path) -> None:
    """Title, legend, axes, month names, marks, note and source in Ukrainian; the allowed
    Latin words are names (attrition, the program; Oryx)."""
    import re

    s = _chart(loaded_db, "cruise_missiles")
    texts = _texts(charts.draw(s, tmp_path / "k.svg", start=date(2024, 6, 1),
                               end=date(2024, 9, 27), highlight=date(2024, 9, 27),
                               lang="uk").read_text())
    assert any(t.startswith("Втрати Росії за даними Генерального штабу ЗСУ: Крилаті ракети")
               for t in texts)
    assert "виправлення (не враховано)" in texts and "лип" in texts
    latin = {w for t in texts for w in re.findall(r"[A-Za-z]{2,}", t)}
    assert latin <= {"attrition"}, latin
