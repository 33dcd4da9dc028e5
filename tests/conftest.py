from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def copy_db(loaded_db: str, folder: Path) -> str:
    """A private copy of the loaded store in `folder`, as a URL: for a test that writes."""
    import shutil

    path = folder / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(loaded_db: str, tmp_path: Path) -> str:
    """A copy of the loaded store of the test's own (its URL), to write to."""
    return copy_db(loaded_db, tmp_path)


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def reader(loaded_db: str) -> Iterator[object]:
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        yield r


# -- a real browser for the dashboard tests (test_browser.py, test_browser_monitor.py):
# Debian's Chromium through Playwright; CI must provide both, elsewhere they are skipped.
CHROMIUM = os.environ.get("ATTRITION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def need(ok: bool, why: str) -> None:
    """Skip without a service, but fail in CI, which must provide it."""
    if ok:
        return
    if os.environ.get("ATTRITION_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{why} (CI must provide it)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: ATTRITION_SCREENSHOTS, or the test's own folder."""
    out = Path(os.environ.get("ATTRITION_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    return out
