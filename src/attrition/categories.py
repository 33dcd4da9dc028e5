"""The one registry of loss categories.

Every other module takes category ids, labels, synonyms and source field names from here.
Ids are the canonical names used in the CLI, JSON and the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from attrition.errors import ConfigError, UnknownCategoryError

if TYPE_CHECKING:
    from pathlib import Path

WAR_START = date(2022, 2, 24)
MERGE_DATE = date(2022, 5, 1)
"""From this report on, "military auto" + "fuel tanks" are one category and SRBM systems are
counted under cruise missiles."""

# Source names, as stored in the database.
PETROIVANIUK = "petroivaniuk"
ORC_LOSSES = "orc-losses"
MINFIN = "minfin"
WARSHIP = "russianwarship"
BULLETIN = "bulletin"


class Category(NamedTuple):
    """One category. (A NamedTuple: this module is imported by every command, and frozen
    dataclasses cost several times more to define.)"""

    id: str
    en: str
    """The English label as the bulletin writes it."""
    uk: str
    """The Ukrainian label as the bulletin writes it (genitive, as in "танків – 9319")."""
    since: date
    until: date | None = None
    """Last report date on which the category exists; None while it still does."""
    synonyms_en: tuple[str, ...] = ()
    synonyms_uk: tuple[str, ...] = ()
    fields: dict[str, str] = {}  # noqa: RUF012  (never mutated; _c always passes one)
    """Each source's field name for this category."""
    kind: str = "equipment"
    note: str = ""

    def exists_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)

    @property
    def historical(self) -> bool:
        return self.until is not None


def _c(
    id: str,
    en: str,
    uk: str,
    since: date,
    until: date | None = None,
    *,
    en_syn: Iterable[str] = (),
    uk_syn: Iterable[str] = (),
    pi: str | None = None,
    orc: str | None = None,
    minfin: str | None = None,
    warship: str | None = None,
    kind: str = "equipment",
    note: str = "",
) -> Category:
    fields = {
        src: name
        for src, name in (
            (PETROIVANIUK, pi),
            (ORC_LOSSES, orc),
            (MINFIN, minfin),
            (WARSHIP, warship),
        )
        if name is not None
    }
    return Category(
        id=id,
        en=en,
        uk=uk,
        since=since,
        until=until,
        synonyms_en=tuple(en_syn),
        synonyms_uk=tuple(uk_syn),
        fields=fields,
        kind=kind,
        note=note,
    )


_D = WAR_START
_BEFORE_MERGE = date(2022, 4, 30)

