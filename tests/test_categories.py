from datetime import date

import pytest

from attrition import categories
from attrition.errors import UnknownCategoryError

ISSUE_IDS = ("personnel tanks afv artillery mlrs air_defense aircraft helicopters uav "
             "cruise_missiles ships submarines vehicles_fuel_tanks special_equipment "
             "ground_robotic_systems military_auto fuel_tanks srbm_systems").split()


def test_registry_has_exactly_the_canonical_ids() -> None:
    assert sorted(categories.IDS) == sorted(ISSUE_IDS)


def test_every_category_has_labels_in_both_languages_and_a_date_range() -> None:
    for cat in categories.CATEGORIES:
        assert cat.en and cat.uk and cat.synonyms_en and cat.synonyms_uk, cat.id
        assert cat.since >= categories.WAR_START
        assert cat.until is None or cat.until > cat.since


def test_merge_splits_history_on_2022_05_01() -> None:
    before = {c.id for c in categories.on(date(2022, 4, 30))}
    after = {c.id for c in categories.on(date(2022, 5, 1))}
    assert {"military_auto", "fuel_tanks", "srbm_systems"} <= before - after
    assert {"vehicles_fuel_tanks", "cruise_missiles"} <= after - before


def test_orc_unarmored_vehicles_means_military_auto_before_the_merge() -> None:
    assert categories.for_field("orc-losses", "unarmoredVehicles", date(2022, 4, 30)).id == (
        "military_auto")
    assert categories.for_field("orc-losses", "unarmoredVehicles", date(2022, 5, 1)).id == (
        "vehicles_fuel_tanks")


@pytest.mark.parametrize(("text", "expected"), [
    ("vehicles and fuel tanks ‒ 29090 (+124)", "vehicles_fuel_tanks"),
    ("автомобільної техніки та автоцистерн - 2685", "vehicles_fuel_tanks"),
    ("бойових броньованих машин ‒ 3811", "afv"),
    ("Anti-aircraft warfare systems ‒ 63", "air_defense"),
    ("боеві", None),
])
def test_match_label_prefers_the_longest_label(text: str, expected: str | None) -> None:
    found = categories.match_label(text, date(2024, 11, 14))
    assert (found[0] if found else None) == expected


def test_unknown_category_names_the_known_ones() -> None:
    with pytest.raises(UnknownCategoryError, match="known: personnel"):
        categories.get("tankz")
