"""The dashboard in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium,
never a downloaded one) against `attrition serve` on loopback. Screenshots go to the test's
output folder (or ATTRITION_SCREENSHOTS)."""

from __future__ import annotations

import os
import re
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

FIXTURES = Path(__file__).parent / "fixtures"


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


# -- issue 14: what a user meets on each page ---------------------------------------------

# Own words, real figures of the report of 2024-11-14: a comparative claim whose span covers
# the whole sentence, overlapping four numbers in it.
UK_ARTICLE = ("---\npublished: 2024-11-14\n---\nЗа минулу добу росіяни втратили 1690 осіб, "
              "повідомив Генштаб у четвер. Загалом з початку вторгнення ворог втратив 716 070 "
              "осіб, 9319 танків та 18 947 бойових броньованих машин, а також 124 автомобілі "
              "за добу — найвищий показник за тиждень.")
EN_ARTICLE = ("---\npublished: 2024-11-14\n---\nRussia lost 194 vehicles over the past day, "
              "the General Staff said on Thursday, the highest daily figure in a month. Of "
              "these, 19 tanks and 51 armoured vehicles were destroyed.\n\nThe ministry put "
              "total losses at 716,070 troops, and said 1,690 soldiers were killed or wounded "
              "in the past 24 hours, a figure of 1690 that it called the second-highest this "
              "month.")


@pytest.mark.parametrize(("path", "label"), [("/", "Copy"), ("/?lang=uk", "Копіювати"),
                                             ("/brief", "Copy"),
                                             ("/brief?lang=uk", "Копіювати")])
def test_copy_button_reads_copy(server: str, browser: Any, path: str, label: str) -> None:
    page = browser.new_page()
    page.goto(server + path)
    assert page.locator("button.copy").inner_text().strip() == label
    page.close()


@pytest.mark.parametrize(("article", "lang"), [(EN_ARTICLE, "en"), (UK_ARTICLE, "uk")])
def test_check_page_shows_every_claim(server: str, browser: Any, shots: Path, article: str,
                                      lang: str) -> None:
    doc = httpx.post(server + "/api/check", content=article.encode(),
                     headers={"content-type": "text/plain"}).json()
    assert any(c["measure"] == "comparative" for c in doc["claims"])
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + f"/check?lang={lang}")
    page.fill("#text", article)
    page.fill("#date", "2024-11-14")
    page.click("#run-check")
    page.wait_for_selector("#results")
    shown = page.locator("#results button.claim")
    assert shown.count() == len(doc["claims"])
    for verdict, n in doc["summary"].items():
        header = page.locator(f'#results .meta [data-verdict="{verdict}"]')
        assert header.get_attribute("data-count") == str(n)
        assert page.locator(f'#results button.claim[data-verdict="{verdict}"]').count() == n
    inline = [t.strip() for t in page.locator("#results p.sentence button.claim").all_inner_texts()]
    numbers = [c["text"] for c in doc["claims"] if c["measure"] != "comparative"]
    assert sorted(inline) == sorted(numbers)  # no number swallowed by another's highlight
    chip = page.locator("#results button.claim.chip").first
    box = page.locator(f"#{chip.get_attribute('data-ev')}")
    chip.click()
    assert box.is_visible()
    assert box.locator("li").count() >= 1 and ", :" not in box.inner_text()
    text = page.locator("main").inner_text()
    assert not re.search(r"--[a-z]", text), "a CLI flag name on the page"
    assert "(--date)" not in page.content()
    page.screenshot(path=str(shots / f"check-comparative-{lang}.png"), full_page=True)
    page.close()


