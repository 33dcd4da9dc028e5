"""The monitor's pages and API (/monitor, /claims/{id}, /api/monitor, /api/claims/{id},
/feeds/flags.atom) over a register filled by the real checker from our fixture articles."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient

from attrition import service
from attrition.store import register
from attrition.store.db import Store
from attrition.web.app import create_app
from conftest import copy_db
from registered import LATER, MONITOR, fill, next_report
from schemaorg import problems

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def db(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = copy_db(loaded_db, tmp_path_factory.mktemp("monitor"))
    with Store(url) as store:
        fill(store.engine, url)
    return url


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def _claims(client: TestClient) -> dict[str, dict[str, Any]]:
    doc = client.get("/api/monitor").json()
    return {c["text"]: c for a in doc["articles"] for c in a["claims"]}


def test_the_monitor_lists_every_checked_article_newest_first(client: TestClient) -> None:
    doc = client.get("/api/monitor").json()
    assert doc["ok"] and doc["total"] == 5
    assert [a["day"] for a in doc["articles"]] == ["2024-11-15", "2024-11-15", "2024-11-14",
                                                   "2024-06-11", "2024-06-10"]
    verdicts = {c["text"]: c["verdict"] for a in doc["articles"] for c in a["claims"]}
    assert verdicts["46 artillery systems"] == "contradicted"
    assert verdicts["77 tanks"] == "mislabeled"
    assert verdicts["1,190 troops"] == "wrong_date"
    assert verdicts["1520 військових"] == "supported"


def test_the_tally_per_outlet(client: TestClient) -> None:
    tally = {r["outlet"]: r for r in client.get("/api/monitor").json()["tally"]}
    # Steppe Courier: 8 figures, 46 artillery systems (contradicted) and 1,190 troops
    # (wrong date) wrong; Harbour Gazette: 8, 77 tanks (mislabeled)
    assert (tally["Steppe Courier"]["figures"], tally["Steppe Courier"]["wrong"],
            tally["Steppe Courier"]["share_wrong"]) == (8, 2, 0.25)
    assert (tally["Harbour Gazette"]["figures"], tally["Harbour Gazette"]["wrong"],
            tally["Harbour Gazette"]["share_wrong"]) == (8, 1, 0.125)
    assert tally["Північний вісник"]["share_wrong"] == 0.0


@pytest.mark.parametrize(("query", "texts"), [
    ("verdict=contradicted", ["46 artillery systems"]),
    ("outlet=Harbour Gazette&verdict=mislabeled", ["77 tanks"]),
    ("from=2024-06-11&to=2024-06-11&verdict=wrong_date", ["1,190 troops"]),
    ("outlet=Nobody", []),
])
def test_filters(client: TestClient, query: str, texts: list[str]) -> None:
    doc = client.get(f"/api/monitor?{query}").json()
    assert [c["text"] for a in doc["articles"] for c in a["claims"]] == texts


def test_filters_by_date_keep_the_tally_to_those_dates(client: TestClient) -> None:
    doc = client.get("/api/monitor?from=2024-11-01").json()
    assert {r["outlet"] for r in doc["tally"]} == {"Harbour Gazette", "Північний вісник"}
    assert doc["total"] == 3


@pytest.mark.parametrize(("query", "words"), [
    ("verdict=true", "verdict: 'true' is not one of"),
    ("from=2024-02-30", "from: 2024-02-30 is no such day"),
    ("from=yesterday", "from: 'yesterday' is not a date"),
    ("to=2400-01-01", "to: 2400-01-01 is outside 1900-2100"),
    ("from=2024-11-15&to=2024-11-01", "from: 2024-11-15 is after to 2024-11-01"),
    ("limit=0", "limit: '0' is not a whole number from 1 to 200"),
    ("limit=100000", "limit"), ("page=-1", "page"), ("page=1e3", "page"),
    ("outlet=" + "x" * 300, "outlet: longer than 200"),
])
def test_bad_filters_are_422_never_500(client: TestClient, query: str, words: str) -> None:
    r = client.get(f"/api/monitor?{query}")
    assert r.status_code == 422 and r.json()["ok"] is False
    assert words in r.json()["error"]
    page = client.get(f"/monitor?{query}", headers=HTML)
    assert page.status_code == 422 and words in html.unescape(page.text)
    assert "Traceback" not in page.text


def test_paging(client: TestClient) -> None:
    first = client.get("/api/monitor?limit=2").json()
    second = client.get("/api/monitor?limit=2&page=2").json()
    third = client.get("/api/monitor?limit=2&page=3").json()
    ids = [a["id"] for d in (first, second, third) for a in d["articles"]]
    assert len(ids) == 5 and len(set(ids)) == 5
    page = client.get("/monitor?limit=2&page=2", headers=HTML).text
    assert 'id="prev-page"' in page and 'id="next-page"' in page


def test_the_monitor_page_shows_the_verdicts_and_links_each_figure(
        client: TestClient) -> None:
    r = client.get("/monitor", headers=HTML)
    assert r.status_code == 200
    claims = _claims(client)
    wrong = claims["46 artillery systems"]
    assert (f'<a class="fig v-contradicted" data-verdict="contradicted" '
            f'href="/claims/{wrong["id"]}?lang=en"') in r.text
    assert "Steppe Courier" in r.text and "25.0 %" in r.text
    uk = client.get("/monitor?lang=uk", headers=HTML).text
    assert "За виданнями" in uk and "25,0 %" in uk


def test_a_claim_page_has_the_evidence_and_valid_claimreview(client: TestClient) -> None:
    cid = _claims(client)["46 artillery systems"]["id"]
    r = client.get(f"/claims/{cid}", headers=HTML)
    assert r.status_code == 200
    m = re.search(r'<script type="application/ld\+json" id="claimreview">(.*?)</script>',
                  r.text, re.S)
    assert m is not None
    ld = json.loads(m.group(1))
    assert problems(ld, need_url=True) == []
    assert ld["url"] == f"http://testserver/claims/{cid}"
    assert ld["reviewRating"]["alternateName"] == ("does not match the General Staff's "
                                                   "figure (the ledger has 51)")
    assert ld["itemReviewed"]["appearance"]["url"] == (
        "http://127.0.0.1/steppe/2024-06-10-morning-losses")
    # the figure as written, the ledger's reading and its cells, the official-claim note
    assert '<q id="as-written">46 artillery systems</q>' in r.text
    assert "change in artillery, report of 2024-06-10" in r.text
    assert "<td>2024-06-10</td><td class=\"n\">13,644</td><td class=\"n\">+51</td>" in r.text
    assert "official Ukrainian claims, not independently confirmed" in r.text
    api = client.get(f"/api/claims/{cid}").json()
    assert api["claim"]["evidence"][0]["cells"][0]["total"] == 13644
    assert api["claimreview"] == ld


def test_a_supported_claims_review_says_official_not_true(client: TestClient) -> None:
    cid = _claims(client)["1520 військових"]["id"]
    ld = client.get(f"/api/claims/{cid}").json()["claimreview"]
    assert problems(ld, need_url=True) == []
    assert ld["reviewRating"]["alternateName"] == (
        "matches the General Staff's figure (an official claim, not independently "
        "confirmed)")
    assert ld["itemReviewed"]["author"]["name"] == "Північний вісник"


def test_json_ld_cannot_close_its_script(db: str, loaded_db: str, tmp_path: Path) -> None:
    """An article whose sentence holds `</script>` stays inside the JSON-LD."""
    url = copy_db(loaded_db, tmp_path)
    art = tmp_path / "evil.txt"
    art.write_text((MONITOR / "harbour-2024-11-15.txt").read_text().replace(
        "title: Drone losses climb again", "title: </script><script>alert(1)</script>")
        .replace("Russia lost 77 tanks", "</script><b>x</b> Russia lost 77 tanks"))
    with Store(url) as store:
        fill(store.engine, url, [art])
    with TestClient(create_app(url)) as c:
        cid = c.get("/api/monitor").json()["articles"][0]["claims"][0]["id"]
        page = c.get(f"/claims/{cid}", headers=HTML).text
    assert "<script>alert(1)" not in page and "<b>x</b>" not in page
    m = re.search(r'id="claimreview">(.*?)</script>', page, re.S)
    assert m is not None and "</script>" in json.loads(m.group(1))["claimReviewed"]


@pytest.mark.parametrize(("path", "status"), [("/api/claims/abc", 422),
                                              ("/api/claims/99999", 404),
                                              ("/api/claims/1.5", 422),
                                              ("/api/claims/" + "9" * 40, 422)])
def test_a_claim_that_is_not_there(client: TestClient, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status and r.json()["ok"] is False
    page = client.get(path.replace("/api", ""), headers=HTML)
    assert page.status_code == status and "<html" in page.text


def test_the_flags_feed_is_valid_atom(client: TestClient) -> None:
    r = client.get("/feeds/flags.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    texts = sorted(e.title.split("\u201c")[1].split("\u201d")[0] for e in feed.entries)
    assert texts == ["1,190 troops", "46 artillery systems", "77 tanks"]
    claims = _claims(client)
    e = next(e for e in feed.entries if "46 artillery" in e.title)
    assert e.id == f"urn:attrition:claim:{claims['46 artillery systems']['id']}:contradicted"
    assert e.link == f"http://testserver/claims/{claims['46 artillery systems']['id']}"
    assert "(the ledger has 51)" in e.title and e.updated_parsed is not None
    # RFC 4287's required elements, read with the standard library too
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(r.content)
    for tag in ("id", "title", "updated", "author/a:name"):
        assert root.find(f"a:{tag}", ns) is not None, tag
    for entry in root.findall("a:entry", ns):
        for tag in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"a:{tag}", ns) is not None, tag
    only = feedparser.parse(client.get("/feeds/flags.atom?verdict=mislabeled").content)
    assert [x.title.split("\u201c")[1].split("\u201d")[0] for x in only.entries] == [
        "77 tanks"]
    assert client.get("/feeds/flags.atom?verdict=lies").status_code == 422


def test_a_rejudged_figure_enters_the_feed_when_it_turns_wrong(
        loaded_db: str, tmp_path: Path, shared_data: Path) -> None:
    """An unverifiable figure (a day the ledger did not hold) turns contradicted when that
    report arrives: the feed gets it, and its page shows the verdict's history."""
    url = copy_db(loaded_db, tmp_path)
    with Store(url) as store:
        (stored,) = fill(store.engine, url, [LATER])
        claims = register.article_claims(store.engine, stored.article_id)
    with TestClient(create_app(url, ttl=0)) as c:
        assert feedparser.parse(c.get("/feeds/flags.atom").content).entries == []
        next_report(url, shared_data, tmp_path, personnel=1180, tanks=12)
        service.rejudge(url)
        feed = feedparser.parse(c.get("/feeds/flags.atom").content)
        assert [e.id for e in feed.entries] == [
            f"urn:attrition:claim:{claims[1]['id']}:contradicted"]
        assert "(the ledger has 12)" in feed.entries[0].title
        page = c.get(f"/claims/{claims[1]['id']}", headers=HTML).text
        assert 'id="history"' in page
        assert "was unverifiable, now contradicted (12): new report" in page


