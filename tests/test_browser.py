"""The dashboard in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium,
never a downloaded one) against `attrition serve` on loopback. Screenshots go to the test's
output folder (or ATTRITION_SCREENSHOTS)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = os.environ.get("ATTRITION_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("ATTRITION_REQUIRE_SERVICES") == "1"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIXTURES = Path(__file__).parent / "fixtures"


def _need(ok: bool, why: str) -> None:
    if ok:
        return
    if REQUIRED:
        pytest.fail(f"{why} (CI must provide it)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def server(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("serve") / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ATTRITION_DB": str(path)}
    log = path.with_suffix(".log")
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "attrition.cli", "serve", "--port",
                                 str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/api/sources", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited: {log.read_text()}")
            time.sleep(0.1)
        else:
            raise RuntimeError("serve did not start in 15 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright is not installed")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("ATTRITION_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_dashboard_shows_the_latest_figures(server: str, browser: Any, shots: Path) -> None:
    latest = httpx.get(server + "/api/report/latest").json()
    tanks = next(f for f in latest["figures"] if f["category"] == "tanks")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")
    card = page.locator('article.card[data-category="tanks"]')
    shown = card.locator(".total").inner_text().replace("\u2009", "").replace(",", "")
    assert int(shown) == tanks["total"]
    assert card.locator(".change").inner_text().startswith(f"+{tanks['change']}")
    assert latest["date"] in page.locator("#report-title").inner_text()
    badge = page.locator("#data-age")
    assert "stale" in (badge.get_attribute("class") or "")  # the bundled data is months old
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    page.close()


def test_phone_layout_and_language_switch(server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/")
    page.locator("#lang-uk").click()
    page.wait_for_load_state("networkidle")
    assert "Зведення від" in page.locator("#report-title").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(shots / "dashboard-uk-phone.png"), full_page=False)
    page.close()


def test_check_of_a_pasted_article_shows_verdicts(server: str, browser: Any,
                                                  shots: Path) -> None:
    article = (FIXTURES / "articles" / "daily-2024-11-14.txt").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/check")
    page.fill("#text", article)
    page.click("#run-check")
    page.wait_for_selector("#results")
    assert page.locator("button.claim.v-supported").count() >= 3
    first = page.locator("button.claim").first
    box = page.locator(f"#{first.get_attribute('data-ev')}")
    assert box.is_hidden()
    first.click()
    assert box.is_visible() and "report of 2024-11-14" in box.inner_text()
    page.screenshot(path=str(shots / "check.png"), full_page=True)
    page.close()


def test_hostile_article_markup_does_not_execute(server: str, browser: Any,
                                                 shots: Path) -> None:
    hostile = ("---\npublished: 2024-11-14\n---\n"
               "Russia lost 19 tanks <script>window.__pwned = 1; alert('x')</script> over the "
               "past day. <img src=x onerror=\"window.__pwned = 2; alert('y')\"> It also lost "
               "51 armoured fighting vehicles. <svg onload=\"window.__pwned = 3\"></svg>")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/check")
    page.fill("#text", hostile)
    page.click("#run-check")
    page.wait_for_selector("#results")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None and dialogs == []
    assert page.locator("#results script, #results img, #results svg").count() == 0
    assert "<script>" in page.locator("#results").inner_text()  # shown as text
    page.screenshot(path=str(shots / "hostile.png"), full_page=True)
    page.close()


def test_brief_copy_button_and_compare_page(server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page()
    page.goto(server + "/brief?date=2024-11-14")
    text = page.locator("#brief-text").inner_text()
    assert "124 vehicles and fuel tanks" in text and "Oryx had visually confirmed" in text
    page.locator("button.copy").click()
    page.wait_for_function("document.querySelector('button.copy').textContent === 'Copied'")
    page.goto(server + "/compare?to=2025-07-19")
    row = page.locator("#compare-table tbody tr").first
    assert "tanks" in row.inner_text() and "2.71" in row.inner_text()
    page.screenshot(path=str(shots / "compare.png"), full_page=True)
    page.close()