CATEGORIES: tuple[Category, ...] = (
    _c(
        "personnel", "personnel", "особового складу", _D,
        en_syn=("troops", "soldiers", "servicemen", "servicemembers", "service members",
                "military personnel", "personnel", "casualties", "people", "persons",
                "invaders", "occupiers", "men", "fighters", "military"),
        uk_syn=("особового складу", "особовий склад", "осіб", "військових", "військові",
                "солдатів", "окупантів", "загарбників", "людей", "вояків", "росіян"),
        pi="personnel", orc="personnel", minfin="personnel", warship="personnel_units",
        kind="personnel", note="killed and wounded",
    ),
    _c(
        "tanks", "tanks", "танків", _D,
        en_syn=("tanks", "tank", "main battle tanks", "mbts"),
        uk_syn=("танків", "танки", "танк", "танка"),
        pi="tank", orc="tanks", minfin="tanks", warship="tanks",
    ),
    _c(
        "afv", "armoured fighting vehicles", "бойових броньованих машин", _D,
        en_syn=("armoured fighting vehicles", "armored fighting vehicles",
                "armoured combat vehicles", "armored combat vehicles",
                "armoured personnel vehicles", "armored personnel vehicles",
                "armoured vehicles", "armored vehicles", "armoured personnel carriers",
                "armored personnel carriers", "infantry fighting vehicles",
                "apvs", "apv", "acvs", "acv", "afvs", "afv", "bbms", "bbm"),
        uk_syn=("бойових броньованих машин", "бойові броньовані машини",
                "бойова броньована машина", "бойові броньовані машин",
                "броньованих машин", "бронемашин", "ббм"),
        pi="APC", orc="afvs", minfin="apv", warship="armoured_fighting_vehicles",
    ),
    _c(
        "artillery", "artillery systems", "артилерійських систем", _D,
        en_syn=("artillery systems", "artillery system", "artillery pieces", "artillery guns",
                "artillery", "guns", "howitzers"),
        uk_syn=("артилерійських систем", "артилерійські системи", "артсистем", "артилерії"),
        pi="field artillery", orc="artillery", minfin="artillery", warship="artillery_systems",
    ),
    _c(
        "mlrs", "MLRS", "РСЗВ", _D,
        en_syn=("multiple launch rocket systems", "multiple rocket launchers",
                "multiple-launch rocket systems", "rocket launchers", "mlrs", "mrls", "mrl"),
        uk_syn=("рсзв", "реактивних систем залпового вогню", "реактивні системи залпового вогню"),
        pi="MRL", orc="rocketSystems", minfin="mlrs", warship="mlrs",
    ),
    _c(
        "air_defense", "air defence systems", "засобів ППО", _D,
        en_syn=("anti-aircraft warfare systems", "anti-aircraft systems",
                "air defense systems", "air defence systems", "air-defense systems",
                "air-defence systems", "air defense", "air defence", "aaws"),
        uk_syn=("засобів ппо", "засоби ппо", "засобів протиповітряної оборони",
                "засоби протиповітряної оборони", "ппо"),
        pi="anti-aircraft warfare", orc="airDefense", minfin="aaws", warship="aa_warfare_systems",
    ),
    _c(
        "aircraft", "aircraft", "літаків", _D,
        en_syn=("aircraft", "airplanes", "aeroplanes", "planes", "jets", "warplanes",
                "fixed-wing aircraft"),
        uk_syn=("літаків", "літаки", "літак"),
        pi="aircraft", orc="fixedWingAircraft", minfin="aircrafts", warship="planes",
    ),
    _c(
        "helicopters", "helicopters", "гелікоптерів", _D,
        en_syn=("helicopters", "helicopter", "choppers"),
        uk_syn=("гелікоптерів", "гелікоптери", "вертольотів", "вертольоти", "гелікоптер"),
        pi="helicopter", orc="rotaryWingAircraft", minfin="helicopters", warship="helicopters",
    ),
    _c(
        "uav", "UAV operational-tactical level", "БПЛА оперативно-тактичного рівня", _D,
        en_syn=("uav operational-tactical level", "operational-tactical level drones",
                "operational-tactical drones", "unmanned aerial vehicles", "drones", "uavs",
                "uav"),
        uk_syn=("бпла оперативно-тактичного рівня", "безпілотники оперативно-тактичного рівня",
                "безпілотників оперативно-тактичного рівня", "бпла", "безпілотників",
                "безпілотники", "дронів"),
        pi="drone", orc="uavs", minfin="uav", warship="uav_systems",
    ),
    _c(
        "cruise_missiles", "cruise missiles", "крилатих ракет", MERGE_DATE,
        en_syn=("cruise missiles", "missiles"),
        uk_syn=("крилатих ракет", "крилаті ракети", "ракет"),
        pi="cruise missiles", orc="missiles", minfin="cruise_missiles", warship="cruise_missiles",
        note="includes the mobile SRBM systems counted separately until 2022-04-30",
    ),
    _c(
        "ships", "warships / boats", "кораблів / катерів", _D,
        en_syn=("warships / boats", "warships/boats", "ships and boats", "warships", "ships",
                "boats", "boats / cutters", "vessels"),
        uk_syn=("кораблів / катерів", "кораблів/катерів", "кораблі / катери", "кораблі/катери",
                "кораблів і катерів", "кораблі і катери", "кораблів", "кораблі", "корабель",
                "катерів"),
        pi="naval ship", orc="ships", minfin="warships", warship="warships_cutters",
    ),
    _c(
        "submarines", "submarines", "підводних човнів", date(2023, 9, 14),
        en_syn=("submarines", "submarine"),
        uk_syn=("підводних човнів", "підводні човни", "підводний човен", "підводних човни"),
        pi="submarines", orc="submarines", minfin="submarines", warship="submarines",
    ),
    _c(
        "vehicles_fuel_tanks", "vehicles and fuel tanks", "автомобільної техніки та автоцистерн",
        MERGE_DATE,
        en_syn=("vehicles and fuel tanks", "vehicles & fuel tanks", "motor vehicles and fuel tanks",
                "automotive equipment and fuel tanks", "vehicles and tankers"),
        uk_syn=("автомобільної техніки та автоцистерн", "автомобільної техніки й автоцистерн",
                "автомобільна техніка та автоцистерни", "автомобільну техніку та автоцистерни",
                "автомобілів і автоцистерн", "автомобілі та автоцистерни",
                "автомобілів та автоцистерн", "автомобільної техніки"),
        pi="vehicles and fuel tanks", orc="unarmoredVehicles", minfin="vehicles_fuel_tanks",
        warship="vehicles_fuel_tanks",
        note="military auto and fuel tanks, reported separately until 2022-04-30",
    ),
    _c(
        "special_equipment", "special equipment", "спеціальної техніки", date(2022, 3, 16),
        en_syn=("special equipment", "special military equipment", "units of special equipment"),
        uk_syn=("спеціальної техніки", "спеціальна техніка", "спеціальну техніку", "спецтехніки"),
        pi="special equipment", orc="specialEquipment", minfin="special_equipment",
        warship="special_military_equip",
    ),
    _c(
        "ground_robotic_systems", "ground robotic systems", "наземних робототехнічних комплексів",
        date(2026, 5, 3),
        en_syn=("ground robotic systems", "ground robotic complexes", "ground robots", "ugvs",
                "unmanned ground vehicles"),
        uk_syn=("наземних робототехнічних комплексів", "наземні робототехнічні комплекси",
                "нрк"),
        pi="ground robotic systems", warship="ground_robotic_systems",
    ),
    # Historical categories, reported separately before the 2022-05-01 merge.
    _c(
        "military_auto", "vehicles", "автомобільної техніки", _D, _BEFORE_MERGE,
        en_syn=("military auto", "automotive equipment", "vehicles", "trucks"),
        uk_syn=("автомобільної техніки", "автомобільна техніка"),
        pi="military auto", orc="unarmoredVehicles",
        note="merged into vehicles_fuel_tanks from 2022-05-01",
    ),
    _c(
        "fuel_tanks", "fuel tanks", "цистерн з ПММ", _D, _BEFORE_MERGE,
        en_syn=("fuel tanks", "tanks with fuel and lubricants", "fuel trucks", "tankers"),
        uk_syn=("цистерн з пмм", "цистерни з пмм", "автоцистерн"),
        pi="fuel tank",
        note="merged into vehicles_fuel_tanks from 2022-05-01",
    ),
    _c(
        "srbm_systems", "mobile SRBM system", "пускових установок ОТРК", date(2022, 3, 26),
        _BEFORE_MERGE,
        en_syn=("mobile srbm system", "mobile srbm systems", "srbm systems",
                "launcher of the operational-tactical missile system"),
        uk_syn=("пускових установок отрк", "пускові установки отрк", "отрк"),
        pi="mobile SRBM system", warship="atgm_srbm_systems",
        note="counted under cruise_missiles from 2022-05-01",
    ),
)

BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}
IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES)
CURRENT_IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES if not c.historical)
ORDER: dict[str, int] = {c.id: i for i, c in enumerate(CATEGORIES)}


def get(category_id: str) -> Category:
    """The category with this id; the error lists the known ids."""
    try:
        return BY_ID[category_id]
    except KeyError:
        raise UnknownCategoryError(
            f"unknown category {category_id!r}; known: {', '.join(IDS)}"
        ) from None


def unknown(name: str, aggregates: Iterable[str] | None = None) -> UnknownCategoryError:
    """The error for a name that is not a category (nor, when `aggregates` are given, one of
    those): the nearest known name, if one is close, and the list. One wording for the CLI
    and the API."""
    from difflib import get_close_matches

    aggs = list(aggregates) if aggregates is not None else None
    close = get_close_matches(name[:100], [*IDS, *(aggs or ())], n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    shown = repr(name if len(name) <= 60 else name[:60] + "…")  # not 10 kB echoed back
    if aggs is None:
        return UnknownCategoryError(f"unknown category {shown}{hint}; one of: "
                                    f"{', '.join(IDS)}")
    return UnknownCategoryError(f"unknown category or aggregate {shown}{hint}; categories: "
                                f"{', '.join(IDS)}; aggregates: {', '.join(aggs)}")


def on(day: date) -> list[Category]:
    """The categories that exist in the report of `day`."""
    return [c for c in CATEGORIES if c.exists_on(day)]


def for_field(source: str, field_name: str, day: date) -> Category | None:
    """The category a source's field means on a report date (one field can change meaning:
    orc-losses' `unarmoredVehicles` is military auto before the merge)."""
    for cat in _by_field().get((source, field_name), ()):
        if cat.exists_on(day):
            return cat
    return None


@cache
def _by_field() -> dict[tuple[str, str], tuple[Category, ...]]:
    out: dict[tuple[str, str], list[Category]] = {}
    for cat in CATEGORIES:
        for src, name in cat.fields.items():
            out.setdefault((src, name), []).append(cat)
    return {k: tuple(v) for k, v in out.items()}


def known_fields(source: str) -> set[str]:
    return {name for (src, name) in _by_field() if src == source}


def _norm(text: str) -> str:
    text = text.lower().replace("\u00a0", " ").replace("’", "'")
    text = re.sub(r"\s*/\s*", " / ", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def _label_index() -> list[tuple[str, str]]:
    """(normalised label, category id), longest first so that "vehicles and fuel tanks" wins
    over "vehicles" and "fuel tanks"."""
    pairs: set[tuple[str, str]] = set()
    for cat in CATEGORIES:
        for label in (cat.en, cat.uk, *cat.synonyms_en, *cat.synonyms_uk):
            pairs.add((_norm(label), cat.id))
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0], p[1]))


