"""A plain `attrition ingest` off a terminal runs without Typer (attrition.ingest_command) and
gives what the Typer app gives: the same bytes on stdout and stderr, the same exit status and
the same store; any other command line goes to the Typer app."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from attrition import ingest_command

ROOT = Path(__file__).resolve().parent.parent
BULLETIN = ROOT / "tests" / "fixtures" / "bulletins" / "2024-11-14.en.txt"
ENTRY = [sys.executable, "-c", "from attrition.entry import main; main()"]
TYPER = [sys.executable, "-m", "attrition.cli"]
DAY = [{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/example",
        "personnel": 1476300, "tanks": 12295, "afvs": 25180, "artillery": 48390}]


def test_plain_ingest_lines_are_parsed_here() -> None:
    got = ingest_command.parse(["--db", "x.db", "ingest", "a.json", "--date=2024-11-14",
                                "--format", "press", "dir/"], "env.db")
    assert got == {"paths": [Path("a.json"), Path("dir")], "db": "x.db", "format": "press",
                   "day": "2024-11-14"}
    got = ingest_command.parse(["ingest", "--", "--date"], "env.db")
    assert got == {"paths": [Path("--date")], "db": "env.db", "format": None, "day": None}


@pytest.mark.parametrize("argv", [
    [], ["--version"], ["--help"], ["ingest"], ["ingest", "--help"], ["show", "latest"],
    ["ingest", "a.json", "--date"], ["ingest", "a", "--date", "x", "--date", "y"],
    ["ingest", "a.json", "-"], ["ingest", "a.json", "--verbose"], ["--db"], ["ingest", ""],
])
def test_other_command_lines_go_to_typer(argv: list[str]) -> None:
    assert ingest_command.parse(argv, None) is None


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "in").mkdir()
    day = tmp_path / "in" / "day.json"
    day.write_text(json.dumps(DAY), "utf-8")
    bad = tmp_path / "in" / "bad.json"
    bad.write_text(json.dumps([{**DAY[0], "tanks": "many"}]), "utf-8")
    return {"day": day, "bad": bad}


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "ATTRITION_CACHE": str(tmp_path / "cache")}
    for name in ("ATTRITION_DB", "FORCE_COLOR", "TTY_COMPATIBLE"):
        env.pop(name, None)
    return env


def _observations(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(
            "SELECT source, report_date, category, total, announced_change, qualifier, "
            "address, revision, input FROM observations"))


@pytest.mark.parametrize("case", ["day", "bulletin", "bad", "missing", "bad date", "folder"])
def test_both_paths_print_the_same_and_store_the_same(
        case: str, files: dict[str, Path], loaded_db: str, tmp_path: Path) -> None:
    args = {"day": [str(files["day"])],
            "bulletin": ["--format", "press", str(BULLETIN), "--date=2024-11-14"],
            "bad": [str(files["bad"])], "missing": [str(tmp_path / "nothing.json")],
            "bad date": ["--date", "2024-13-45", str(files["day"])],
            "folder": [str(files["day"].parent) + "/"]}[case]
    if case == "folder":
        files["bad"].unlink()
    got = []
    for name, cmd in (("entry", ENTRY), ("typer", TYPER)):
        db = tmp_path / f"{name}.db"
        shutil.copy(loaded_db.removeprefix("sqlite:///"), db)
        run = subprocess.run([*cmd, "--db", str(db), "ingest", *args], capture_output=True,
                             text=True, env=_env(tmp_path), timeout=120)
        got.append((run.returncode, run.stdout, run.stderr.replace(str(db), "DB"),
                    _observations(db)))
    assert got[0] == got[1]
    status, out, err, _ = got[0]
    assert (status == 0) == (case in ("day", "bulletin", "folder")), err
    assert out if status == 0 else err.startswith("attrition: error:")


def test_a_first_run_ingest_tells_of_the_load_and_imports_no_typer(
        files: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    code = ("import sys\nfrom attrition import entry\n"
            f"sys.argv = ['attrition', '--db', {str(db)!r}, 'ingest', {str(files['day'])!r}]\n"
            "try:\n    entry.main()\nexcept SystemExit as exc:\n"
            "    print(exc.code, 'typer' in sys.modules, 'click' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=_env(tmp_path), timeout=120)
    assert run.stdout.splitlines()[-1] == "0 False False"
    assert "4 new" in run.stdout
    assert run.stderr.startswith("attrition: first run, loaded the bundled snapshot")
