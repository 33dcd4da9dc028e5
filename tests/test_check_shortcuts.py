"""The checker's shortcuts (work skipped or put off to start faster and read each sentence
once) give what the long way gives: a window's sum by prefix sums built on demand, a base
rule found only after one pattern of all their words matched, a sentence without a
comparative cue skipped. Checked over the real ledger and every sentence of the fixture
articles."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from attrition.check import LedgerView, article, claims, numbers, rules
from attrition.store.read import Reader

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> LedgerView:
    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


def _sentences() -> list[tuple[str, str]]:
    out = []
    for p in sorted(ARTICLES.glob("*.txt")):
        art = article.read(p.read_text("utf-8"))
        out += [(s.text, art.language) for s in art.sentences]
    return out


def test_windows_equal_the_sum_of_their_days_changes(ledger: LedgerView) -> None:
    assert ledger._prefix == {}  # nothing built before a window is asked for
    rng = random.Random(11)
    asked = 0
    for cat, rows in ledger.rows.items():
        cells = {r.report_date: r for r in rows}
        days = sorted(cells)
        for _ in range(60):
            start = rng.choice(days) - timedelta(days=rng.choice((0, 0, 1)))
            end = start + timedelta(days=rng.choice((0, 1, 6, 29, 200, 900)))
            want: int | None = 0
            d = start
            while d <= end:
                r = cells.get(d)
                if r is None or r.change is None:
                    want = None
                    break
                want += r.change  # type: ignore[operator]
                d += timedelta(days=1)
            assert ledger.window(cat, start, end) == want, (cat, start, end)
            asked += 1
        assert ledger.window(cat, days[-1], days[0]) is None  # an empty window
    assert asked > 500 and set(ledger._prefix) == set(ledger.rows)
    assert ledger.window("no such category", days[0], days[-1]) is None


def _base_rule_one_by_one(head: str, tail: str) -> str | None:
    for before, after, rid, optional in claims._base_rules():
        bm = before.search(head)
        if bm is None:
            continue
        if after is None or after.match(tail):
            return rid
        if optional and after.search(bm.group(0)):
            return rid
    return None


def test_the_base_rule_of_every_figure_is_the_one_found_rule_by_rule() -> None:
    found = 0
    texts = [*_sentences(),
             ("Russia lost 1,100 troops, up from 980 the day before.", "en"),
             ("Втрати склали 1 100 осіб проти 980 напередодні.", "uk"),
             ("a year earlier, the tally was 521,830", "en")]
    for s, lang in texts:
        for n in numbers.find(s, lang):
            for text in (s, s.lower(), " " * 30 + s):
                shift = len(text) - len(s)
                a, b = n.start + shift, n.end + shift
                head, tail = text[max(0, a - 60):a], text[b:b + 60]
                got = claims._base_rule_of(head, tail)
                assert got == _base_rule_one_by_one(head, tail), (text, head, tail)
                found += got is not None
    assert found >= 3


def test_a_sentence_without_a_comparative_cue_has_no_comparative_claim() -> None:
    day = date(2024, 11, 14)
    none = some = 0
    own = ["Russia lost 1,530 troops over the day, the highest daily toll on record.",
           "November's 45,720 casualties were above October's 41,980.",
           "У жовтні загарбники втратили найбільше танків за рік: 307.",
           "Records: 2,000 troops in one day, 60 tanks in one day."]
    for s, _ in [*_sentences(), *[(x, "") for x in own]]:
        parts = claims._comparative_parts(s)
        sent = article.Sentence(s, 0, len(s))
        if parts:
            some += 1
            continue
        none += 1
        assert claims._comparative(sent, s, day) is None, s
    assert none > 15 and some >= 4


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str | None,
                                                          dict[str, str | None]]]:
    return [(m.span(), m.lastgroup, m.groupdict()) for m in rx.finditer(text)]


def _hot_patterns() -> dict[str, re.Pattern[str]]:
    pats = {f"cue {k}": claims._cue_regex(k)[0] for k in ("date", *claims.MEASURES)}
    pats["not_loss"] = claims._not_loss()[0]
    pats.update({k: v for k, v in vars(claims).items() if isinstance(v, re.Pattern)})
    return pats


def test_a_guarded_pattern_finds_what_the_plain_one_finds() -> None:
    assert claims.COMPARATIVE.pattern.startswith("(?=[")  # the hot ones are guarded
    texts = [s for s, _ in _sentences()] + [
        "EXCEEDED the Record, ТАНКИ знищено: 9,419 (+20) since Jan. 1; за тиждень 1 200",
        "Surpassed! Вперше понад 1 500 окупантів за добу, больше всего с 16 марта 2022 г.",
        "ſince the ſtart of the year", "KELVIN K", "İstanbul", ""]
    guarded = 0
    for name, rx in _hot_patterns().items():
        g = rules.guarded(rx)
        p = rx.pattern  # a guarded one's own pattern: (?=[class])(?:pattern)
        plain = re.compile(p[p.index("])(?:") + 5:-1], rx.flags) if p.startswith("(?=[") \
            else rx
        guarded += g is not rx
        for text in texts:
            for variant in (text, text.upper(), text.lower()):
                assert _spans(g, variant) == _spans(plain, variant), (name, variant)
                assert bool(g.match(variant)) == bool(plain.match(variant)), (name, variant)
    assert guarded >= 10


@pytest.mark.parametrize("pattern", [r"a*", r"(?:x|)", r".ing", r"[^a]b", r"(?i:a)b",
                                     r"(?:ab)?"])
def test_a_pattern_whose_first_character_cannot_be_listed_is_left_as_it_is(
        pattern: str) -> None:
    rx = re.compile(pattern)
    assert rules.guarded(rx) is rx


def test_a_guard_lists_each_alternatives_first_characters() -> None:
    assert rules.guarded(re.compile(r"(?:x|)y|\bfoo|[а-яё]+|(?<!\d)z|\s?\d", re.I)).pattern \
        == r"(?=[\d\sfxyzа-яё])(?:(?:x|)y|\bfoo|[а-яё]+|(?<!\d)z|\s?\d)"
