"""The check printed for people: each sentence once, with every figure of it beneath, and the
bulletin's names for categories, never the JSON document's ids."""

from __future__ import annotations

from datetime import date

import pytest

from attrition import categories
from attrition.check import check_text, render
from attrition.check.ledger import LedgerView
from attrition.store.read import Reader

TEXT = ("Over the past day Russia lost 1,690 troops, 19 tanks and 124 vehicles and fuel tanks, "
        "Kyiv said. The 194 vehicles lost included 124 fuel tanks.")


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> LedgerView:
    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


def test_each_sentence_is_printed_once_with_its_figures_beneath(ledger: LedgerView) -> None:
    doc = check_text(TEXT, ledger, date(2024, 11, 14))
    out = render.plain(doc)
    assert out is not None
    assert out.count("Over the past day Russia lost") == 1
    assert out.count("The 194 vehicles lost included") == 1
    assert "  SUPPORTED 19 tanks: change in tanks" in out
    assert "  MISLABELED 124 fuel tanks: change in vehicles and fuel tanks" in out


def test_no_category_id_reaches_the_text_or_markdown(ledger: LedgerView) -> None:
    doc = check_text(TEXT, ledger, date(2024, 11, 14))
    for shown in (render.plain(doc) or "", render.markdown(doc)):
        for cid in categories.BY_ID:
            if "_" in cid or cid in ("afv", "uav"):
                assert f" {cid}" not in shown and f"{cid}," not in shown, (cid, shown)
    assert "vehicles and fuel tanks, not fuel tanks" in render.plain(doc) or ""
