"""A `?lang=uk` page and chart shows no English interface words: titles, labels, verdict
names, readings, notes and chart texts come from `attrition.words` and the pages' table.

What may stay in Latin letters (ALLOWED_LATIN): names (attrition, Oryx, the sources'
titles), the API's formats (API, JSON, Markdown, Atom), the switch to English (EN),
addresses (https://…) and the text of the article a reader pasted."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attrition import words
from attrition.web import monitor
from attrition.web.app import create_app

ARTICLE = Path(__file__).parent / "fixtures" / "articles" / "uk-2024-11-23.txt"
ALLOWED_LATIN = {"attrition", "Oryx", "API", "JSON", "Markdown", "Atom", "PetroIvaniuk", "orc",
                 "losses", "EN"}
"""Names and formats, and the switch to the English page ("EN"); addresses are removed
before the words are read."""
PAGES = ["/?lang=uk", "/?lang=uk&date=2026-07-27", "/?lang=uk&date=2024-11-30",
         "/brief?lang=uk&date=2024-11-30", "/brief?lang=uk&date=2022-02-24",
         "/brief?lang=uk&month=2026-08", "/brief?lang=uk&week=2024-W47", "/check?lang=uk",
         "/monitor?lang=uk",
         # the comparison's basis, notes, caveat and Oryx's scrape glitches (issue 12)
         "/compare?lang=uk", "/compare?lang=uk&to=2022-04-01",
         "/compare?lang=uk&from=2024-01-01&to=2026-08-22"]


@pytest.fixture(scope="module")
def client(loaded_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(loaded_db)) as c:
        yield c


def _visible(body: str) -> list[str]:
    """The words a reader sees: text between tags and the title/alt/placeholder attributes,
    without scripts, styles, JSON-LD or addresses."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    attrs = re.findall(r'(?:title|alt|placeholder|aria-label)="([^"]*)"', body)
    texts = [html.unescape(t) for t in re.split(r"<[^>]+>", body)] + \
        [html.unescape(a) for a in attrs]
    return [re.sub(r"https?://\S*|fixture://\S*", " ", t) for t in texts]


def _english(texts: list[str]) -> set[str]:
    return {w for t in texts for w in re.findall(r"[A-Za-z]{2,}", t)} - ALLOWED_LATIN


@pytest.mark.parametrize("path", PAGES)
def test_a_ukrainian_page_shows_no_english_words(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"accept": "text/html"})
    assert r.status_code == 200
    assert not _english(_visible(r.text)), path


def test_a_ukrainian_check_page_names_verdicts_and_readings_in_ukrainian(
        client: TestClient) -> None:
    text = ARTICLE.read_text()
    r = client.post("/check?lang=uk", data={"text": text, "lang": "uk"},
                    headers={"accept": "text/html"})
    assert r.status_code == 200
    body = r.text
    article = set(re.findall(r"[A-Za-z]{2,}", text))  # the pasted article's own header
    assert not _english(_visible(body)) - article
    assert 'data-verdict="supported" data-count="3">підтверджено 3</span>' in body
    assert "зміна – Танки, зведення від 2024-11-23 (втрати за 2024-11-22): 20" in body


def test_a_ukrainian_check_page_explains_a_wrong_category(client: TestClient) -> None:
    """An English article checked on a Ukrainian page: its sentences stay as written, the
    verdict, reading and reason are Ukrainian."""
    text = (Path(__file__).parent / "fixtures" / "articles" / "daily-2024-11-14.txt").read_text()
    body = client.post("/check?lang=uk", data={"text": text, "lang": "uk"},
                       headers={"accept": "text/html"}).text
    assert "інша категорія" in body
    assert "124 – це дані іншої категорії: Автомобільна техніка та автоцистерни" in body
    assert "is the figure for" not in body and "change in " not in body


@pytest.mark.parametrize("path", ["/charts/uav.svg?to=2026-07-27&lang=uk",
                                  "/charts/vehicles.svg?to=2024-11-30&lang=uk",
                                  "/charts/cruise_missiles.svg?to=2024-09-27&lang=uk",
                                  "/charts/compare.svg?to=2024-11-30&lang=uk"])
def test_a_ukrainian_chart_shows_no_english_words(client: TestClient, path: str) -> None:
    svg = client.get(path).text
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert texts and not _english(texts), path


def test_the_pages_link_their_charts_in_the_page_language(client: TestClient) -> None:
    body = client.get("/?lang=uk&date=2026-07-27", headers={"accept": "text/html"}).text
    charts = re.findall(r'src="(/charts/[^"]+)"', body)
    assert charts and all("lang=uk" in html.unescape(c) for c in charts)


def test_every_word_has_both_languages() -> None:
    assert set(words.CHART["en"]) == set(words.CHART["uk"])
    assert set(words.VERDICTS) == set(monitor.VERDICTS)
    assert all(set(v) == set(words.LANGS) for v in words.VERDICTS.values())
    assert set(words.VERDICT_WORDS["uk"]) == set(monitor.VERDICTS)
