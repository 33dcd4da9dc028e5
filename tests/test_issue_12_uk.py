"""Issue 12, item 13 (Ukrainian number agreement) and the week and month briefs' sum of
vehicles: each test failed before its fix."""

from __future__ import annotations

from typing import Any

import pytest

from attrition import words


@pytest.mark.parametrize(("n", "form"), [
    (1, 0), (21, 0), (101, 0), (161, 0), (1031, 0),
    (2, 1), (4, 1), (22, 1), (104, 1), (9484, 1),
    (0, 2), (5, 2), (11, 2), (12, 2), (14, 2), (20, 2), (111, 2), (112, 2), (3675, 2),
])
def test_the_ukrainian_form_after_a_number(n: int, form: int) -> None:
    assert words.uk_form(n, ("a", "b", "c")) == "abc"[form]


def test_every_counted_form_is_the_case_and_number_ukrainian_takes() -> None:
    """The table's words, read by a morphology dictionary (pymorphy3's Ukrainian, a
    dependency of the checker): after 1 the nominative singular, after 2-4 the nominative
    plural, after 5 and more the genitive plural; every word of each form agrees."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang="uk")
    want = ({"sing", "nomn"}, {"plur", "nomn"}, {"plur", "gent"})
    for name, forms in words.UK_COUNTED.items():
        for form, grams in zip(forms, want, strict=True):
            for w in form.split():
                if w in ("та", "і"):
                    continue
                assert any(grams <= set(str(p.tag).replace(" ", ",").split(","))
                           or ("sing" in grams and "masc" in str(p.tag)
                               and "nomn" in str(p.tag) and "plur" not in str(p.tag))
                           for p in morph.parse(w)), (name, form, w)


@pytest.mark.parametrize(("kind", "name", "want"), [
    ("day", "2022-04-26", "161 броньований та інший автомобіль: найбільше від зведення"),
    ("week", "2024-W46", "Разом з 11 по 17 листопада 2024 року втрачено 1\u00a0031 броньований "
                         "та інший автомобіль ("),
    ("month", "2026-08", "втрачено 9\u00a0484 броньовані та інші автомобілі ("),
    ("month", "2024-11", "Разом за листопад 2024 року втрачено 3\u00a0675 броньованих та "
                         "інших автомобілів ("),
    ("week", "2022-W08", "Разом від початку повномасштабного вторгнення по 27 лютого 2022 року "
                         "втрачено 1\u00a0317 броньованих та інших автомобілів ("),
])
def test_ukrainian_briefs_count_vehicles_in_agreement(reader: Any, kind: str, name: str,
                                                      want: str) -> None:
    from datetime import date

    from attrition import service

    doc = (service.brief(reader, date.fromisoformat(name), lang="uk") if kind == "day"
           else service.brief(reader, **{kind: name}, lang="uk"))
    assert want in doc["text"]


@pytest.mark.parametrize(("period", "want"), [
    ("2022-W08", "Taken together, 1,317 armoured and other vehicles had been lost by 27 "
                 "February 2022"),
    ("2022-02", "Taken together, 1,409 armoured and other vehicles had been lost by 28 "
                "February 2022"),
])
def test_the_invasions_first_period_sums_vehicles_by_their_total(reader: Any, period: str,
                                                                 want: str) -> None:
    """"997 armoured and other vehicles had been lost by 27 February 2022": the sum of the
    week's changes, which leaves out the military vehicles and fuel tanks first counted on
    25 February (320); the total by then is 150 + 816 + 291 + 60 = 1,317."""
    from attrition import service

    kind = "week" if "W" in period else "month"
    doc = service.brief(reader, **{kind: period})
    assert want in doc["text"]
    v = next(f for f in doc["facts"] if f["category"] == "vehicles")
    tanks_afv_vft = [next(f for f in doc["facts"] if f["category"] == c)["change"]
                     for c in ("tanks", "afv", "vehicles_fuel_tanks")]
    assert v["total"] == sum(tanks_afv_vft)


@pytest.mark.parametrize("what", [{"day": "2024-11-14"}, {"day": "2022-02-24"},
                                  {"month": "2026-08"}, {"week": "2022-W09"}])
def test_a_ukrainian_markdown_brief_has_no_english_heading_or_table(
        reader: Any, what: dict[str, str]) -> None:
    """Surface finding 14: `brief --lang uk --format markdown` had "## Brief: report of ...",
    English column names and "1,690" in its table where its text says "1 690"."""
    import re
    from datetime import date

    from attrition import brief, service

    doc = (service.brief(reader, date.fromisoformat(what["day"]), lang="uk") if "day" in what
           else service.brief(reader, lang="uk", **what))
    md = brief.markdown(doc)
    rest = md.replace(doc["text"], "")
    rest = re.sub(r"https?://\S+|\d{4}-\d{2}(?:-\d{2})?|\d{4}-W\d{2}", "", rest)
    assert not re.search(r"[A-Za-z]", rest), re.findall(r"[A-Za-z]+", rest)[:10]
    assert md.startswith("## Довідка: ")
    table = [ln for ln in md.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    assert table and not any(re.search(r"\d,\d{3}", ln) for ln in table)
    if what.get("day") == "2024-11-14":
        assert "| Особовий склад | 1\u00a0690 | 716\u00a0070 | 5 |" in md
        # a day with no change ranks nowhere (it ranked "1" of a month of zeros)
        assert re.search(r"\| Літаки \| 0 \| 369 \|  \|", md)
    if what.get("week") == "2022-W09":
        assert "| Танки | 140 (спірні дані) |" in md


def test_an_english_markdown_brief_is_unchanged_but_for_ranks_of_nothing(reader: Any) -> None:
    from datetime import date

    from attrition import brief, service

    md = brief.markdown(service.brief(reader, date(2024, 11, 14)))
    assert md.startswith("## Brief: report of 2024-11-14 (losses of 2024-11-13)")
    assert "| Personnel | 1,690 | 716,070 | 5 | 2024-11-13 (1,770) |" in md
    assert "| Aircraft | 0 | 369 |  | 2024-09-12 (1) |" in md
