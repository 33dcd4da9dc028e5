"""Issue 12, item 13 (Ukrainian number agreement) and the week and month briefs' sum of
vehicles: each test failed before its fix. A Ukrainian brief never sets a category's name
after a number: the bulletin's "танків – 30" (genitive plural, right for every number)."""

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


@pytest.mark.parametrize(("kind", "name", "want"), [
    # was "161 броньованих та інших автомобілів" (after 161: "броньований ... автомобіль")
    ("day", "2022-04-26", "Кількість броньованих та інших автомобілів – 161: найбільше від "
                          "зведення 16 березня 2022 року"),
    ("week", "2024-W46", "Разом з 11 по 17 листопада 2024 року Росія втратила: броньованих та "
                         "інших автомобілів – 1\u00a0031 ("),
    ("month", "2026-08", "Росія втратила: броньованих та інших автомобілів – 9\u00a0484 ("),
    ("month", "2024-11", "Разом за листопад 2024 року Росія втратила: броньованих та інших "
                         "автомобілів – 3\u00a0675 ("),
    ("week", "2022-W08", "Разом від початку повномасштабного вторгнення по 27 лютого 2022 року "
                         "Росія втратила: броньованих та інших автомобілів – 1\u00a0317 ("),
])
def test_ukrainian_briefs_count_vehicles_right_for_every_number(reader: Any, kind: str, name: str,
                                                      want: str) -> None:
    from datetime import date

    from attrition import service

    doc = (service.brief(reader, date.fromisoformat(name), lang="uk") if kind == "day"
           else service.brief(reader, **{kind: name}, lang="uk"))
    assert want in doc["text"]


@pytest.mark.parametrize(("period", "want"), [
    ("2022-W08", "Taken together, 1,317 armoured and other vehicles (a disputed figure) had "
                 "been lost by 27 February 2022"),
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


@pytest.mark.slow
def test_no_ukrainian_daily_brief_sets_a_category_after_a_number(reader: Any) -> None:
    """Every report date: a number followed by a category's word ("161 броньованих ...",
    "3 танки") would need the form of its number; the briefs use the dash instead."""
    import re

    from attrition import categories, service

    stems = sorted({w[:5].lower() for c in categories.CATEGORIES for w in
                    (*c.uk.split(), *words.UK_NOMINATIVE[c.id].split()) if len(w) > 4}
                   | {"броньо", "автомо"})
    pattern = re.compile(r"\d[\d\u00a0]*\s(?:" + "|".join(map(re.escape, stems)) + ")", re.I)
    days = sorted({r.report_date for r in reader.ledger()})
    for day in days:
        text = service.brief(reader, day, lang="uk")["text"]
        assert not pattern.search(text), (day, pattern.findall(text))


@pytest.mark.parametrize(("kind", "name", "want"), [
    ("week", "2024-W46", "Порівняно з попереднім тижнем: особового складу – 11\u00a0780"),
    ("month", "2024-11", "Порівняно з попереднім місяцем: особового складу – 45\u00a0720"),
    ("month", "2026-08", "Період ще не завершено, тож порівняння з попереднім місяцем – за "
                         "середнім на одне зведення:"),
    ("month", "2022-03", "Попередній місяць охоплює лише перші дні"),
])
def test_ukrainian_period_briefs_name_the_period_they_compare_with(
        reader: Any, kind: str, name: str, want: str) -> None:
    """Item 12: "Against the week before" in English, "Порівняно з попереднім періодом" (which
    period?) in Ukrainian."""
    from attrition import service

    text = service.brief(reader, lang="uk", **{kind: name})["text"]
    assert want in text and "попереднім періодом" not in text
