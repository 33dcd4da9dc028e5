"""Each reader on the real files in shared/data, and on broken input."""

import json
import os
from datetime import date
from pathlib import Path

import pytest

from attrition import ingest
from attrition.errors import ParseError, SourceError
from attrition.model import Batch, ConfirmedBatch
from attrition.sources import bulletin, minfin, orc, oryx, petroivaniuk, warship, warspotting


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


# -- hostile input: one documented error naming the place, never a traceback ----------------

ORC_ROW = ('{"date": "%s", "sourceUri": "https://mod.gov.ua/x", "personnel": 716070, '
           '"tanks": %s}')


@pytest.mark.parametrize(("data", "needle"), [
    ('[{"date": "2024-11-14", "tank": "9³19"}]', "expected a number"),
    ('[{"date": "2024-11-14", "tank": "²"}]', "expected a number"),
    ('[{"date": "2024-11-14", "tank": ' + "9" * 5000 + "}]", "implausible number"),
    ('[{"date": "2024-11-14", "tank": ' + str(2**63) + "}]", "implausible count"),
    ('[{"date": "2024-11-14", "tank": 1e400}]', "expected a number"),
    ('[{"date": "2024-11-14", "tank": NaN}]', "NaN"),
    ('[{"date": "0001-01-01", "tank": 9319}]', "before 2022-02-24"),
    ('[{"date": "9999-12-31", "tank": 9319}]', "in the future"),
    ('[{"date": "2099-01-01", "tank": 9319}]', "in the future"),
    ('[{"date": "2024-11-14", "tank": 9319, "tank": 9320}]', "given twice"),
    ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
    ('[{"date": "２０２４-11-14", "tank": 9319}]', "malformed date"),
])
def test_hostile_json_is_one_parse_error(data: str, needle: str) -> None:
    with pytest.raises(ParseError, match=needle) as err:
        petroivaniuk.read_equipment(data.encode())
    assert "\n" not in str(err.value)


def test_corrections_refuse_huge_integers() -> None:
    with pytest.raises(ParseError, match="plausible integer"):
        petroivaniuk.read_corrections(b'[{"date": "2024-11-30", "tank": 9223372036854775807}]')


def test_future_and_prewar_rows_are_refused_in_every_reader() -> None:
    with pytest.raises(ParseError, match=r"record #0.*in the future"):
        orc.read((("[" + ORC_ROW + "]") % ("2099-01-01", 9319)).encode())
    with pytest.raises(ParseError, match=r"line 3, field 'date'.*before 2022-02-24"):
        minfin.read(b"date,tanks\n2024-11-14,9319\n2021-11-14,9319\n")
    with pytest.raises(ParseError, match="in the future"):
        warship.read_doc({"date": "9999-01-01", "stats": {"tanks": 1}})


@pytest.mark.parametrize(("data", "needle"), [
    (b"date,tanks,tanks\n2024-11-14,9319,9320\n", r"line 1, field 'tanks'.*named twice"),
    (b"date,tanks\n2024-11-14,9\xc2\xb319\n", r"line 2, field 'tanks'.*expected a number"),
    (b"date,tanks\n2024-11-14," + b"9" * 200_000 + b"\n", r"line 2.*longer than"),
    (b"date,tanks\n2024-11-14,1" + b"0" * 30 + b"\n", r"line 2.*implausible count"),
    (b"date,tanks\n2024-11-14,\"9319\n", "line 2"),
])
def test_hostile_csv_names_the_line(data: bytes, needle: str) -> None:
    with pytest.raises(ParseError, match=needle):
        minfin.read(data)


def test_csv_with_cr_only_line_ends_reads() -> None:
    obs = minfin.read(b"date,tanks\r2024-11-14,9319\r2024-11-15,9330\r").observations
    assert [(o.report_date, o.total) for o in obs] == [
        (date(2024, 11, 14), 9319), (date(2024, 11, 15), 9330)]


def test_oryx_csv_refuses_a_huge_field_and_a_repeated_item() -> None:
    head = b"country,origin,system,status,url,date_recorded,matID\n"
    row = b"Russia,Russia,T-72B,destroyed,https://example.org/a,2022-05-27,7-1\n"
    with pytest.raises(ParseError, match=r"line 3.*listed twice"):
        oryx.read_events(head + row + row)
    with pytest.raises(ParseError, match=r"line 2.*longer than"):
        oryx.read_events(head + b"Russia,Russia," + b"T" * 200_000 + row[15:])


