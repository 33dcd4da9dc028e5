from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    # the brief cache of every CLI process the tests start goes to a folder of their own,
    # never the user's cache
    import tempfile

    os.environ.setdefault("ATTRITION_CACHE", tempfile.mkdtemp(prefix="attrition-cache-"))
SHARED = Path(os.environ.get("ATTRITION_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not DATA.exists():
        pytest.skip("shared/data is not beside the project")
    return DATA


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file holding the bundled snapshot (read-only for tests that share it)."""
    from attrition.bootstrap import ensure_loaded

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'ledger.db'}"
    ensure_loaded(url)
    return url


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def reader(loaded_db: str) -> Iterator[object]:
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        yield r
