"""The measuring instruments of issue 11 (bench/eval_check.py, bench/mutate.py) measure what they
say: the matching of reported to labelled claims, the split, and mutants whose replacement
figures really are what their kind claims, computed from the ledger."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import eval_check  # noqa: E402  (scripts in bench/, not a package)
import mutate  # noqa: E402


def label(quote: str, value: int | None, verdict: str = "supported", measure: str = "change",
          **more: Any) -> dict[str, Any]:
    return {"quote": quote, "value": value, "verdict": verdict, "measure": measure,
            "in_scope": True, "category": "tanks", "from": None, "to": None,
            "actual": None, **more}


def pred(text: str, part: str, value: int | None, verdict: str = "supported",
         measure: str = "change", nth: int = 0) -> dict[str, Any]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(part, at + 1)
    return {"span": [at, at + len(part)], "text": part, "value": value, "verdict": verdict,
            "measure": measure}


def test_matching_is_maximum_not_first_come() -> None:
    # the first label overlaps both reported claims and prefers the first (more overlap);
    # the second can only have the first: a greedy matcher would leave it unmatched
    text = "Russia lost 19 tanks, then 19 more tanks."
    labels = [label("19 tanks, then 19", 19), label("19 tanks", 19)]
    preds = [pred(text, "19 tanks", 19), pred(text, "19 more tanks", 19)]
    assert eval_check.match(text, labels, preds) == {0: 1, 1: 0}


def test_repeated_quotes_take_their_own_occurrence() -> None:
    text = "It lost 19 tanks on Monday and 19 tanks on Tuesday."
    labels = [label("19 tanks", 19, "supported"), label("19 tanks", 19, "wrong_date")]
    preds = [pred(text, "19 tanks", 19, nth=1), pred(text, "19 tanks", 19, nth=0)]
    assert eval_check.match(text, labels, preds) == {0: 1, 1: 0}


def test_a_misread_value_or_a_far_claim_is_no_match() -> None:
    text = "Kyiv says Russia has lost 716k troops; 19 tanks were hit."
    labels = [label("716k troops", 716_000, measure="total")]
    assert eval_check.match(text, labels, [pred(text, "716k troops", 716)]) == {}
    assert eval_check.match(text, labels, [pred(text, "19 tanks", 716_000)]) == {}
    assert eval_check.match(text, labels, [pred(text, "716k troops", 716_000)]) == {0: 0}


def test_a_comparative_label_needs_a_comparative_claim() -> None:
    text = "It was the highest daily loss since the invasion, 1,500 troops."
    labels = [label("the highest daily loss since the invasion", None, measure="comparative")]
    number = pred(text, "the highest daily loss since the invasion", 1500)
    comp = pred(text, "the highest daily loss since the invasion", None,
                measure="comparative")
    assert eval_check.match(text, labels, [number]) == {}
    assert eval_check.match(text, labels, [number, comp]) == {0: 1}


def test_scores_honour_also_accept_and_count_scope() -> None:
    text = "Russia lost 17,060 troops in November and 19 tanks, Moscow said 50."
    art = eval_check.Article("x", "test", "en", date(2022, 12, 1), text, [
        label("17,060 troops", 17060, also_accept=["contradicted"], measure="window"),
        label("19 tanks", 19),
        label("50", 50, "unverifiable", in_scope=False)])
    preds = [pred(text, "17,060 troops", 17060, "contradicted", "window"),
             pred(text, "19 tanks", 19, "rounded"), pred(text, "Moscow", None)]
    s = eval_check.Score()
    eval_check.score_article(art, preds, [s], None)
    assert (s.labelled, s.in_scope, s.found, s.found_in_scope, s.right) == (3, 2, 2, 2, 1)
    assert (s.reported, s.matched) == (3, 2)
    assert s.as_dict()["verdict_accuracy_found"] == 0.5


def test_rule_ids_are_counted_only_when_claims_carry_them() -> None:
    got: Counter[str] = Counter()
    assert not eval_check.count_rules([{"verdict": "supported"}], got)
    assert eval_check.count_rules([{"rule_ids": ["en.cat.tanks", "en.cat.tanks", "en.q.over"]},
                                   {"rule_ids": ["en.cat.tanks"]}, {"rule_ids": []}], got)
    assert got == Counter({"en.cat.tanks": 2, "en.q.over": 1})


def test_the_split_comes_from_the_readme(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# eval\n\n- test: 202, 204,  310\n- dev: everything else\n")
    assert eval_check.read_split(readme) == {"202", "204", "310"}
    readme.write_text("# eval without a split\n")
    with pytest.raises(SystemExit, match="test split"):
        eval_check.read_split(readme)


@pytest.mark.parametrize(("quote", "value", "language", "written", "sep"), [
    ("1,146 artillery systems", 1146, "en", "1,146", ","),
    ("about 21.6 thousand soldiers", 21600, "en", "21.6 thousand", ","),
    ("загалом 12 345 осіб", 12345, "uk", "12 345", " "),
    ("eight tanks", 8, "en", "eight", ","),
    ("(+950)", 950, "uk", "950", ""),
    ("1,2 тис. окупантів", 1200, "uk", "1,2 тис.", "\u00a0"),
    ("since Feb. 24, 2022, 19 tanks", 19, "en", "19", ""),
    ("2 thousand 109 vehicles", 2109, "en", "2 thousand 109", ","),
    ("около 502 тысяч 340 человек", 502340, "ru", "502 тысяч 340", "\u00a0"),
    ("перевищили 421 тисячу осіб", 421000, "uk", "421 тисячу", "\u00a0"),
    ("over one million personnel", 1_000_000, "en", "one million", ","),
    ("over half a million", 500_000, "en", "half a million", ","),
    ("більше тысячи", 1000, "ru", "тысячи", "\u00a0"),
])
def test_mutate_finds_the_number_in_the_quote(quote: str, value: int, language: str,
                                              written: str, sep: str) -> None:
    w = mutate.locate(quote, value, language)
    assert w is not None and quote[w.start:w.end] == written and w.sep == sep


def test_mutate_writes_and_flips() -> None:
    assert mutate.render(16385, ",") == "16,385" and mutate.render(16385, "") == "16385"
    assert mutate.render(950, "\u00a0") == "950"
    assert mutate.flip("the highest since May") == "the lowest since May"
    assert mutate.flip("Heaviest losses") == "Lightest losses"
    assert mutate.flip("найбільший показник") == "найменший показник"
    assert mutate.flip("a record month") is None


@pytest.fixture(scope="module")
def figures(loaded_db: str) -> mutate.Figures:
    from attrition import categories
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        return mutate.Figures(r.by_category(), categories.aggregates())


@pytest.fixture(scope="module")
def articles() -> list[eval_check.Article]:
    if not (eval_check.EVAL / "labels").is_dir():
        pytest.skip("shared/eval is not beside the project")
    return eval_check.load_articles("all")


def test_the_ledger_figures_are_the_labels(figures: mutate.Figures,
                                           articles: list[eval_check.Article]) -> None:
    """Every supported label's true figure, recomputed from the snapshot's rows."""
    n = 0
    for art in articles:
        for c in art.claims:
            period = mutate._period(c)
            if (c["in_scope"] and c["verdict"] == "supported" and period
                    and c["category"] in figures.totals and c["measure"] != "comparative"):
                assert figures.value(c["category"], c["measure"], *period) == c["actual"], c
                n += 1
    assert n > 400


def test_every_mutant_is_what_its_kind_says(figures: mutate.Figures,
                                            articles: list[eval_check.Article]) -> None:
    kinds: Counter[str] = Counter()
    for art in articles:
        mutants, _ = mutate.make_mutants(art, figures, seed=0)
        again, _ = mutate.make_mutants(art, figures, seed=0)
        assert [(m.kind, m.start, m.new) for m in mutants] == \
            [(m.kind, m.start, m.new) for m in again]  # the same every time
        for m in mutants:
            kinds[m.kind] += 1
            # one edit, nothing else changed
            assert m.text[:m.start] == art.text[:m.start]
            assert m.text[m.end:] == art.text[m.start + len(m.old):]
            assert m.old != m.new
            if m.kind == "flipped":
                continue
            if m.kind == "shifted_date":
                assert m.stated is not None and m.value == m.claim["value"]
                a, b = mutate.sentence_around(m.text, *m.at)
                (cue,) = mutate.date_cues(m.text, a, b, art.check_date)
                assert (cue.start, cue.end) == (m.start, m.end)
                assert (m.stated - cue.day).days in (0, 1)  # the report it now states
                said = [figures.value(m.claim["category"], "change", d, d) for d in (
                    m.stated + timedelta(days=k) for k in (-3, -2, -1, 0, 1, 2, 3))]
                assert said[3] != m.value and said.count(m.value) == 1
                # the number, unchanged, where the scoring looks for it
                delta = len(m.new) - len(m.old) if m.start < m.at[0] else 0
                number = m.text[m.at[0]:m.at[1]]
                assert number and number == art.text[m.at[0] - delta:m.at[1] - delta]
                assert mutate.locate(number, m.value, art.language) is not None
                continue
            c = m.claim
            period = mutate._period(c)
            assert period is not None and m.value is not None
            start, end = period
            here = figures.on(c["measure"], start, end)
            true = here[c["category"]]
            others = [v for k, v in here.items() if k != c["category"]]

            def shifted(k: int, c: dict[str, Any] = c, start: date | None = start,
                        end: date = end) -> int | None:
                return figures.value(c["category"], c["measure"],
                                     start and start + timedelta(days=k),
                                     end + timedelta(days=k))

            near = [shifted(k) for k in (-3, -2, -1, 1, 2, 3)]
            if m.kind == "contradicted":
                assert m.value != true and m.value not in others and m.value not in near
            elif m.kind == "mislabeled":
                assert others.count(m.value) == 1 and m.value != true
            else:
                assert m.kind == "wrong_date" and m.value != true
                assert near.count(m.value) == 1 and m.value not in others
                k = (-3, -2, -1, 1, 2, 3)[near.index(m.value)]
                assert end + timedelta(days=k) <= art.check_date  # never a later report
    assert min(kinds[k] for k in mutate.KINDS) >= 20, kinds


def _extra_set(root: Path) -> Path:
    """A two-article eval set laid out like shared/eval, outside it (our own sentences)."""
    (root / "articles").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "README.md").write_text("# extra\n\n- test: 902\n", "utf-8")
    texts = {"901": "Over the past day Russia lost 19 tanks, the General Staff said.",
             "902": "The General Staff said Russia lost 124 vehicles and fuel tanks in a day."}
    values = {"901": (19, "tanks", "19 tanks"),
              "902": (124, "vehicles_fuel_tanks", "124 vehicles and fuel tanks")}
    for aid, text in texts.items():
        (root / "articles" / f"{aid}.txt").write_text(text, "utf-8")
        v, cat, quote = values[aid]
        lab = {"file": f"{aid}.txt", "check_date": "2024-11-14", "date_note": "", "language":
               "en", "claims": [label(quote, v, category=cat, **{"from": "2024-11-14",
                                                                  "to": "2024-11-14"})]}
        (root / "labels" / f"{aid}.json").write_text(json.dumps(lab), "utf-8")
    return root


def test_another_eval_dir_is_read_with_its_own_split(tmp_path: Path) -> None:
    root = _extra_set(tmp_path / "extra")
    assert [(a.id, a.split) for a in eval_check.load_articles("all", root)] == [
        ("902", "test"), ("901", "dev")]
    assert [a.id for a in eval_check.load_articles("dev", root)] == ["901"]
    assert "19 tanks" in eval_check.load_articles("dev", root)[0].text


def test_a_missing_eval_dir_is_a_clear_error_naming_it(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    with pytest.raises(SystemExit) as e:
        eval_check.main(["--eval-dir", str(tmp_path / "nowhere")])
    assert "nowhere" in str(e.value)


@pytest.mark.slow
def test_eval_check_scores_the_set_given_by_eval_dir(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    root = _extra_set(tmp_path / "extra")
    out = tmp_path / "figures.json"
    eval_check.main(["--eval-dir", str(root), "--json", str(out)])
    figures = json.loads(out.read_text("utf-8"))
    assert figures["eval"] == str(root.resolve())
    assert figures["splits"]["test"]["all"]["articles"] == 1
    assert figures["splits"]["dev"]["all"]["labelled"] == 1
    assert str(root.resolve()) in capsys.readouterr().out