def test_warspotting_refuses_a_repeated_id() -> None:
    rec = {"id": 27101, "type": "Tanks", "model": "T-72B3", "status": "Destroyed",
           "lost_by": "Russia", "date": "2024-11-13"}
    with pytest.raises(ParseError, match=r"record 27101, field 'id'.*twice"):
        warspotting.read(json.dumps({"losses": [rec, rec]}))


def test_warship_refuses_unknown_keys() -> None:
    with pytest.raises(ParseError, match="field 'stat'"):
        warship.read_doc({"date": "2024-11-14", "stats": {"tanks": 9319}, "stat": {}})
    with pytest.raises(ParseError, match=r"field 'increase\.tankz'"):
        warship.read_doc({"date": "2024-11-14", "stats": {"tanks": 9319},
                          "increase": {"tankz": 3}})


def test_bulletin_figures_are_capped_as_the_mirrors_are() -> None:
    head = "The total combat losses of the enemy from 24.02.2022 to 14.11.2024 were:\n"
    with pytest.raises(ParseError, match=r"line 2.*implausible figure for personnel"):
        bulletin.parse(head + "personnel ‒ about 1000000000000000000 (+1690) persons,\n"
                       "tanks ‒ 9319 (+19),\n")
    with pytest.raises(ParseError, match=r"line 3.*implausible figure for tanks"):
        bulletin.parse(head + "personnel ‒ about 716070 (+1690) persons,\n"
                       "tanks ‒ " + "9" * 5000 + " (+19),\n")


@pytest.mark.parametrize("header", ["from 24.02.2022 to 14.11.2099", "from 24.02 to 14.11.9999",
                                    "from 24.02.2022 to 14.11.2021"])
def test_bulletin_dates_outside_the_war_are_refused(header: str) -> None:
    text = f"The total combat losses of the enemy {header} were:\ntanks ‒ 9319 (+19),\n"
    with pytest.raises(ParseError, match=r"line 1, field 'header'.*(future|before)"):
        bulletin.parse(text)


# -- files: regular files only, capped reads, formats detected after decoding ----------------


def test_dev_zero_and_a_fifo_fail_fast(tmp_path: Path) -> None:
    import os
    import time

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        t = time.perf_counter()
        with pytest.raises(SourceError, match="not a regular file"):
            ingest.read_path(path)
        assert time.perf_counter() - t < 1


def test_the_read_cap_does_not_trust_the_size(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b" " * 100 + b"]")
    with pytest.raises(SourceError, match="too large"):
        ingest.read_bytes(big, limit=50)


def test_utf16_json_and_oryx_csv_are_read(tmp_path: Path, shared_data: Path) -> None:
    orc_file = tmp_path / "russian-losses.json"
    orc_file.write_bytes(("[" + ORC_ROW % ("2024-11-14", 9319) + "]").encode("utf-16"))
    batch = ingest.read_path(orc_file)
    assert isinstance(batch, Batch) and batch.source == "orc-losses"
    src = shared_data / "confirmed/oryx_data/daily_count.csv"
    lines = src.read_text("utf-8").splitlines(keepends=True)[:50]
    oryx_file = tmp_path / "daily_count.csv"
    oryx_file.write_bytes("".join(lines).encode("utf-16"))
    got = ingest.read_path(oryx_file)
    assert isinstance(got, ConfirmedBatch) and len(got.counts) == 49


def test_an_unreadable_file_in_a_folder_names_it(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    bad = tmp_path / "russian-losses.json"
    bad.write_text("[]")
    real_open = os.open

    def deny(path: object, *args: object, **kw: object) -> int:
        if str(path) == str(bad):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(SourceError, match=r"russian-losses.json: cannot open \(Permission"):
        [ingest.read_path(f) for f in ingest.expand([tmp_path])]


def test_an_unreadable_subfolder_is_an_error_not_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("x")
    real = os.scandir

    def deny(path: object = ".") -> object:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", deny)
    with pytest.raises(SourceError, match=r"sub: cannot list the folder"):
        ingest.expand([tmp_path])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_cli_exits_non_zero_on_an_unreadable_subfolder(tmp_path: Path, fresh_db: str) -> None:
    import subprocess
    import sys

    sub = tmp_path / "data" / "sub"
    sub.mkdir(parents=True)
    sub.chmod(0)
    try:
        res = subprocess.run([sys.executable, "-m", "attrition.cli", "--db", fresh_db,
                              "ingest", str(tmp_path / "data")], capture_output=True, text=True)
    finally:
        sub.chmod(0o755)
    assert res.returncode != 0 and "cannot list the folder" in res.stderr
    assert "Traceback" not in res.stderr
