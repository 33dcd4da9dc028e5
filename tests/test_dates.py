"""Dates, weeks and months as users type them: the ends of the calendar are refused with a
clear error in the CLI and the API alike, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from attrition.dates import parse_day, parse_month, parse_week
from attrition.errors import DateError


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_days_out_of_range(text: str) -> None:
    with pytest.raises(DateError, match="out of range"):
        parse_day(text)


@pytest.mark.parametrize("text", ["0000-W01", "0001-W01", "9999-W52", "2100-W52"])
def test_weeks_out_of_range(text: str) -> None:
    with pytest.raises(DateError):
        parse_week(text)


@pytest.mark.parametrize("text", ["0000-01", "0001-01", "9999-12", "2024-13", "2024-00"])
def test_months_out_of_range(text: str) -> None:
    with pytest.raises(DateError):
        parse_month(text)


def test_ordinary_dates_weeks_months() -> None:
    assert parse_day("2024-11-14") == date(2024, 11, 14)
    assert parse_week("2024-W46") == (date(2024, 11, 11), date(2024, 11, 17))
    assert parse_month("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert parse_week("2099-W52")[1] == date(2099, 12, 27)


@pytest.mark.parametrize("args", [
    ["brief", "0001-01-01"], ["brief", "--week", "9999-W52"], ["brief", "--month", "0000-01"],
    ["records", "tanks", "--date", "0001-01-01"], ["series", "tanks", "--from", "0001-01-01"],
    ["summary", "--month", "9999-12"], ["compare", "--to", "9999-12-31"],
    ["chart", "tanks", "--to", "0001-01-01", "--out", "x.svg"],
])
def test_the_cli_says_so_in_one_line(loaded_db: str, args: list[str]) -> None:
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "--db", loaded_db, *args],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr[-500:]
    assert res.stderr.startswith("attrition: error:") and res.stderr.count("\n") == 1