def test_the_monitor_is_not_cached_by_the_ledgers_validators(client: TestClient) -> None:
    r = client.get("/api/monitor")
    assert "etag" not in r.headers
    assert client.get("/api/report/latest").headers.get("etag")


def test_a_figure_given_to_oryx_is_reviewed_against_oryx(loaded_db: str,
                                                         tmp_path: Path) -> None:
    url = copy_db(loaded_db, tmp_path)
    oryx = Path(__file__).parent / "fixtures" / "articles" / "oryx-2025-07-19.txt"
    with Store(url) as store:
        (stored,) = fill(store.engine, url, [oryx])
    by_text = {c["text"]: c for c in stored.claims}
    with TestClient(create_app(url)) as c:
        doc = c.get(f"/api/claims/{by_text['4,074 Russian tanks']['id']}").json()
        official = c.get(f"/api/claims/{by_text['11,032 tanks']['id']}").json()
    assert doc["claimreview"]["reviewRating"]["alternateName"].startswith(
        "matches Oryx's count of visually confirmed losses")
    assert doc["note"].startswith("A count of visually confirmed losses (Oryx)")
    assert problems(doc["claimreview"], need_url=True) == []
    assert "General Staff's figure (an official claim" in official["claimreview"][
        "reviewRating"]["alternateName"]


