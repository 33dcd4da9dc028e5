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
    assert "tanks + afv + vehicles_fuel_tanks" in svg
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
