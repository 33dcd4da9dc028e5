"""The ledger as of a moment: which figures count when (a report from its Kyiv morning, a
revision from when it was first seen), the re-resolution of only what changed against the
full one over the whole history, and stores made before the time columns existed."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from attrition import ingest
from attrition.dates import kyiv, morning, parse_moment
from attrition.errors import DateError
from attrition.model import Batch
from attrition.store import asof
from attrition.store.db import Store
from attrition.store.read import Reader

DAY = date(2024, 11, 14)
CORRECTED = "2024-12-03T10:00:00+02:00"
"""When the correction of the report of 14 November was first seen (a Kyiv morning)."""


def correction_files(shared_data: Path, folder: Path, tanks: int = 9321) -> list[Path]:
    """The real records of 2024-11-14 from the PetroIvaniuk and orc-losses files, with the
    tanks figure changed in both (two of the three witnesses: the vote follows them)."""
    off = shared_data / "official"
    pi = json.loads((off / "2022-Ukraine-Russia-War-Dataset/russia_losses_equipment.json")
                    .read_bytes())
    orc = json.loads((off / "orc-losses/russian-losses.json").read_bytes())
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, rows, key in (("russia_losses_equipment.json", pi, "tank"),
                            ("russian-losses.json", orc, "tanks")):
        day = [dict(r) for r in rows if r["date"] == DAY.isoformat()]
        assert len(day) == 1
        day[0][key] = tanks
        path = folder / name
        path.write_text(json.dumps(day))
        out.append(path)
    return out


def ingest_files(url: str, paths: list[Path], seen_at: str) -> None:
    batches = [ingest.read_path(p) for p in paths]
    assert all(isinstance(b, Batch) for b in batches)
    with Store(url) as store:
        store.ingest([b for b in batches if isinstance(b, Batch)], input="correction",
                     seen_at=seen_at)


@pytest.fixture(scope="module")
def corrected(loaded_db: str, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> str:
    """The bundled history, then on 3 December 2024 a correction of the report of
    14 November: tanks 9319 -> 9321 in two mirrors."""
    folder = tmp_path_factory.mktemp("corrected")
    path = folder / "ledger.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    ingest_files(url, correction_files(shared_data, folder / "files"), CORRECTED)
    return url


@pytest.fixture(scope="module")
def revised_often(corrected: str, shared_data: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> str:
    """`corrected`, plus: orc-losses' stale tanks of 2024-11-16 (9330) set right to 9338 on
    2024-11-20 (a revision); PetroIvaniuk's tanks of 2023-10-02 (4712, disputed against the
    minfin CSV's 4717) revised to 4717 on 2025-01-10; and orc-losses filling a day of its
    150-day hole (2023-10-05, PetroIvaniuk's figures) on 2025-02-01 (a first figure)."""
    folder = tmp_path_factory.mktemp("revised")
    path = folder / "ledger.db"
    shutil.copy(corrected.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    pi = json.loads((shared_data / "official/2022-Ukraine-Russia-War-Dataset/"
                     "russia_losses_equipment.json").read_bytes())
    files = {
        "2024-11-16": ("russian-losses.json", [{
            "date": "2024-11-16", "tanks": 9338,
            "sourceUri": "https://mod.gov.ua/news/zagalni-bojovi-vtrati-rosiyan-za-dobu-"
                         "1-650-okupantiv-28-bpla-ta-28-artsistem"}], "2024-11-20T12:00:00Z"),
        "2023-10-02": ("russia_losses_equipment.json", [
            {**r, "tank": 4717} for r in pi if r["date"] == "2023-10-02"],
            "2025-01-10T08:00:00+02:00"),
        "2023-10-05": ("russian-losses.json", [{
            "date": "2023-10-05", "tanks": next(r["tank"] for r in pi
                                                if r["date"] == "2023-10-05"),
            "sourceUri": "https://www.mil.gov.ua/news/2023/10/05/x"}],
            "2025-02-01T08:00:00+02:00"),
    }
    for day, (name, rows, seen) in files.items():
        out = folder / day / name
        out.parent.mkdir()
        out.write_text(json.dumps(rows))
        ingest_files(url, [out], seen)
    return url


def cell(ledger: asof.LedgerAt | Reader, day: date, cat: str) -> object:
    return next(r for r in ledger.report(day) if r.category == cat)


def ledger_at(url: str, when: str) -> asof.LedgerAt:
    reader = Reader(url)
    return asof.LedgerAt(reader, asof.at(reader, parse_moment(when)))


# -- when a figure counts -----------------------------------------------------------------


def test_a_report_counts_from_nine_in_the_kyiv_morning_of_its_date(loaded_db: str) -> None:
    """The 2024 article case: the bundled history was loaded today, yet as of 10:00 Kyiv on
    14 November 2024 the ledger has that morning's report, and as of 08:00 it does not."""
    before = ledger_at(loaded_db, "2024-11-14T08:00")
    after = ledger_at(loaded_db, "2024-11-14T10:00")
    assert before.latest_date() == date(2024, 11, 13)
    assert before.report(DAY) == []
    assert after.latest_date() == DAY
    assert cell(after, DAY, "tanks").total == 9319  # type: ignore[attr-defined]
    assert cell(after, DAY, "tanks").change == 19  # type: ignore[attr-defined]
    # 09:00 itself counts; a bare date is the end of that day
    assert ledger_at(loaded_db, "2024-11-14T09:00").latest_date() == DAY
    assert ledger_at(loaded_db, "2024-11-14").latest_date() == DAY
    assert ledger_at(loaded_db, "2024-11-14T08:59:59").latest_date() == date(2024, 11, 13)
    assert ledger_at(loaded_db, "2022-02-24T08:00").latest_date() is None


def test_the_morning_follows_kyiv_summer_time() -> None:
    """09:00 Kyiv is 07:00 UTC in winter and 06:00 UTC in summer: the clocks went forward
    on 31 March 2024 and back on 27 October 2024."""
    assert morning(date(2024, 3, 30)).astimezone(UTC).hour == 7
    assert morning(date(2024, 3, 31)).astimezone(UTC).hour == 6
    assert morning(date(2024, 10, 26)).astimezone(UTC).hour == 6
    assert morning(date(2024, 10, 27)).astimezone(UTC).hour == 7


@pytest.mark.parametrize(("when", "latest"), [
    ("2024-03-30T06:30:00Z", date(2024, 3, 29)),   # 08:30 EET: not yet
    ("2024-03-31T06:30:00Z", date(2024, 3, 31)),   # 09:30 EEST: published
    ("2024-10-27T06:30:00Z", date(2024, 10, 26)),  # 08:30 EET again: not yet
    ("2024-10-27T06:30:00+00:00", date(2024, 10, 26)),
    ("2024-10-27T09:30+02:00", date(2024, 10, 27)),
    ("2024-10-26T06:30:00Z", date(2024, 10, 26)),  # 09:30 EEST the day before
])
def test_a_moment_across_daylight_saving(loaded_db: str, when: str, latest: date) -> None:
    assert ledger_at(loaded_db, when).latest_date() == latest


def test_times_as_users_give_them() -> None:
    assert parse_moment("2024-11-14T10:00") == datetime(2024, 11, 14, 10, tzinfo=kyiv())
    assert parse_moment("2024-11-14 10:00") == datetime(2024, 11, 14, 10, tzinfo=kyiv())
    assert parse_moment("2024-11-14T08:00Z") == datetime(2024, 11, 14, 8, tzinfo=UTC)
    end = parse_moment("2024-11-14")
    assert end.astimezone(kyiv()).date() == DAY and end.astimezone(kyiv()).hour == 23
    for bad in ("14.11.2024", "2024-13-01", "yesterday at noon", "", "2024-11-14T25:00",
                "3024-01-01"):
        with pytest.raises(DateError, match="time"):
            parse_moment(bad)
    with pytest.raises(DateError, match=re.escape("'14.11.2024'")):
        parse_moment("14.11.2024")


def test_a_bulletin_counts_from_the_time_its_page_gives(fresh_db: str, shared_data: Path
                                                         ) -> None:
    """SOURCES.md records that the page of the report of 2022-06-13 appeared at 09:15 Kyiv:
    the bulletin's figures count from then, later than the 09:00 morning."""
    path = shared_data / "bulletins" / "2022-06-13.en.txt"
    batch = ingest.read_path(path)
    assert isinstance(batch, Batch)
    assert batch.published_at == "2022-06-13T09:15:00+03:00"
    with Store(fresh_db) as store:
        store.ingest([batch], input=str(path))
    with Reader(fresh_db) as r:
        rows = r.timed_observations(days=[date(2022, 6, 13)])
        assert {asof.effective(x) for x in rows} == {
            datetime(2022, 6, 13, 9, 15, tzinfo=kyiv())}
        assert asof.at(r, parse_moment("2022-06-13T09:10")).latest is None
        assert asof.at(r, parse_moment("2022-06-13T09:20")).latest == date(2022, 6, 13)


# -- a correction seen later --------------------------------------------------------------


def test_the_old_figure_before_the_correction_and_the_new_one_after(corrected: str) -> None:
    before = ledger_at(corrected, "2024-12-03T09:59")
    after = ledger_at(corrected, "2024-12-03T10:00")
    now = Reader(corrected)
    assert cell(before, DAY, "tanks").total == 9319  # type: ignore[attr-defined]
    assert cell(before, DAY, "tanks").change == 19  # type: ignore[attr-defined]
    assert cell(after, DAY, "tanks").total == 9321  # type: ignore[attr-defined]
    assert cell(after, DAY, "tanks").change == 21  # type: ignore[attr-defined]
    assert cell(now, DAY, "tanks").total == 9321  # type: ignore[attr-defined]
    # the next report's change moves with it, then and now
    nxt = date(2024, 11, 15)
    assert cell(before, nxt, "tanks").change == cell(after, nxt, "tanks").change + 2  # type: ignore[attr-defined]
    assert before.revisions(DAY, "tanks")[0].seen_at == CORRECTED
    assert {r.source for r in before.revisions(DAY, "tanks")} == {"petroivaniuk",
                                                                  "orc-losses"}
    assert after.revisions(DAY, "tanks") == []
    # as of the article's morning the report of the 14th stands as published
    assert cell(ledger_at(corrected, "2024-11-14T10:00"), DAY, "tanks").total == 9319  # type: ignore[attr-defined]
    # the series as of then, too
    rows = before.series("tanks", date(2024, 11, 13), date(2024, 11, 15))
    assert [r.total for r in rows] == [9300, 9319, 9330]


def test_as_of_now_is_the_stored_ledger_in_every_cell(corrected: str) -> None:
    with Reader(corrected) as r:
        stored = list(r.ledger())
        moment = asof.at(r, datetime.now(UTC))
        assert moment.current
        assert list(asof.LedgerAt(r, moment).ledger()) == stored
        assert asof.LedgerAt(r, moment).by_category() == {  # the store's, in date order
            cat: sorted(rows) for cat, rows in r.by_category().items()}


def _compare_whole_history(url: str, when: str) -> None:
    with Reader(url) as r:
        moment = parse_moment(when)
        fast = {(x.report_date, x.category): x
                for x in asof.LedgerAt(r, asof.at(r, moment)).ledger()}
        full = asof.resolve_all(r, moment)
    assert fast.keys() == full.keys()
    assert [k for k in full if fast[k] != full[k]] == []


@pytest.mark.slow
@pytest.mark.parametrize("when", [
    "2023-10-02T10:00", "2024-11-14T08:00", "2024-11-14T10:00", "2024-11-20T13:00",
    "2024-12-03T09:59", "2024-12-03T10:00", "2025-01-09", "2026-08-22T08:00", "now"])
def test_the_moment_equals_a_full_re_resolution_over_the_whole_history(
        revised_often: str, when: str) -> None:
    """Re-resolving only the reports with figures to come, and the newest, gives what
    re-resolving every report from the figures effective then gives, cell by cell."""
    _compare_whole_history(revised_often, when)


def test_revisions_of_dissent_and_of_a_disputed_cell(revised_often: str) -> None:
    stale = date(2024, 11, 16)
    before = cell(ledger_at(revised_often, "2024-11-20T13:59+02:00"), stale, "tanks")
    after = cell(ledger_at(revised_often, "2024-11-20T14:00+02:00"), stale, "tanks")
    assert before.total == after.total == 9338  # type: ignore[attr-defined]
    assert before.dissent == {"orc-losses": 9330}  # type: ignore[attr-defined]
    assert after.dissent == {} and after.method == "unanimous"  # type: ignore[attr-defined]
    disputed = date(2023, 10, 2)
    then = cell(ledger_at(revised_often, "2025-01-09"), disputed, "tanks")
    now = cell(ledger_at(revised_often, "2025-01-10T08:00"), disputed, "tanks")
    assert then.total == 4712 and then.method == "disputed"  # type: ignore[attr-defined]
    assert now.total == 4717 and now.method == "unanimous"  # type: ignore[attr-defined]
    assert cell(ledger_at(revised_often, "2023-10-03"), disputed, "tanks").total == 4712  # type: ignore[attr-defined]
    # a source's first figure for a report counts from that report's morning, however late
    # it came: a copy of what was published then
    filled = cell(ledger_at(revised_often, "2023-10-05T10:00"), date(2023, 10, 5), "tanks")
    assert "orc-losses" in filled.sources  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_bundled_ledger_is_a_full_re_resolution_of_its_figures(loaded_db: str) -> None:
    """Now, with no revision: resolving every stored figure again (and the votes known only
    from the ledger) gives the stored ledger, every cell and every change."""
    with Reader(loaded_db) as r:
        stored = {(x.report_date, x.category): x for x in r.ledger()}
        full = asof.resolve_all(r, datetime.now(UTC))
    assert full.keys() == stored.keys()
    assert [k for k in stored if stored[k] != full[k]] == []


# -- stores made before the columns existed ------------------------------------------------

MAIN_OBSERVATIONS = """CREATE TABLE observations (
	id INTEGER NOT NULL, source VARCHAR(40) NOT NULL, report_date VARCHAR(10) NOT NULL,
	covers VARCHAR(10) NOT NULL, category VARCHAR(40) NOT NULL, total BIGINT,
	announced_change BIGINT, qualifier VARCHAR(20), address TEXT, revision INTEGER NOT NULL,
	seen_at VARCHAR(32) NOT NULL, input TEXT, PRIMARY KEY (id),
	CONSTRAINT uq_observation_revision UNIQUE (source, report_date, category, revision))"""
"""The observations table as the store made it before `published_at` (main, 2026-12-01)."""


@pytest.fixture
def old_store(loaded_db: str, tmp_path: Path) -> str:
    """The bundled store with its observations table as main made it."""
    path = tmp_path / "old.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("ALTER TABLE observations RENAME TO new_observations")
        conn.execute(MAIN_OBSERVATIONS)
        conn.execute("INSERT INTO observations SELECT id, source, report_date, covers, "
                     "category, total, announced_change, qualifier, address, revision, "
                     "seen_at, input FROM new_observations")
        conn.execute("DROP TABLE new_observations")
    conn.close()
    return f"sqlite:///{path}"


def test_a_store_made_before_is_read_as_of_a_moment_unchanged(old_store: str) -> None:
    with Reader(old_store) as r:
        assert not r._has_published()
        assert asof.at(r, parse_moment("2024-11-14T10:00")).latest == DAY
        assert cell(ledger_at(old_store, "2024-11-14T10:00"), DAY, "tanks").total == 9319  # type: ignore[attr-defined]


def test_a_store_made_before_gets_the_column_and_keeps_its_figures(
        old_store: str, shared_data: Path, tmp_path: Path) -> None:
    with Reader(old_store) as r:
        before = list(r.ledger())
        n = len(r.observations(latest_only=False))
    with Store(old_store):
        pass
    conn = sqlite3.connect(old_store.removeprefix("sqlite:///"))
    columns = [row[1] for row in conn.execute("PRAGMA table_info(observations)")]
    indexes = [row[1] for row in conn.execute("PRAGMA index_list(observations)")]
    conn.close()
    assert columns[-1] == "published_at" and "ix_observations_later" in indexes
    with Reader(old_store) as r:
        assert list(r.ledger()) == before
        assert len(r.observations(latest_only=False)) == n
    ingest_files(old_store, correction_files(shared_data, tmp_path / "c"), CORRECTED)
    assert cell(ledger_at(old_store, "2024-12-01"), DAY, "tanks").total == 9319  # type: ignore[attr-defined]
    assert cell(ledger_at(old_store, "2024-12-04"), DAY, "tanks").total == 9321  # type: ignore[attr-defined]


# -- PostgreSQL ------------------------------------------------------------------------------


def test_postgresql_answers_as_of_a_moment_as_sqlite_does(corrected: str, shared_data: Path,
                                                         tmp_path: Path) -> None:
    """The same store on PostgreSQL (ATTRITION_TEST_DB_URL; `.ci/run` starts one) gives the
    same ledger at every moment, cell by cell, and the same history."""
    import os

    from attrition import service
    from attrition.bootstrap import ensure_loaded
    from attrition.store import schema

    url = os.environ.get("ATTRITION_TEST_DB_URL")
    if not url:
        if os.environ.get("ATTRITION_REQUIRE_SERVICES") == "1":
            pytest.fail("ATTRITION_TEST_DB_URL is not set (CI must start PostgreSQL)")
        pytest.skip("no PostgreSQL: set ATTRITION_TEST_DB_URL")
    with Store(url) as store:
        schema.metadata.drop_all(store.engine)
    ensure_loaded(url)
    ingest_files(url, correction_files(shared_data, tmp_path / "files"), CORRECTED)
    with Reader(url) as pg, Reader(corrected) as lite:
        for when in ("2024-11-14T08:00", "2024-12-01", "2024-12-03T10:00", "now"):
            at = parse_moment(when)
            got = list(asof.LedgerAt(pg, asof.at(pg, at)).ledger())
            assert got == list(asof.LedgerAt(lite, asof.at(lite, at)).ledger()), when
        assert pg._has_published()
        keys = ("category", "source", "revision", "total", "effective_at", "seen_at")
        assert [{k: r[k] for k in keys} for r in service.history(pg, DAY)["revisions"]] == \
            [{k: r[k] for k in keys} for r in service.history(lite, DAY)["revisions"]]
    with Store(url) as store:
        schema.metadata.drop_all(store.engine)
