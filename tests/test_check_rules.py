"""Every rule of the fact-checker (src/attrition/check/rules/*.toml) on its own example
sentences: it fires on each `yes` sentence (its id is in a claim's rule_ids) and on no `no`
sentence. A rule whose examples are missing, or that fires on neither, fails here."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

from attrition.check import rules
from attrition.check.article import read
from attrition.check.claims import extract, not_loss_rule

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DAY = date(2024, 11, 14)


def fired(text: str, day: date) -> set[str]:
    return {rid for c in extract(read(text), day) for rid in c.rule_ids}


def _cases() -> list[object]:
    out: list[object] = []
    for r in rules.all_rules():
        for sign in ("yes", "no"):
            for i, text in enumerate(r.data.get(sign, ())):
                out.append(pytest.param(r.id, sign, text, id=f"{r.id}-{sign}{i}"))
    return out


@pytest.mark.parametrize(("rule_id", "sign", "text"), _cases())
def test_rule_on_its_examples(rule_id: str, sign: str, text: str) -> None:
    rule = rules.by_id(rule_id)
    day = date.fromisoformat(rule.data["day"]) if "day" in rule.data else DEFAULT_DAY
    if rule.kind == "not_loss":  # it fires by leaving no claim
        found = extract(read(text), day)
        assert (not found) == (sign == "yes"), (rule_id, sign, text)
        assert (not_loss_rule(text) == rule_id) == (sign == "yes"), (rule_id, sign, text)
        return
    got = fired(text, day)
    if sign == "yes":
        assert rule_id in got, f"{rule_id} did not fire on {text!r} (fired: {sorted(got)})"
    else:
        assert rule_id not in got, f"{rule_id} fired on its negative example {text!r}"


@pytest.mark.parametrize("rule_id", [r.id for r in rules.all_rules()])
def test_every_rule_has_a_positive_and_a_negative_example(rule_id: str) -> None:
    rule = rules.by_id(rule_id)
    assert rule.data.get("yes"), f"{rule_id} has no positive example"
    assert rule.data.get("no"), f"{rule_id} has no negative example"


def test_rule_ids_are_unique_and_name_their_language() -> None:
    ids = [r.id for r in rules.all_rules()]
    assert len(ids) == len(set(ids))
    assert all(r.id.startswith(f"{r.lang}.") for r in rules.all_rules())


def test_wordforms_file_is_what_the_build_script_writes() -> None:
    pytest.importorskip("pymorphy3")
    spec = importlib.util.spec_from_file_location("build_wordforms",
                                                  ROOT / "scripts" / "build_wordforms.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_wordforms"] = mod
    spec.loader.exec_module(mod)
    assert mod.OUT.read_text("utf-8") == mod.render(mod.build())


def test_usage_counts_every_rule_and_shows_the_dead_ones() -> None:
    found = extract(read("Russia lost more than 1,200 troops over the past day, Kyiv said."),
                    DEFAULT_DAY)
    counts = rules.usage([c.rule_ids for c in found])
    assert counts["en.qual.over"] == 1 and counts["en.cat.personnel"] == 1
    assert counts["ru.cat.submarines"] == 0
    assert list(counts) == [r.id for r in rules.all_rules()]