def match_label(text: str, day: date | None = None) -> tuple[str, int, int] | None:
    """Find the first, longest category label in `text`.

    Returns (category id, start, end) in the normalised text's terms, or None. When `day` is
    given, labels of categories that do not exist on that day are skipped ("vehicles" in a
    2022-04 bulletin is military_auto; later it is not a category of its own).
    """
    norm = _norm(text)
    best: tuple[int, int, str] | None = None
    for label, cat_id in _label_index():
        if day is not None and not BY_ID[cat_id].exists_on(day):
            continue
        for m in re.finditer(r"(?<![\w])" + re.escape(label) + r"(?![\w])", norm):
            cand = (m.start(), -(m.end() - m.start()), cat_id)
            if best is None or cand < best:
                best = cand
            break
    if best is None:
        return None
    start, neg_len, cat_id = best
    return cat_id, start, start - neg_len


# -- named aggregates -----------------------------------------------------------------------


class Aggregate(NamedTuple):
    """A named sum of categories, e.g. what the press calls "vehicles"."""

    id: str
    en: str
    uk: str
    components: tuple[str, ...]
    note: str = ""

    @property
    def definition(self) -> str:
        return " + ".join(self.components)

    def components_on(self, day: date) -> tuple[str, ...]:
        """The categories that make up the aggregate in the report of `day`: before the
        2022-05-01 merge, vehicles_fuel_tanks is military_auto + fuel_tanks, and
        cruise_missiles had the SRBM systems beside it."""
        out: list[str] = []
        for cid in self.components:
            if day < MERGE_DATE and cid in HISTORICAL_PARTS:
                out.extend(p for p in HISTORICAL_PARTS[cid] if BY_ID[p].exists_on(day))
            elif BY_ID[cid].exists_on(day):
                out.append(cid)
        return tuple(out)


HISTORICAL_PARTS: dict[str, tuple[str, ...]] = {
    "vehicles_fuel_tanks": ("military_auto", "fuel_tanks"),
    "cruise_missiles": ("srbm_systems",),
}