def test_home_page_goes_to_a_past_date(server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/?date=2024-11-14")
    assert "2024-11-14" in page.locator("#report-title").inner_text()
    card = page.locator('article.card[data-category="vehicles_fuel_tanks"]')
    assert card.locator(".total").inner_text() == "29,090"
    assert page.locator("#day-pick").input_value() == "2024-11-14"
    page.locator("#prev-day").click()
    page.wait_for_load_state()
    assert "2024-11-13" in page.locator("#report-title").inner_text()
    page.locator("#next-day").click()
    page.locator("#next-day").click()
    page.wait_for_load_state()
    assert "2024-11-15" in page.locator("#report-title").inner_text()
    page.fill("#day-pick", "2023-02-24")
    page.locator("#day-form button").click()
    page.wait_for_load_state()
    assert "2023-02-24" in page.locator("#report-title").inner_text()
    page.locator("#lang-uk").click()  # the language switch keeps the date
    page.wait_for_load_state()
    assert "2023-02-24" in page.locator("#report-title").inner_text()
    assert "Зведення від" in page.locator("#report-title").inner_text()
    page.close()


def test_home_page_reads_well(server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/?date=2024-11-14")
    page.wait_for_load_state("networkidle")
    title = page.title()
    assert title != "attrition · attrition" and "2024-11-14" in title
    badge = page.locator("#data-age").inner_text()
    assert re.search(r"\d+ days old", badge) and " h " not in badge
    # a zero change is not drawn in the loss colour
    zero = page.locator('article.card[data-category="ships"] .change')
    assert zero.inner_text() == "+0"
    colour = zero.evaluate("e => getComputedStyle(e).color")
    assert colour != "rgb(192, 57, 43)"
    personnel = page.locator('article.card[data-category="personnel"]')
    assert re.fullmatch(r"1,\d{3}\.\d", personnel.locator(".mean7").inner_text())
    assert personnel.locator("abbr").get_attribute("title")  # "7 days before" explained
    # the brief beside the cards writes numbers the same way
    assert "1,690" in page.locator("#brief-text").inner_text()
    assert personnel.locator(".change").inner_text() == "+1,690"
    # charts shown near their drawn size, each opening full size
    widths = page.evaluate("[...document.querySelectorAll('.charts img')]"
                           ".map(i => i.getBoundingClientRect().width)")
    assert len(widths) == 2 and min(widths) >= 800
    assert page.locator(".charts a[href^='/charts/']").count() == 2
    page.screenshot(path=str(shots / "dashboard-desktop.png"), full_page=True)
    page.close()


def test_brief_page_takes_a_week_and_a_month(server: str, browser: Any, shots: Path) -> None:
    week = httpx.get(server + "/api/brief", params={"week": "2024-W46"}).json()
    page = browser.new_page()
    page.goto(server + "/brief?week=2024-W46")
    text = page.locator("#brief-text").inner_text()
    assert week["text"].split("\n\n")[0] in text
    assert "2024-W46" in page.locator("#brief-title").inner_text()
    page.fill("#month-pick", "2024-11")
    page.locator("#month-form button").click()
    page.wait_for_load_state()
    month = httpx.get(server + "/api/brief", params={"month": "2024-11"}).json()
    assert month["text"].split("\n\n")[0] in page.locator("#brief-text").inner_text()
    page.close()


@pytest.mark.parametrize(("path", "lang", "heading"), [
    ("/brief?date=2030-01-01", "en", "Not found"),
    ("/brief?date=2030-01-01&lang=uk", "uk", "Не знайдено"),
    ("/?date=someday&lang=uk", "uk", "На цей запит неможливо відповісти"),
    ("/compare?status=lost", "en", "That request cannot be answered"),
])
def test_page_errors_are_pages(server: str, browser: Any, path: str, lang: str,
                               heading: str) -> None:
    page = browser.new_page()
    response = page.goto(server + path)
    assert response is not None and response.status in (400, 404, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert page.locator("#error-heading").inner_text() == heading
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#error-home").count() == 1
    page.close()
    api = httpx.get(server + "/api/brief/2030-01-01")
    assert api.status_code == 404 and api.json()["ok"] is False


def test_compare_page_controls_and_rows(server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/compare")
    rows = page.locator("#compare-table tbody tr")
    assert rows.count() > 4
    for i in range(rows.count()):  # each row's ratio from the numbers shown in that row
        row = rows.nth(i)
        ratio = row.locator(".ratio").inner_text()
        if not ratio:
            continue
        claimed = int(row.locator(".claimed-on").inner_text().replace(",", ""))
        confirmed = int(row.locator(".confirmed").inner_text().replace(",", ""))
        assert abs(claimed / confirmed - float(ratio)) < 0.006
    notes = page.locator("#compare-notes li").all_inner_texts()
    assert notes and len(notes) == len(set(notes))
    assert "tr.note" not in page.content() and page.locator("tr.note").count() == 0
    page.screenshot(path=str(shots / "compare-desktop.png"), full_page=True)
    # the controls: one line, a date range, the query honoured
    page.locator('#compare-form input[name="category"][value="tanks"]').check()
    page.fill('#compare-form input[name="from"]', "2025-01-01")
    page.fill('#compare-form input[name="to"]', "2025-07-19")
    page.locator("#compare-go").click()
    page.wait_for_load_state()
    assert "from=2025-01-01" in page.url and "category=tanks" in page.url
    assert rows.count() == 1 and "2025-01-01" in page.locator("h1").inner_text()
    doc = httpx.get(server + "/api/compare", params={"from": "2025-01-01", "to": "2025-07-19",
                                                     "category": "tanks"}).json()
    assert rows.first.locator(".confirmed").inner_text().replace(",", "") == str(
        doc["rows"][0]["confirmed"])
    page.close()


def test_compare_page_on_a_phone(server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/compare?lang=uk")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    fits = page.evaluate("(() => { const s = document.querySelector('.scroll');"
                         " return s.scrollWidth <= s.clientWidth + 1; })()")
    assert fits or page.locator(".scroll-hint").is_visible()
    page.screenshot(path=str(shots / "compare-uk-phone.png"), full_page=True)
    page.goto(server + "/?date=2024-11-14")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(shots / "dashboard-phone.png"), full_page=True)
    page.close()


def test_docs_page_shows_each_answers_shape_and_example(server: str, browser: Any,
                                                       shots: Path) -> None:
    """/docs (no CDN) shows, per route, its answers with their model, the model's fields,
    the error envelope under its statuses, 304, and an example from the bundled data."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/docs")
    report = page.locator('[id="GET-/api/report/{day}"]')
    text = report.inner_text()
    assert "ReportDoc" in text and "figures" in text and "list of Figure" in text
    assert "Error" in text and "404" in text and "304" in text and "HEAD" in text
    report.locator("details summary").first.click()
    example = report.locator("details pre").first
    assert example.is_visible() and '"total": 9319' in example.inner_text()  # tanks
    report.locator('a[href="#schema-Figure"]').click()  # a model's name leads to its shape
    figure = page.locator("#schema-Figure + table")
    assert figure.is_visible() and "single_witness" in figure.inner_text()
    csv = page.locator('[id="GET-/api/series/{name}.csv"]')
    assert "text/csv" in csv.inner_text()
    check = page.locator('[id="POST-/api/check"]')
    assert "text/plain" in check.inner_text() and "application/json" in check.inner_text()
    report.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "docs.png"), full_page=False)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(server + "/docs")
    wide = phone.evaluate("document.documentElement.scrollWidth")
    assert wide <= 392, f"the page scrolls sideways on a phone ({wide} px)"
    phone.screenshot(path=str(shots / "docs-phone.png"), full_page=False)
    page.close()
    phone.close()
