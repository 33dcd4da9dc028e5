"""The monitor in a real browser (Debian's Chromium through Playwright, as
tests/test_browser.py drives it): /monitor's filters, and a claim's page with its
ClaimReview JSON-LD, on a desktop and a 390 px phone. The register is filled by the real
checker from our fixture articles. Screenshots go to ATTRITION_SCREENSHOTS or the test's
folder."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from attrition.store.db import Store
from conftest import copy_db
from registered import fill
from schemaorg import problems

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("monitor-serve")
    url = copy_db(loaded_db, folder)
    with Store(url) as store:
        fill(store.engine, url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ATTRITION_DB": url}
    log = folder / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "attrition.cli", "serve", "--port",
                                 str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/api/monitor", timeout=1).status_code == 200:
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


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_monitor_filters_work(server: str, browser: Any, shots: Path, device: str) -> None:
    page = browser.new_page(viewport=VIEWPORTS[device])
    page.goto(server + "/monitor")
    assert page.locator("li.article").count() == 5
    assert page.locator("#tally tbody tr").count() == 3
    steppe = page.locator('#tally tr[data-outlet="Steppe Courier"]')
    assert steppe.locator(".share").inner_text().strip() == "25.0 %"
    assert _fits(page)
    page.screenshot(path=str(shots / f"monitor-{device}.png"), full_page=True)
    # filter: one outlet, then a verdict, through the form as a person would
    page.select_option("#f-outlet", "Harbour Gazette")
    page.click("#monitor-go")
    page.wait_for_load_state("load")
    assert "outlet=Harbour+Gazette" in page.url
    outlets = page.locator("li.article").evaluate_all(
        "els => els.map(e => e.dataset.outlet)")
    assert outlets == ["Harbour Gazette", "Harbour Gazette"]
    page.select_option("#f-verdict", "mislabeled")
    page.click("#monitor-go")
    page.wait_for_load_state("load")
    figs = page.locator("a.fig")
    assert figs.count() == 1 and figs.first.inner_text().startswith("77 tanks")
    assert figs.first.get_attribute("data-verdict") == "mislabeled"
    # the form keeps what was chosen
    assert page.locator("#f-outlet").input_value() == "Harbour Gazette"
    assert page.locator("#f-verdict").input_value() == "mislabeled"
    # dates: only June's articles
    page.goto(server + "/monitor")
    page.fill("#f-from", "2024-06-01")
    page.fill("#f-to", "2024-06-30")
    page.click("#monitor-go")
    page.wait_for_load_state("load")
    days = page.locator("li.article").evaluate_all("els => els.map(e => e.dataset.day)")
    assert days == ["2024-06-11", "2024-06-10"]
    assert _fits(page)
    page.screenshot(path=str(shots / f"monitor-filtered-{device}.png"), full_page=True)
    # a figure links to its page
    page.locator("a.fig.v-contradicted").first.click()
    page.wait_for_load_state("load")
    assert "/claims/" in page.url
    assert page.locator("#as-written").inner_text() == "46 artillery systems"
    page.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_claim_page_has_parsable_claimreview(server: str, browser: Any, shots: Path,
                                             device: str) -> None:
    doc = httpx.get(server + "/api/monitor?verdict=contradicted").json()
    cid = doc["articles"][0]["claims"][0]["id"]
    page = browser.new_page(viewport=VIEWPORTS[device])
    page.goto(f"{server}/claims/{cid}")
    scripts = page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    ld = json.loads(scripts.first.text_content() or "")
    assert problems(ld, need_url=True) == []
    assert ld["@type"] == "ClaimReview" and ld["url"] == f"{server}/claims/{cid}"
    assert ld["reviewRating"]["ratingValue"] == 1
    assert page.locator("#verdict").inner_text() == "contradicted"
    assert "the ledger has 51" in page.locator("#why").inner_text()
    cells = page.locator("table.cells tbody tr").first.inner_text()
    assert "2024-06-10" in cells and "13,644" in cells and "+51" in cells
    assert "not independently confirmed" in page.locator("#note").inner_text()
    assert _fits(page)
    page.screenshot(path=str(shots / f"claim-{device}.png"), full_page=True)
    page.close()
