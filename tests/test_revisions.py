"""No mirror rewrites history silently: a source's new file is a revision of that witness,
a partial file retracts nothing, re-reading a file restores its values, a change to history is
listed by `validate`, and a two-witness disagreement is disputed, never silently resolved.
The scenarios are the ones found against the real data (issue 13)."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

from attrition import ingest
from attrition.model import Batch
from attrition.store.db import Store
from attrition.store.read import Reader
from attrition.validate import validate

LAST = date(2026, 8, 22)


def _ingest(url: str, path: Path, seen_at: str) -> None:
    batch = ingest.read_path(path)
    assert isinstance(batch, Batch)
    with Store(url) as store:
        store.ingest([batch], input=str(path), seen_at=seen_at)


def _totals(url: str) -> dict[tuple[date, str], int]:
    with Reader(url) as r:
        return {(x.report_date, x.category): x.total for x in r.ledger()}


def _cell(url: str, day: date, cat: str) -> object:
    with Reader(url) as r:
        return next(x for x in r.report(day) if x.category == cat)


def _orc_file(shared_data: Path, tmp_path: Path, name: str, days: int,
              tanks: int | None = None) -> Path:
    """The newest `days` records of the real orc-losses file, tanks of 2026-08-22 changed."""
    rows = json.loads((shared_data / "official/orc-losses/russian-losses.json").read_bytes())
    rows = rows[:days]  # newest first
    if tanks is not None:
        rows[0] = {**rows[0], "tanks": tanks}
    folder = tmp_path / name
    folder.mkdir()
    out = folder / "russian-losses.json"
    out.write_text(json.dumps(rows))
    return out


def test_a_wrong_mirror_file_is_a_disputed_revision_and_the_right_one_restores(
        db: str, shared_data: Path, tmp_path: Path) -> None:
    before = _totals(db)
    assert before[(LAST, "tanks")] == 12292
    wrong = _orc_file(shared_data, tmp_path, "wrong", 5, tanks=12392)
    _ingest(db, wrong, "2026-12-01T08:00:00+00:00")
    cell = _cell(db, LAST, "tanks")
    # two witnesses, two values: disputed, and the mirror's lone rewrite does not carry it
    assert cell.total == 12292 and cell.method == "disputed"  # type: ignore[attr-defined]
    assert cell.dissent == {"orc-losses": 12392}  # type: ignore[attr-defined]
    assert _totals(db) == before  # nothing else moved: the file was partial
    with Reader(db) as r:
        every = r.observations(latest_only=False)
        revs = [(o.total, o.revision, o.seen_at) for o in every
                if o.source == "orc-losses" and o.report_date == LAST and o.category == "tanks"]
        assert revs[0][:2] == (12292, 1)
        assert revs[-1] == (12392, 2, "2026-12-01T08:00:00+00:00")
        found = validate(list(r.ledger()), r.latest_of(every), history=every)
    rewritten = [f for f in found if f.kind == "history_rewritten"]
    assert [(f.report_date, f.category, f.source, f.data["from"], f.data["to"])
            for f in rewritten] == [(LAST, "tanks", "orc-losses", 12292, 12392)]
    assert any(f.kind == "disputed" and f.report_date == LAST and f.category == "tanks"
               for f in found)
    # the right file again: a third revision of the witness, with the first one's values
    right = _orc_file(shared_data, tmp_path, "right", 5)
    _ingest(db, right, "2026-12-02T08:00:00+00:00")
    cell = _cell(db, LAST, "tanks")
    assert cell.total == 12292 and cell.method == "unanimous"  # type: ignore[attr-defined]
    assert _totals(db) == before


def test_a_partial_minfin_file_retracts_no_vote(db: str, shared_data: Path,
                                                tmp_path: Path) -> None:
    """minfin's rows are not shipped: its votes live in the ledger. A 3-row minfin CSV must
    not drop them on other dates, then or at any later re-resolution."""
    day = date(2024, 6, 22)
    cell = _cell(db, day, "artillery")
    assert cell.total == 14188  # type: ignore[attr-defined]
    assert cell.dissent == {"petroivaniuk": 14134}  # type: ignore[attr-defined]
    before = _totals(db)
    lines = (shared_data / "official/russian-Losses-in-Ukraine/russia_losses.csv").read_text(
        "utf-8").splitlines()
    small = tmp_path / "minfin" / "russia_losses.csv"
    small.parent.mkdir()
    small.write_text("\n".join([lines[0], *lines[-3:]]) + "\n")
    _ingest(db, small, "2026-12-01T08:00:00+00:00")
    # a later ingest re-resolves every date orc-losses has (all of 2024 included)
    _ingest(db, shared_data / "official/orc-losses/russian-losses.json",
            "2026-12-01T09:00:00+00:00")
    assert _cell(db, day, "artillery").total == 14188  # type: ignore[attr-defined]
    after = _totals(db)
    assert {k for k in before if before[k] != after.get(k)} == set()


def test_reingesting_the_same_file_adds_no_revision(db: str, shared_data: Path,
                                                    tmp_path: Path) -> None:
    path = _orc_file(shared_data, tmp_path, "same", 3)
    with Reader(db) as r:
        n = len(r.observations(latest_only=False))
    _ingest(db, path, "2026-12-01T08:00:00+00:00")
    _ingest(db, path, "2026-12-01T09:00:00+00:00")
    with Reader(db) as r:
        assert len(r.observations(latest_only=False)) == n


def test_press_never_votes_beside_its_bulletin_nor_is_cited(db: str, shared_data: Path
                                                            ) -> None:
    """`attrition ingest ../shared/data/bulletins`, as the README says: the reproductions in
    secondary/ are press witnesses, and no cell cites a news page or a local file."""
    files = ingest.expand([shared_data / "bulletins"])
    batches = [ingest.read_path(f) for f in files]
    assert all(isinstance(b, Batch) for b in batches)
    sources = {Path(b.address or "").parent.name: set() for b in batches}  # type: ignore[union-attr]
    for b in batches:
        sources[Path(b.address or "").parent.name].add(b.source)  # type: ignore[union-attr]
    assert sources == {"bulletins": {"bulletin"}, "secondary": {"press"}}
    with Store(db) as store:
        store.ingest([b for b in batches if isinstance(b, Batch)], input="bulletins")
    with Reader(db) as r:
        rows = list(r.ledger())
    for row in rows:
        assert not (row.address or "").startswith("/"), row
        assert not ({"press", "bulletin"} <= set(row.sources)), row
        if row.address:
            assert ingest.is_official(row.address), row
    brief_day = [r for r in rows if r.report_date == date(2026, 1, 2)]
    assert brief_day and all(r.address is None or "mod.gov.ua" in r.address
                             for r in brief_day)
    primary = next(r for r in rows if r.report_date == date(2022, 4, 23)
                   and r.category == "tanks")
    assert "bulletin" in primary.sources and "press" not in primary.sources


def test_early_2022_copies_do_not_settle_a_cell(reader: Reader) -> None:
    """Tanks 150 on both 2022-02-27 and 02-28 (PetroIvaniuk and the minfin CSV): on 02-27
    orc-losses' row is a copy of 02-26 (every moved figure equals the day before's), so the
    150 stands; on 02-28 orc-losses has 191, between 150 and 198, and nothing in the data
    settles whether the count moved: disputed."""
    tanks = {r.report_date: r for r in reader.series("tanks", date(2022, 2, 26),
                                                    date(2022, 3, 1))}
    assert tanks[date(2022, 2, 27)].total == 150
    assert tanks[date(2022, 2, 27)].method == "majority"
    assert tanks[date(2022, 2, 28)].method == "disputed"
    assert tanks[date(2022, 2, 28)].dissent == {"orc-losses": 191}


def test_an_incremental_resolution_keeps_every_change_a_difference_of_totals(
        db: str, tmp_path: Path) -> None:
    """A witness that settles a disputed cell mid-history moves that day's total; the changes
    of that day and the next follow, and nothing else moves (the ledger is not re-read)."""
    day = date(2023, 10, 2)
    assert _cell(db, day, "tanks").method == "disputed"  # type: ignore[attr-defined]
    before = _totals(db)
    path = tmp_path / "orc" / "russian-losses.json"
    path.parent.mkdir()
    path.write_text(json.dumps([{"date": "2023-10-02", "tanks": 4717,
                                 "sourceUri": "https://www.mil.gov.ua/news/2023/10/02/x"}]))
    _ingest(db, path, "2026-12-01T08:00:00+00:00")
    cell = _cell(db, day, "tanks")
    assert cell.total == 4717 and cell.method == "majority"  # type: ignore[attr-defined]
    after = _totals(db)
    assert {k for k in before if before[k] != after[k]} == {(day, "tanks")}
    with Reader(db) as r:
        for cat in ("tanks", "afv", "personnel", "vehicles_fuel_tanks"):
            rows = r.series(cat)
            for prev, cur in itertools.pairwise(rows):
                assert cur.change == cur.total - prev.total, (cat, cur.report_date)
