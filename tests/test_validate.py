"""`validate` finds the faults that shared/data/README.md documents."""

from __future__ import annotations

from datetime import date

import pytest

from attrition.store.read import Reader
from attrition.validate import Finding, validate


@pytest.fixture(scope="module")
def findings(loaded_db: str) -> list[Finding]:
    with Reader(loaded_db) as r:
        return validate(list(r.ledger()), r.observations(), r.corrections())


def _has(findings: list[Finding], kind: str, day: date, **kw: object) -> bool:
    return any(f.kind == kind and f.report_date == day and
               all(getattr(f, k) == v for k, v in kw.items()) for f in findings)


def test_stale_copy_in_orc_losses(findings: list[Finding]) -> None:
    assert _has(findings, "stale_row", date(2024, 11, 3), source="orc-losses")


def test_wrong_tanks_in_orc_losses(findings: list[Finding]) -> None:
    f = next(f for f in findings if f.kind == "disagreement" and f.source == "orc-losses"
             and f.report_date == date(2024, 11, 16) and f.category == "tanks")
    assert f.data["value"] == 9330 and f.data["resolved"] == 9338


def test_150_day_hole_in_orc_losses(findings: list[Finding]) -> None:
    f = next(f for f in findings if f.kind == "missing_days" and f.source == "orc-losses"
             and f.report_date == date(2023, 7, 23))
    assert f.data["days"] == 150 and f.data["to"] == "2023-12-19"


def test_announced_change_against_totals(findings: list[Finding]) -> None:
    f = next(f for f in findings if f.kind == "announced_mismatch"
             and f.report_date == date(2025, 10, 16) and f.category == "afv")
    assert f.data == {"announced": 9, "difference": 37, "address": f.data["address"]}


def test_negative_changes_and_listed_corrections(findings: list[Finding]) -> None:
    neg = [f for f in findings if f.kind == "negative_change"]
    assert len(neg) == 13  # the README counts 13 in the PI series, which the vote keeps
    special = next(f for f in neg if f.report_date == date(2024, 11, 30)
                   and f.category == "special_equipment")
    assert special.data["change"] == -83 and special.data["listed_correction"]


def test_minfin_typos_are_disagreements(findings: list[Finding]) -> None:
    assert _has(findings, "disagreement", date(2024, 9, 24), source="minfin",
                category="vehicles_fuel_tanks")
    assert _has(findings, "disagreement", date(2025, 5, 9), source="minfin",
                category="personnel")


def test_categories_that_appear_late(findings: list[Finding]) -> None:
    assert any(f.kind == "category_gap" and f.source == "orc-losses"
               and f.category == "submarines" for f in findings)


STALE_REPEATS = [  # the whole history, every category: (report, category, next change)
    (date(2022, 3, 7), "personnel", 1000), (date(2022, 4, 8), "afv", 4),
    (date(2024, 6, 21), "uav", 45), (date(2024, 9, 28), "vehicles_fuel_tanks", 84),
    (date(2024, 12, 12), "uav", 65), (date(2024, 12, 14), "afv", 32),
    (date(2026, 7, 26), "uav", 2719)]


def test_a_repeat_of_the_previous_total_by_the_voting_sources_is_a_stale_row(
        findings: list[Finding]) -> None:
    """2026-07-26: petroivaniuk and minfin repeat the UAV total of the 25th (orc-losses had
    moved on), so the ledger shows 0 where ~1,900 a day is the rule, and 2,719 the next day
    is two days' worth. The same pattern, searched in every category of the history."""
    got = [(f.report_date, f.category, f.data["two_day_change"]) for f in findings
           if f.kind == "stale_row" and f.category is not None]
    assert got == STALE_REPEATS
    uav = next(f for f in findings if f.kind == "stale_row"
               and f.report_date == date(2026, 7, 26))
    assert uav.source == "petroivaniuk, minfin" and "orc-losses had 428,286" in uav.message
    assert "two-day figure" in uav.message
