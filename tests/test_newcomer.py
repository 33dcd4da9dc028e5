"""What a new user met following the README and issue 12's commands on the real history:
each test failed before its fix."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from attrition import categories, cli


def _run(db: str, *args: str) -> Any:
    return CliRunner().invoke(cli.app, ["--db", db, *args])


def _strict(text: str) -> Any:
    """JSON as a browser or jq reads it: no NaN, no Infinity."""
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("name", [*categories.IDS, "vehicles"])
def test_anomalies_json_is_json_for_every_series(loaded_db: str, name: str) -> None:
    """`anomalies special_equipment -f json` gave `"factor": Infinity` for the level break
    of 22 April 2026 (a median of 0 before it), which no strict JSON reader accepts, and
    the table said "(×inf)"."""
    res = _run(loaded_db, "anomalies", name, "-f", "json")
    assert res.exit_code == 0, res.output
    doc = _strict(res.output)
    for b in doc["breaks"]:
        assert (b["factor"] is None) == (b["median_before"] == 0), b
    if name == "special_equipment":
        assert {"date": "2026-04-22", "median_before": 0.0, "median_after": 3.0,
                "factor": None} in doc["breaks"]
        table = _run(loaded_db, "anomalies", name).output
        assert "median daily change 0 before, 3 after; check the definition" in table
        assert "inf" not in table


def test_validate_groups_the_digits_of_a_stale_rows_median(loaded_db: str) -> None:
    """The UAV stale row of 26 July 2026 read "the last 30 changes had a median of 1861.5"
    beside totals written "426,836"."""
    res = _run(loaded_db, "validate", "--kind", "stale_row", "-f", "json")
    assert res.exit_code == 0, res.output
    uav = next(f for f in _strict(res.output)["findings"]
               if f["category"] == "uav" and f["report_date"] == "2026-07-26")
    assert "had a median of 1,861.5 and no zero" in uav["message"]


def test_the_list_of_commands_reads_as_sentences() -> None:
    """`attrition --help` broke command summaries where their docstrings broke lines: "…
    over a range of reports, each" / "with the sources …", "sourced in the figure;" /
    "corrections …". Wide or narrow, a summary now wraps only where the terminal ends."""
    res = CliRunner().invoke(cli.app, ["--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert ("A category's or aggregate's totals and daily changes over a range of reports, "
            "each with the sources that agree on it") in res.output
    assert "sourced in the figure; corrections and two-day figures are marked" in res.output
    for c in (*cli.app.registered_commands, *cli.alerts_app.registered_commands):
        assert c.help and "\n" not in c.help, c.name


def test_compare_suggests_the_line_a_typo_meant(loaded_db: str) -> None:
    """`compare -c tank` listed the lines but, unlike every other command given "tank",
    did not say which one was meant."""
    res = _run(loaded_db, "compare", "-c", "tank")  # main() prints it as "attrition: error: …"
    assert "no crosswalk line for 'tank' (did you mean 'tanks'?); one of: tanks" in str(
        res.exception)


def test_a_series_table_aligns_its_figures_on_the_right(loaded_db: str) -> None:
    """The figures of `series -f table` were flush left, so 1,000 and 4 did not line up."""
    res = CliRunner().invoke(cli.app, ["--db", loaded_db, "series", "personnel", "--from",
                                       "2022-03-06", "--to", "2022-03-08", "--daily", "-f",
                                       "table"], env={"COLUMNS": "120"})
    assert res.exit_code == 0, res.output
    rows = [ln for ln in res.output.splitlines() if ln.startswith("│ 2022-03-0")]
    cells = [ln.split("│")[2] for ln in rows]
    assert [c.strip() for c in cells] == ["1,000", "0", "1,000"]
    assert len({len(c.rstrip()) for c in cells}) == 1  # right-aligned: they end together


def test_the_readme_example_folder_ingests_as_a_folder(db: str) -> None:
    """The README ingests `tests/fixtures/bulletins/2024-11-14.en.txt`; given the folder
    instead, `ingest` read the note beside it (SOURCE.md) as a bulletin and refused the
    whole folder: "SOURCE.md: no report date"."""
    from pathlib import Path

    folder = Path(__file__).parent / "fixtures" / "bulletins"
    assert (folder / "SOURCE.md").exists()
    res = _run(db, "ingest", "--format", "press", str(folder))
    assert res.exit_code == 0, (res.output, res.exception)
    assert res.output.startswith("1 file(s): 14 figures")


@pytest.mark.parametrize(("name", "body"), [
    ("pyproject.toml", b"[project]\nname = 'x'\n"),
    ("page.html", b"<html><body>Russia lost 1,240 personnel</body></html>"),
])
def test_a_file_of_another_kind_is_named_as_such(db: str, tmp_path: Any, name: str,
                                                 body: bytes) -> None:
    """`ingest pyproject.toml` said "unrecognised JSON layout" (TOML starts with "["); an
    HTML page was read as a bulletin without a date. Nothing is stored either way."""
    path = tmp_path / name
    path.write_bytes(body)
    res = _run(db, "ingest", str(path))
    assert res.exit_code != 0
    msg = str(res.exception)
    assert "is not a format attrition reads" in msg and "give --format" in msg
    assert "JSON layout" not in msg and "report date" not in msg


def test_the_first_reports_ukrainian_brief_lists_what_the_english_one_does(
        reader: Any) -> None:
    """The Ukrainian brief of 24 February 2022 listed "БПЛА оперативно-тактичного рівня – 0;
    кораблів / катерів – 0" as losses; the English one (rightly) did not."""
    from datetime import date

    from attrition import service

    uk = service.brief(reader, date(2022, 2, 24), lang="uk")["text"].split("\n\n")[0]
    en = service.brief(reader, date(2022, 2, 24), lang="en")["text"].split("\n\n")[0]
    assert " – 0" not in uk and "гелікоптерів – 6." in uk
    assert "7 aircraft and 6 helicopters." in en