def test_the_published_address_names_the_permalinks(client: TestClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATTRITION_BASE_URL", "https://monitor.example.org/")
    cid = _claims(client)["77 tanks"]["id"]
    ld = client.get(f"/api/claims/{cid}").json()["claimreview"]
    assert ld["url"] == f"https://monitor.example.org/claims/{cid}"
    feed = feedparser.parse(client.get("/feeds/flags.atom").content)
    assert all(e.link.startswith("https://monitor.example.org/claims/") for e in feed.entries)


def test_a_ukrainian_claim_page_and_monitor_name_verdicts_in_ukrainian(
        client: TestClient) -> None:
    """?lang=uk: the verdict's name, its words, the reading and the note are Ukrainian
    (attrition.words); the ClaimReview keeps its English words for machines."""
    cid = _claims(client)["46 artillery systems"]["id"]
    page = client.get(f"/claims/{cid}?lang=uk", headers=HTML).text
    assert 'data-verdict="contradicted">суперечить</strong>' in page
    assert '<p id="verdict-words">не збігається з даними Генерального штабу</p>' in page
    assert "зміна – Артилерійські системи, зведення від 2024-06-10" in page
    assert '<dd id="why">у реєстрі 51</dd>' in page
    shown = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # not the JSON-LD
    assert "change in artillery" not in shown and "does not match" not in shown
    monitor = client.get("/monitor?lang=uk", headers=HTML).text
    assert "46 artillery systems · суперечить" in monitor
    assert '<option value="contradicted" >суперечить</option>' in monitor or \
        ">суперечить</option>" in monitor


def test_a_control_character_in_an_article_leaves_the_flags_feed_valid_xml() -> None:
    """An article holding a control character (a vertical tab, an escape) put it into the
    feed as it was: the whole feed was malformed XML, unreadable by every feed reader."""
    import xml.etree.ElementTree as ET

    from attrition.web.monitor import atom

    flag = {"claim_id": 1, "verdict": "contradicted", "text": "190\x1b tanks", "actual": 19,
            "outlet": "Desk\x07", "sentence": "Russia lost\x0b 190\x1b tanks.", "why": None,
            "reading": "the ledger has 19", "current": "contradicted",
            "at": "2026-12-02T14:12:04+00:00"}
    doc = ET.fromstring(atom([flag], "http://h", "http://h/feeds/flags.atom?x=\x01"))
    ns = "{http://www.w3.org/2005/Atom}"
    entry = doc.find(f"{ns}entry")
    assert entry is not None
    assert "190\ufffd tanks" in (entry.findtext(f"{ns}title") or "")
