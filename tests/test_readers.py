"""Each reader on the real files in shared/data, and on broken input."""

from datetime import date
from pathlib import Path

import pytest

from attrition.errors import ParseError
from attrition.sources import minfin, orc, petroivaniuk, warship


def test_petroivaniuk_equipment_reads_the_whole_history(shared_data: Path) -> None:
    raw = (shared_data / "official/2022-Ukraine-Russia-War-Dataset/russia_losses_equipment.json")
    batch = petroivaniuk.read_equipment(raw.read_bytes())
    days = {o.report_date for o in batch.observations}
    assert min(days) == date(2022, 2, 25) and max(days) == date(2026, 8, 8)
    assert len(days) == 1626
    tanks = {o.report_date: o.total for o in batch.observations if o.category == "tanks"}
    assert tanks[date(2024, 11, 14)] == 9319


def test_petroivaniuk_personnel_keeps_the_qualifier(shared_data: Path) -> None:
    raw = shared_data / "official/2022-Ukraine-Russia-War-Dataset/russia_losses_personnel.json"
    obs = petroivaniuk.read_personnel(raw.read_bytes()).observations
    quals = {o.qualifier for o in obs}
    assert quals == {"about", "more"}
    assert sum(o.qualifier == "more" for o in obs) == 6


def test_petroivaniuk_corrections(shared_data: Path) -> None:
    raw = (shared_data /
           "official/2022-Ukraine-Russia-War-Dataset/russia_losses_equipment_correction.json")
    corr = petroivaniuk.read_corrections(raw.read_bytes()).corrections
    assert any(c.report_date == date(2024, 11, 30) and c.category == "special_equipment"
               and c.value == -85 for c in corr)


def test_orc_losses_keeps_the_mod_address(shared_data: Path) -> None:
    batch = orc.read((shared_data / "official/orc-losses/russian-losses.json").read_bytes())
    cell = next(o for o in batch.observations
                if o.report_date == date(2024, 11, 16) and o.category == "tanks")
    assert cell.total == 9330  # the known fault, read as it is
    assert cell.address and cell.address.startswith("https://mod.gov.ua/")


def test_minfin_csv_reads(shared_data: Path) -> None:
    raw = shared_data / "official/russian-Losses-in-Ukraine/russia_losses.csv"
    obs = minfin.read(raw.read_bytes()).observations
    vft = {o.report_date: o.total for o in obs if o.category == "vehicles_fuel_tanks"}
    assert vft[date(2024, 9, 24)] == 15175  # its known typo, read as it is


def test_warship_record_shape() -> None:
    doc = {"message": "ok", "data": {
        "date": "2024-11-14", "day": 995, "resource": "https://example.org/r",
        "stats": {"personnel_units": 716070, "tanks": 9319, "atgm_srbm_systems": 4},
        "increase": {"personnel_units": 1690, "tanks": 19, "atgm_srbm_systems": 0}}}
    obs = {o.category: o for o in warship.read_doc(doc).observations}
    assert obs["tanks"].total == 9319 and obs["tanks"].announced_change == 19
    assert "srbm_systems" not in obs  # folded into cruise missiles after 2022-05-01


@pytest.mark.parametrize(("data", "needle"), [
    (b'[{"date": "2024-11-14", "tank": 9319}, {"date": "2024-11-15", "tank":', "truncated JSON"),
    (b'[{"date": "2024-11-14", "tankz": 9319}]', "field 'tankz'"),
    (b'[{"date": "2024-02-30", "tank": 9319}]', "impossible or malformed date"),
    (b'[{"date": "2024-11-14", "tank": "9x19"}]', "expected a number"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "binary"),
    (b'{"not": "a list"}', "JSON array"),
])
def test_bad_json_names_the_place(data: bytes, needle: str) -> None:
    with pytest.raises(ParseError, match=needle.replace("(", r"\(")):
        petroivaniuk.read_equipment(data)


def test_truncated_csv_names_the_line() -> None:
    data = b"date,day,personnel,tanks\n2024-11-14,995,716070,9319\n2024-11-15,996,717590\n"
    with pytest.raises(ParseError, match="line 3"):
        minfin.read(data)