CONTINUES: dict[str, tuple[str, ...]] = {"vehicles_fuel_tanks": ("military_auto", "fuel_tanks")}
"""Categories that carry on earlier ones: before the 2022-05-01 merge the series of vehicles
and fuel tanks is military auto + fuel tanks, so that its records are set against the days
before the merge too (the most "since the invasion began" must beat 2022-03-16's 179 military
vehicles). Cruise missiles only took the SRBM systems' place in the list: they carry on
nothing."""
WAR_START = date(2022, 2, 24)


def counted_since(name: str, aggregates: Mapping[str, Aggregate] | None = None) -> date:
    """The first day a category's series (or an aggregate's, through its components) can
    have a figure: records are only ever set against days from then on."""
    if name in BY_ID:
        return min([BY_ID[name].since, *(BY_ID[p].since for p in CONTINUES.get(name, ()))])
    agg = (aggregates or {}).get(name) or next(a for a in BUILTIN_AGGREGATES if a.id == name)
    return min(counted_since(c) if c in BY_ID else WAR_START for c in agg.components)


def parts(name: str, aggregates: Mapping[str, Aggregate] | None = None) -> set[str]:
    """Every category whose cells a series' figures can rest on: a category and the ones it
    carries on (`CONTINUES`), or an aggregate's components with their historical parts."""
    if name in BY_ID:
        return {name, *CONTINUES.get(name, ())}
    agg = (aggregates or {}).get(name) or next(a for a in BUILTIN_AGGREGATES if a.id == name)
    return {p for c in agg.components for p in (c, *HISTORICAL_PARTS.get(c, ()))}


_EQUIPMENT = tuple(c.id for c in CATEGORIES if not c.historical and c.kind == "equipment")

BUILTIN_AGGREGATES: tuple[Aggregate, ...] = (
    Aggregate("vehicles", "tanks, armoured fighting vehicles and vehicles and fuel tanks",
              "танків, бойових броньованих машин, автомобільної техніки та автоцистерн",
              ("tanks", "afv", "vehicles_fuel_tanks"),
              "what the press usually means by 'vehicles'"),
    Aggregate("armour", "tanks and armoured fighting vehicles",
              "танків і бойових броньованих машин", ("tanks", "afv")),
    Aggregate("artillery_all", "artillery systems and MLRS", "артилерійських систем і РСЗВ",
              ("artillery", "mlrs")),
    Aggregate("equipment", "equipment except UAVs and cruise missiles",
              "техніки без БПЛА та крилатих ракет",
              tuple(c for c in _EQUIPMENT if c not in ("uav", "cruise_missiles"))),
    Aggregate("equipment_all", "all equipment, UAVs and missiles included",
              "усієї техніки, разом з БПЛА та ракетами", _EQUIPMENT),
)


def aggregates(config: dict[str, object] | None = None) -> dict[str, Aggregate]:
    """Built-in aggregates plus the user's, from the `[aggregates.NAME]` tables of a TOML
    config (`components = [...]`, optional `en`, `uk`)."""
    out = {a.id: a for a in BUILTIN_AGGREGATES}
    for name, spec in ((config or {}).get("aggregates") or {}).items():  # type: ignore[attr-defined]
        if not isinstance(spec, dict) or not isinstance(spec.get("components"), list):
            raise ConfigError(f"config: aggregates.{name} needs components = [category, ...]")
        comps = tuple(str(c) for c in spec["components"])
        for c in comps:
            get(c)
        if name in BY_ID:
            raise ConfigError(f"config: aggregate {name!r} has a category's name")
        out[name] = Aggregate(name, str(spec.get("en", " + ".join(comps))),
                              str(spec.get("uk", " + ".join(comps))), comps)
    return out


def config_path() -> Path:
    """ATTRITION_CONFIG, else `attrition/config.toml` in the user config folder."""
    from pathlib import Path

    from attrition import settings

    path_env = settings.current().config
    if path_env:
        return Path(path_env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("attrition", appauthor=False)) / "config.toml"


def load_config() -> dict[str, object]:
    """The user's TOML config (see `config_path`); empty when there is none."""
    path = config_path()
    if not path.exists():
        return {}
    import tomllib

    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


# The press's words for each category (beyond the bulletin's own labels above) are the
# fact-checker's: src/attrition/check/rules/{en,uk,ru}.toml, one rule id per category.
