"""The watcher's inputs (attrition.watch.inputs): feed lists, RSS/Atom/JSON Feed entries and
their fingerprints, folders and JSON lines. Errors name the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import watchsite
from attrition.errors import ParseError, SourceError
from attrition.watch import inputs
from attrition.watch.inputs import Feed


def test_a_feed_list_gives_addresses_and_outlets(tmp_path: Path) -> None:
    f = tmp_path / "feeds.txt"
    f.write_text("# our feeds\n\nhttps://a.example/rss  Kyiv Daily  # English\n"
                 "https://b.example/atom.xml\n", encoding="utf-8")
    assert inputs.read_feed_list(f) == [Feed("https://a.example/rss", "Kyiv Daily"),
                                        Feed("https://b.example/atom.xml", None)]


def test_an_empty_feed_list_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "feeds.txt"
    f.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(SourceError, match="lists no feed"):
        inputs.read_feed_list(f)


def test_rss_atom_and_json_feed_give_the_same_entries() -> None:
    stories = list(watchsite.STORIES.values())
    base = "http://site.test"
    feed = Feed(f"{base}/x", "Outlet")
    got = [inputs.parse_feed(body, feed)[0] for body in (
        watchsite.rss(base, stories), watchsite.atom(base, stories),
        watchsite.json_feed(base, stories))]
    keys = [[(e.address, e.published, e.title, e.outlet) for e in entries] for entries in got]
    assert keys[0] == keys[1] == keys[2]
    assert keys[0][1] == (f"{base}/news/en-drones.html", "2025-09-18T07:05:00+00:00",
                          "Drone tally passes 60,000", "Outlet")


def test_an_updated_entry_has_a_new_fingerprint() -> None:
    story = watchsite.Story(**vars(watchsite.STORIES["uk-losses"]))
    feed = Feed("http://site.test/atom.xml")
    first = inputs.parse_feed(watchsite.atom("http://site.test", [story]), feed)[0][0]
    again = inputs.parse_feed(watchsite.atom("http://site.test", [story]), feed)[0][0]
    story.updated = "2025-03-05T12:00:00+02:00"
    updated = inputs.parse_feed(watchsite.atom("http://site.test", [story]), feed)[0][0]
    assert first.entry_hash == again.entry_hash != updated.entry_hash
    assert first.outlet == "Тестові новини"  # the feed's own title when the list names none


@pytest.mark.parametrize("body, message", [
    (b"<html><body>Not a feed</body></html>", "not an RSS, Atom or JSON feed"),
    (b'{"items": []}', "field 'version': not a JSON Feed"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}',
     "field 'items': no list of items"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not valid JSON"),
])
def test_a_body_that_is_no_feed_is_named(body: bytes, message: str) -> None:
    with pytest.raises(ParseError) as got:
        inputs.parse_feed(body, Feed("http://site.test/feed"))
    assert str(got.value).startswith("http://site.test/feed") and message in str(got.value)


def test_the_text_fingerprint_ignores_spacing() -> None:
    assert inputs.content_hash("46 artillery\n systems") == inputs.content_hash(
        "46  artillery systems ")
    assert inputs.content_hash("46 artillery systems") != inputs.content_hash(
        "64 artillery systems")


def test_a_folder_gives_one_entry_per_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Russia lost 19 tanks.\n", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><article><p>Russia lost 64 artillery "
                                     "systems, the General Staff said on Thursday in its "
                                     "morning update.</p></article></body></html>",
                                     encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x\n", encoding="utf-8")
    got = inputs.folder_entries(tmp_path)
    assert [Path(e.address.removeprefix("file://")).name for e in got] == ["a.txt", "b.html"]
    assert got[1].text is not None and "64 artillery systems" in got[1].text
    assert all(e.content_hash == e.entry_hash for e in got)


def test_json_lines_name_the_bad_line_and_field() -> None:
    lines = [json.dumps({"address": "cms://1", "text": "x", "published": "yesterday"}),
             json.dumps({"address": "cms://2", "text": "x", "title": 5}),
             json.dumps(["not", "an", "object"]),
             json.dumps({"address": "cms://3", "text": "Russia lost 19 tanks.",
                         "published": "2024-11-14T09:00:00+02:00"})]
    got = list(inputs.json_lines(lines))
    assert [str(g) for g in got[:3]] == [
        "stdin, line 1, field 'published': 'published' is not an ISO date: 'yesterday'",
        "stdin, line 2, field 'title': 'title' is not a string",
        "stdin, line 3: not a JSON object"]
    entry = got[3]
    assert isinstance(entry, inputs.Entry) and entry.published == "2024-11-14T07:00:00+00:00"


def test_a_folder_article_keeps_the_outlet_and_time_its_header_names() -> None:
    # (`check` reads the same header: the register and the claim pages must agree with it)
    folder = Path(__file__).parent / "fixtures" / "monitor"
    got = {Path(e.address).name: e for e in inputs.folder_entries(folder)}
    steppe = got["steppe-2024-06-10.txt"]
    assert steppe.outlet == "Steppe Courier"
    assert steppe.published is not None and steppe.published.startswith("2024-06-10T06:30")
    assert inputs.folder_entries(folder, outlet="Desk")[0].outlet == "Desk"  # given wins


def test_a_file_that_is_no_article_is_an_input_error_and_the_others_are_read(
        tmp_path: Path) -> None:
    """One binary file dropped in the folder stopped the whole watcher with an error; a FIFO
    or a broken link there was skipped without a word."""
    import os

    from attrition.errors import ParseError

    (tmp_path / "a.txt").write_text("Kyiv, 14 November 2024. Russia lost 19 tanks.\n")
    (tmp_path / "b.txt").write_bytes(b"\x9e\x00\xff" * 100)
    os.mkfifo(tmp_path / "c.txt")
    (tmp_path / "d.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "e.txt").symlink_to("/dev/zero")
    got = inputs.folder_entries(tmp_path)
    assert [Path(e.address).name for e in got if not isinstance(e, ParseError)] == ["a.txt"]
    errors = [str(e) for e in got if isinstance(e, ParseError)]
    assert [e.split(":")[0] for e in errors] == [str(tmp_path / f"{n}.txt") for n in "bcde"]
    assert all("\n" not in e for e in errors)
