"""The `attrition` entry point runs a plain `attrition check` without Typer, and gives what the
Typer app gives: the same bytes on stdout and stderr and the same exit status, for every form it
takes; any other command line goes to the Typer app unchanged."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from attrition import entry
from attrition.bootstrap import ensure_loaded
from attrition.settings import Settings, rich_terminal_forced

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
TEXT = ("Over the past day Russia lost 9 tanks and 1,690 soldiers, the General Staff said. "
        "Kyiv counts 716,070 Russian personnel [lost] since the invasion began.\n")

ENTRY = [sys.executable, "-c", "from attrition.entry import main; main()"]
TYPER = [sys.executable, "-m", "attrition.cli"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("entry")
    ensure_loaded(f"sqlite:///{tmp / 'ledger.db'}")
    out = {**os.environ, "ATTRITION_DB": str(tmp / "ledger.db"),
           "ATTRITION_CACHE": str(tmp / "cache")}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "ATTRITION_BASE_URL"):
        out.pop(name, None)
    return out


def test_plain_check_lines_are_parsed_here() -> None:
    env = Settings.from_env({"ATTRITION_DB": "from-env.db"})
    got = entry.parse_check(["check", "a.txt", "--date", "2024-11-14", "-f", "json", "b.txt"],
                            env)
    assert got == {"inputs": ["a.txt", "b.txt"], "db": "from-env.db", "day": "2024-11-14",
                   "format": "json", "fail_on": [], "as_of": None, "base_url": None}
    got = entry.parse_check(["--db=x.db", "check", "--fail-on=contradicted, mislabeled",
                             "--", "-", "--date"], env)
    assert got is not None
    assert (got["db"], got["inputs"], got["fail_on"]) == (
        "x.db", ["-", "--date"], ["contradicted", "mislabeled"])


@pytest.mark.parametrize("argv", [
    [], ["--version"], ["--help"], ["check"], ["check", "--help"], ["brief", "latest"],
    ["check", "a.txt", "--format", "yaml"], ["check", "a.txt", "--fail-on", "wrong"],
    ["check", "a.txt", "--date"], ["check", "a.txt", "--date", "x", "--date", "y"],
    ["check", "a.txt", "--verbose"], ["check", "a.txt", "-fjson"], ["--db"],
])
def test_other_command_lines_go_to_typer(argv: list[str]) -> None:
    assert entry.parse_check(argv, Settings()) is None


CASES = [
    ["check", str(ARTICLES / "daily-2024-11-14.txt")],
    ["check", str(ARTICLES / "daily-2024-11-14.txt"), "-f", "json"],
    ["check", str(ARTICLES / "daily-2024-11-14.txt"), "--format=markdown"],
    ["check", "-", "--date", "2024-11-14"],
    ["check", "-", "--date", "2024-11-14", "--fail-on", "contradicted"],
    ["check", "-", "--date", "2024-11-14", "--fail-on", "wrong_date", "-f", "json"],
    ["check", "-", "--date", "2024-11-14", "--as-of", "2024-11-14T09:00", "-f", "json"],
    ["check", "-", "-f", "claimreview", "--date", "2024-11-14"],
    ["check", "-"],  # no date: an error
    ["check", "-", "--date", "2024-13-40"],  # not a date
    ["check", str(ARTICLES / "no-such-article.txt")],
    ["check", str(ARTICLES)],  # a folder: a table of the articles
    ["check", str(ARTICLES / "daily-2024-11-14.txt"), str(ARTICLES), "-f", "json"],
]


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(a[1:])[-50:] for a in CASES])
def test_the_entry_and_typer_print_the_same(argv: list[str], env: dict[str, str]) -> None:
    # the case takes the path without Typer
    assert entry.parse_check(argv, Settings.from_env(env)) is not None
    fast = subprocess.run([*ENTRY, *argv], input=TEXT, env=env, capture_output=True,
                          text=True)
    slow = subprocess.run([*TYPER, *argv], input=TEXT, env=env, capture_output=True,
                          text=True)
    assert (fast.stdout, fast.stderr, fast.returncode) == (
        slow.stdout, slow.stderr, slow.returncode)
    assert fast.stdout or fast.stderr


def test_a_plain_check_imports_neither_typer_nor_rich(env: dict[str, str]) -> None:
    code = ("import sys\nfrom attrition.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('typer', 'click', 'rich', 'sqlalchemy') "
            "if m in sys.modules), file=sys.stderr)\n")
    got = subprocess.run([sys.executable, "-c", code, "check", "-", "--date", "2024-11-14"],
                         input=TEXT, env=env, capture_output=True, text=True, check=True)
    assert got.stderr.strip().splitlines()[-1] == "[]"
    assert "716,070" in got.stdout


def test_a_plain_check_starts_without_the_collector_and_leaves_it_on(
        env: dict[str, str]) -> None:
    # start-up's objects (modules, rules, the ledger) are frozen out of the collector's
    # passes, and the collector is on again when the articles are checked (a folder of many
    # keeps its memory bounded)
    code = ("import gc, sys\nfrom attrition.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(gc.isenabled(), gc.get_freeze_count() > 10_000, file=sys.stderr)\n")
    got = subprocess.run([sys.executable, "-c", code, "check", "-", "--date", "2024-11-14"],
                         input=TEXT, env=env, capture_output=True, text=True, check=True)
    assert got.stderr.strip().splitlines()[-1] == "True True"
    assert "716,070" in got.stdout


def test_one_article_is_checked_without_the_collector_and_a_folder_with_it(
        env: dict[str, str], tmp_path: Path) -> None:
    # one article's objects are few: the collector's passes over the first check's tables
    # (~35 of them) are spared; a folder of articles is checked with the collector on
    code = ("import gc, sys\nfrom attrition import entry\n"
            "from attrition import service\n"
            "seen = []\nplain = service.Checker.check\n"
            "def check(self, *a, **k):\n"
            "    seen.append(gc.isenabled())\n    return plain(self, *a, **k)\n"
            "service.Checker.check = check\n"
            "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
            "print(seen, gc.isenabled(), file=sys.stderr)\n")
    one = subprocess.run([sys.executable, "-c", code, "check", "-", "--date", "2024-11-14"],
                         input=TEXT, env=env, capture_output=True, text=True, check=True)
    assert one.stderr.strip().splitlines()[-1] == "[False] True"
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT)
    two = subprocess.run([sys.executable, "-c", code, "check", str(tmp_path), "--date",
                          "2024-11-14", "-f", "json"], env=env, capture_output=True,
                         text=True, check=True)
    assert two.stderr.strip().splitlines()[-1] == "[True, True] True"


def test_a_check_that_fails_to_start_leaves_the_collector_on(
        env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from attrition.errors import AttritionError

    monkeypatch.setenv("ATTRITION_CACHE", env["ATTRITION_CACHE"])
    assert gc.isenabled()
    with pytest.raises(AttritionError):
        entry.run_check([str(tmp_path / "no such article.txt")], env["ATTRITION_DB"], None,
                        "text", [], None, None)
    assert gc.isenabled()


def _rich(doc: dict[str, object]) -> str:
    from attrition.check import render

    buf = io.StringIO()
    console = entry.console()
    console.file = buf
    render.terminal(doc, console)
    return buf.getvalue()


def test_plain_text_is_what_rich_prints(env: dict[str, str]) -> None:
    from attrition import service
    from attrition.check import render
    from attrition.store.read import Reader

    texts = [(p.name, p.read_text("utf-8"), None) for p in sorted(ARTICLES.glob("*.txt"))]
    texts.append(("[bold]odd\\", TEXT.replace("[lost]", "[/] \\[x] [red]lost[/red]\\"),
                  "2024-11-14"))
    with Reader(env["ATTRITION_DB"]) as reader:
        checker = service.Checker(reader)
    from datetime import date

    n = 0
    for name, text, day in texts:
        try:
            doc = checker.check(text, date.fromisoformat(day) if day else None, source=name)
        except Exception:
            continue  # an article without a date
        assert render.plain(doc) == _rich(doc), name
        n += 1
    assert n >= 5


def test_text_rich_would_change_is_left_to_rich(env: dict[str, str]) -> None:
    from attrition import service
    from attrition.check import render
    from attrition.store.read import Reader

    with Reader(env["ATTRITION_DB"]) as reader:
        checker = service.Checker(reader)
    from datetime import date

    doc = checker.check(TEXT.replace("the General", "the\tGeneral\r"), date(2024, 11, 14))
    assert render.plain(doc) is None  # a tab and a carriage return: Rich's to print
    assert render.plain(checker.check(TEXT, date(2024, 11, 14))) is not None
    assert not rich_terminal_forced({"TTY_COMPATIBLE": "0", "NO_COLOR": "1"})
    assert rich_terminal_forced({"FORCE_COLOR": ""})
    assert rich_terminal_forced({"TTY_COMPATIBLE": "1"})


@pytest.mark.parametrize("forced", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}])
def test_rich_told_to_act_as_a_terminal_prints_as_before(forced: dict[str, str],
                                                         env: dict[str, str]) -> None:
    argv = ["check", str(ARTICLES / "daily-2024-11-14.txt")]
    fast = subprocess.run([*ENTRY, *argv], env={**env, **forced}, capture_output=True,
                          text=True)
    slow = subprocess.run([*TYPER, *argv], env={**env, **forced}, capture_output=True,
                          text=True)
    assert (fast.stdout, fast.returncode) == (slow.stdout, slow.returncode)
    assert "\x1b[" in fast.stdout  # Rich's bold and colours


def test_a_closed_pipe_ends_quietly_as_in_typer(env: dict[str, str]) -> None:
    """`attrition check … | head -1`: stdout closed early is no traceback, status 1."""
    argv = ["check", str(ARTICLES / "daily-2024-11-14.txt")]
    got = []
    for cmd in (ENTRY, TYPER):
        r, w = os.pipe()
        os.close(r)  # the reader has gone before the check prints
        try:
            done = subprocess.run([*cmd, *argv], env=env, stdout=w, stderr=subprocess.PIPE,
                                  text=True)
        finally:
            os.close(w)
        got.append((done.returncode, done.stderr))
    assert got[0] == got[1] == (1, "")
