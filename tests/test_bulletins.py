"""Every bulletin text in shared/data parses, and its figures equal the resolved ledger, or the
discrepancy is one the sources document (SOURCES.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from attrition.errors import ParseError
from attrition.sources import bulletin
from attrition.store.read import Reader

# (report date, category): (announced change, difference of totals), as SOURCES.md lists them.
ANNOUNCED_DIFFERS = {
    (date(2022, 5, 31), "vehicles_fuel_tanks"): (11, 17),
    (date(2022, 7, 31), "vehicles_fuel_tanks"): (2, 13),  # malformed line: no total
    (date(2023, 4, 24), "air_defense"): (4, 0),
    (date(2024, 10, 2), "air_defense"): (1, 0),
    (date(2025, 10, 16), "afv"): (9, 37),
}
ROOT = Path(__file__).resolve().parent.parent


def _files() -> list[Path]:
    base = ROOT.parent / "shared" / "data" / "bulletins"
    return sorted(base.rglob("*.txt")) if base.exists() else []


@pytest.mark.parametrize("path", _files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bulletin_matches_the_ledger(path: Path, reader: Reader) -> None:
    parsed = bulletin.parse(path.read_bytes(),
                            report_date=bulletin.report_date_from_name(path.name))
    assert parsed.report_date == bulletin.report_date_from_name(path.name)
    assert len(parsed.figures) >= 5
    ledger = {r.category: r for r in reader.report(parsed.report_date)}
    for cat, fig in parsed.figures.items():
        row = ledger[cat]
        if fig.total is not None and not fig.rounded:
            assert fig.total == row.total, (cat, fig.total, row.total)
        if fig.rounded:
            assert fig.total is not None
            assert fig.qualifier == "more" and row.total > fig.total
            assert row.total - fig.total < 1000
        if fig.change is not None:
            key = (parsed.report_date, cat)
            if key in ANNOUNCED_DIFFERS:
                assert (fig.change, row.change) == ANNOUNCED_DIFFERS[key]
            else:
                assert fig.change == row.change, (cat, fig.change, row.change)


def test_every_documented_discrepancy_is_seen() -> None:
    seen = set()
    for path in _files():
        parsed = bulletin.parse(path.read_bytes(),
                                report_date=bulletin.report_date_from_name(path.name))
        for cat, fig in parsed.figures.items():
            if (parsed.report_date, cat) in ANNOUNCED_DIFFERS and fig.change is not None:
                seen.add((parsed.report_date, cat))
    if _files():
        assert seen == set(ANNOUNCED_DIFFERS)


def test_header_without_year_takes_the_hint_or_2022() -> None:
    text = "The total combat losses of the enemy from 24.02 to 12.04 were approximately:\n" \
           "tanks ‒ 732 од,\n" "APV ‒ 1946 од,\n"
    assert bulletin.parse(text).report_date == date(2022, 4, 12)
    assert bulletin.parse(text, report_date=date(2023, 1, 1)).report_date == date(2023, 4, 12)


def test_modern_header_with_year() -> None:
    text = ("The total combat losses of the enemy from 24.02.2022 to 14.11.2024 were "
            "approximately:\npersonnel ‒ about 716070 (+1690) persons,\n"
            "tanks ‒ 9319 (+19),\nvehicles and fuel tanks ‒ 29090 (+124),\n")
    parsed = bulletin.parse(text)
    assert parsed.report_date == date(2024, 11, 14)
    assert parsed.figures["personnel"].total == 716070
    assert parsed.figures["personnel"].qualifier == "about"
    assert parsed.figures["vehicles_fuel_tanks"].change == 124


def test_garbled_line_names_the_line() -> None:
    text = ("The total combat losses of the enemy from 24.02 to 12.04 were approximately:\n"
            "tanks ‒ 732 од,\n" "APV ‒ 19x6 од,\n")
    with pytest.raises(ParseError, match="line 3"):
        bulletin.parse(text)


def test_impossible_header_date() -> None:
    with pytest.raises(ParseError, match="impossible date"):
        bulletin.parse("Total combat losses of the enemy from 24.02 to 31.04 were:\ntanks - 9\n")


def test_text_without_figures_is_refused() -> None:
    with pytest.raises(ParseError, match="no loss figures"):
        bulletin.parse("Lorem ipsum dolor sit amet.", report_date=date(2024, 1, 1))


def test_malformed_line_without_total_keeps_the_change_and_warns() -> None:
    text = ("The total combat losses of the enemy from 24.02 to 31.07 were approximately:\n"
            "tanks ‒ 1763 (+4),\n" "vehicles and fuel tanks ‒ (+2).\n")
    parsed = bulletin.parse(text)
    fig = parsed.figures["vehicles_fuel_tanks"]
    assert fig.total is None and fig.change == 2
    assert parsed.warnings
