"""Ingest is transactional and idempotent; revisions never overwrite."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from attrition.errors import StoreError
from attrition.model import Batch, Observation
from attrition.store.db import Store
from attrition.store.read import Reader


def _obs(source: str, total: int, day: date = date(2024, 11, 14), cat: str = "tanks"
         ) -> Observation:
    return Observation(source, day, cat, total, address=f"https://example.org/{source}")


def test_same_input_twice_changes_nothing(fresh_db: str) -> None:
    batch = Batch("petroivaniuk", [_obs("petroivaniuk", 9319)])
    with Store(fresh_db) as store:
        first = store.ingest([batch], input="a")
        second = store.ingest([batch], input="a")
    assert (first.new, second.new, second.revised, second.unchanged) == (1, 0, 0, 1)
    with Reader(fresh_db) as r:
        assert len(r.observations(latest_only=False)) == 1


def test_a_changed_value_is_a_new_revision_and_the_old_is_kept(fresh_db: str) -> None:
    with Store(fresh_db) as store:
        store.ingest([Batch("orc-losses", [_obs("orc-losses", 9330)])], input="a",
                     seen_at="2024-11-16T08:00:00+00:00")
        result = store.ingest([Batch("orc-losses", [_obs("orc-losses", 9338)])], input="b",
                              seen_at="2024-11-17T08:00:00+00:00")
    assert result.revised == 1
    with Reader(fresh_db) as r:
        every = r.observations(latest_only=False)
        assert [(o.total, o.revision, o.seen_at[:10]) for o in every] == [
            (9330, 1, "2024-11-16"), (9338, 2, "2024-11-17")]
        assert r.report(date(2024, 11, 14))[0].total == 9338


def test_conflicting_sources_are_kept_side_by_side_and_voted(fresh_db: str) -> None:
    with Store(fresh_db) as store:
        store.ingest([Batch(s, [_obs(s, v)]) for s, v in
                      (("petroivaniuk", 9338), ("orc-losses", 9330), ("bulletin", 9338))],
                     input="x")
    with Reader(fresh_db) as r:
        row = r.report(date(2024, 11, 14))[0]
        assert row.total == 9338 and row.sources == ("bulletin", "petroivaniuk")
        assert row.dissent == {"orc-losses": 9330} and row.method == "majority"
        assert len(r.observations()) == 3


def test_votes_known_only_from_the_snapshot_survive_a_new_ingest(loaded_db: str,
                                                                  tmp_path: Path) -> None:
    """minfin's rows are not shipped; its votes must still count when a day is re-resolved."""
    copy = tmp_path / "copy.db"
    src = sqlite3.connect(loaded_db.removeprefix("sqlite:///"))
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    url = f"sqlite:///{copy}"
    day = date(2024, 11, 16)
    with Store(url) as store:  # a bulletin for the day re-resolves it
        store.ingest([Batch("bulletin", [_obs("bulletin", 9338, day)])], input="b")
    with Reader(url) as r:
        row = next(x for x in r.report(day) if x.category == "tanks")
    assert row.total == 9338
    assert set(row.sources) == {"bulletin", "petroivaniuk", "minfin"}


def test_failed_ingest_writes_nothing(fresh_db: str) -> None:
    with Store(fresh_db) as store:
        store.ingest([Batch("petroivaniuk", [_obs("petroivaniuk", 9319)])], input="a")
        bad = Batch("petroivaniuk", [_obs("petroivaniuk", 9320, date(2024, 11, 15)),
                                     _obs("petroivaniuk", 2**70, date(2024, 11, 16))])
        with pytest.raises((StoreError, OverflowError)):
            store.ingest([bad], input="bad")
    with Reader(fresh_db) as r:
        assert [o.total for o in r.observations()] == [9319]


def test_the_sqlite_file_opens_in_datasette(loaded_db: str) -> None:
    pytest.importorskip("datasette")
    from datasette.app import Datasette

    path = loaded_db.removeprefix("sqlite:///")
    ds = Datasette([path])
    import asyncio

    async def fetch() -> dict[str, object]:
        resp = await ds.client.get(
            "/ledger/ledger.json?report_date=2024-11-14&category=tanks&_shape=objects")
        return json.loads(resp.text)

    doc = asyncio.run(fetch())
    rows = doc["rows"]
    assert isinstance(rows, list) and rows[0]["total"] == 9319


def test_raw_files_into_an_empty_store_give_the_bundled_ledger(
        loaded_db: str, shared_data: Path, tmp_path: Path) -> None:
    """The whole history ingested at once (resolved from memory), and in two ingests (the
    second re-resolved from the store), both equal the bundled snapshot's ledger."""
    from attrition import ingest

    def read(*folders: Path) -> list[Batch]:
        out = [ingest.read_path(f) for f in ingest.expand(list(folders))]
        return [b for b in out if isinstance(b, Batch)]

    with Reader(loaded_db) as r:
        bundled = list(r.ledger())
    once, twice = f"sqlite:///{tmp_path / 'once.db'}", f"sqlite:///{tmp_path / 'twice.db'}"
    with Store(once) as store:
        store.ingest(read(shared_data / "official", shared_data / "bulletins"), input="all")
    with Store(twice) as store:
        store.ingest(read(shared_data / "bulletins"), input="bulletins")
        store.ingest(read(shared_data / "official"), input="official")
    for url in (once, twice):
        with Reader(url) as r:
            assert list(r.ledger()) == bundled, url
