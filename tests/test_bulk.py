"""An ingest's bulk work runs with the cyclic garbage collector paused, and leaves it as it
found it (on, or off where the caller had turned it off), also when the ingest fails."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest

from attrition import service
from attrition.bulk import gc_paused
from attrition.errors import AttritionError


def test_nested_pauses_restore_the_collector_once_the_outermost_ends() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own choice stands
    finally:
        gc.enable()


def test_an_ingest_pauses_the_collector_and_restores_it(loaded_db: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    from attrition.store.db import Store

    db = tmp_path / "store.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), db)
    url = f"sqlite:///{db}"
    day = tmp_path / "day.json"
    day.write_text(json.dumps([{"date": "2026-08-23", "sourceUri": "https://mod.gov.ua/news/a",
                                "personnel": 1476300, "tanks": 12295}]), "utf-8")
    seen = []
    real = Store.ingest

    def ingest(self: Store, *a: object, **k: object) -> object:
        seen.append(gc.isenabled())
        return real(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "ingest", ingest)
    service.ingest_files(url, [day])
    assert seen == [False] and gc.isenabled()
    bad = tmp_path / "bad.json"
    bad.write_text("[{]", "utf-8")
    with pytest.raises(AttritionError):
        service.ingest_files(url, [bad])
    assert gc.isenabled()
