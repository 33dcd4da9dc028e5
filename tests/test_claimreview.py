"""`attrition check --format claimreview`: schema.org ClaimReview JSON-LD for every figure,
validated against the schema.org shape (tests/schemaorg.py), with the verdict in words that
never calls an official figure "true"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemaorg import problems

MONITOR = Path(__file__).parent / "fixtures" / "monitor"


def check(path: Path, db: str, *extra: str) -> list[dict[str, Any]]:
    env = {**os.environ, "ATTRITION_DB": db}
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "check", str(path),
                          "--format", "claimreview", *extra], env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out: list[dict[str, Any]] = json.loads(res.stdout)
    return out


@pytest.fixture(scope="module")
def reviews(loaded_db: str) -> list[dict[str, Any]]:
    return check(MONITOR / "steppe-2024-06-10.txt", loaded_db)


def test_every_review_has_the_schema_org_shape(reviews: list[dict[str, Any]]) -> None:
    assert len(reviews) == 4
    for r in reviews:
        assert problems(r) == [], r


def test_the_review_names_the_sentence_the_article_and_the_scale(
        reviews: list[dict[str, Any]]) -> None:
    first = reviews[0]
    assert first["claimReviewed"] == ("Ukraine's General Staff said on Monday that Russia "
                                      "lost 46 artillery systems over the past day.")
    item = first["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["appearance"]["url"] == "http://127.0.0.1/steppe/2024-06-10-morning-losses"
    assert item["appearance"]["headline"] == "Another heavy day on the front, says Kyiv"
    assert item["author"] == {"@type": "Organization", "name": "Steppe Courier"}
    assert item["datePublished"] == "2024-06-10T09:30:00+03:00"
    rating = first["reviewRating"]
    assert (rating["worstRating"], rating["bestRating"], rating["ratingValue"]) == (1, 5, 1)
    assert rating["name"] == "contradicted"
    assert rating["alternateName"] == ("does not match the General Staff's figure (the "
                                       "ledger has 51)")
    assert "Scale 1 to 5" in rating["ratingExplanation"]
    assert first["author"]["name"] == "attrition"
    assert "url" not in first  # no base URL configured, no permalink


def test_a_supported_official_figure_never_reads_as_true(
        reviews: list[dict[str, Any]]) -> None:
    supported = [r for r in reviews if r["reviewRating"]["name"] == "supported"]
    assert len(supported) == 3
    for r in supported:
        words = r["reviewRating"]["alternateName"]
        assert words == ("matches the General Staff's figure (an official claim, not "
                         "independently confirmed)")
        assert "true" not in json.dumps(r).lower()
        assert r["reviewRating"]["ratingValue"] == 5


def test_every_verdict_validates(loaded_db: str) -> None:
    """Each verdict the monitor's fixtures produce (contradicted, wrong_date, mislabeled,
    supported) gives a valid review; an unverifiable figure has no ratingValue."""
    seen = {}
    for path in sorted(MONITOR.glob("*.txt")):
        for r in check(path, loaded_db):
            assert problems(r) == [], (path.name, r)
            seen[r["reviewRating"]["name"]] = r
    assert {"contradicted", "wrong_date", "mislabeled", "supported"} <= set(seen)
    assert seen["wrong_date"]["reviewRating"]["ratingValue"] == 2
    assert seen["mislabeled"]["reviewRating"]["alternateName"] == (
        "the General Staff's figure for another category")


def test_an_unverifiable_figure_has_a_verdict_but_no_rating_value(tmp_path: Path,
                                                                   loaded_db: str) -> None:
    art = tmp_path / "forecast.txt"
    art.write_text("Analysts expect Ukraine to lose 40 tanks next week, a think tank said.\n")
    out = check(art, loaded_db, "--date", "2024-06-10")
    unverifiable = [r for r in out if r["reviewRating"]["name"] == "unverifiable"]
    assert unverifiable, out
    for r in unverifiable:
        assert "ratingValue" not in r["reviewRating"]
        assert problems(r) == []


@pytest.mark.parametrize(("mutate", "complaint"), [
    (lambda r: r.pop("claimReviewed"), "lacks claimReviewed"),
    (lambda r: r["reviewRating"].pop("alternateName"), "lacks alternateName"),
    (lambda r: r["reviewRating"].__setitem__("ratingValue", 7), "outside 1..5"),
    (lambda r: r["reviewRating"].pop("bestRating"), "without its scale"),
    (lambda r: r.__setitem__("verdict", "true"), "no property 'verdict'"),
    (lambda r: r["itemReviewed"].__setitem__("appearance", "a page"), "not a CreativeWork"),
    (lambda r: r.__setitem__("datePublished", "yesterday"), "not a Date"),
    (lambda r: r.__setitem__("url", "javascript:alert(1)"), "not a URL"),
    (lambda r: r["author"].__setitem__("@type", "Robot"), "not a Organization"),
    (lambda r: r.__setitem__("@type", "Robot"), "unknown @type"),
])
def test_the_validator_catches_what_is_wrong(reviews: list[dict[str, Any]], mutate: Any,
                                             complaint: str) -> None:
    r = json.loads(json.dumps(reviews[0]))
    mutate(r)
    found = problems(r)
    assert any(complaint in p for p in found), found


def test_a_checked_article_in_the_register_gets_its_claims_permalinks(
        loaded_db: str, tmp_path: Path) -> None:
    """With a base URL, the review of an article `watch` has checked links to its claim's
    page (Google's fact-check markup requires the review's url); an article the register
    does not hold gets none."""
    from attrition.store.db import Store
    from conftest import copy_db
    from registered import fill

    url = copy_db(loaded_db, tmp_path)
    path = MONITOR / "steppe-2024-06-10.txt"
    with Store(url) as store:
        (stored,) = fill(store.engine, url, [path])
    ids = [c["id"] for c in stored.claims]
    out = check(path, url, "--base-url", "https://monitor.example.org/")
    assert [r["url"] for r in out] == [f"https://monitor.example.org/claims/{i}" for i in ids]
    for r in out:
        assert problems(r, need_url=True) == []
    other = check(MONITOR / "harbour-2024-11-14.txt", url, "--base-url",
                  "https://monitor.example.org/")
    assert all("url" not in r for r in other)
