"""Write src/attrition/check/rules/wordforms.json: every case and number of the Ukrainian and
Russian category words (`lemmas` in rules/uk.toml and rules/ru.toml), inflected by pymorphy3
with its uk and ru dictionaries.

Run at build time, not at check time: loading pymorphy3's dictionaries takes 0.2-0.6 s, and a
cold `attrition check` must start in ~0.1 s. `make wordforms` runs it;
tests/test_check_rules.py checks the file is what this script writes.

A phrase is inflected up to and including its first noun ("боевая бронированная машина" ->
"боевых бронированных машин"); the words after it keep their form ("реактивная система
залпового огня" -> "реактивных систем залпового огня").
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

RULES = Path(__file__).resolve().parent.parent / "src" / "attrition" / "check" / "rules"
OUT = RULES / "wordforms.json"
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def forms(morph: object, phrase: str) -> list[str]:
    words = phrase.split()
    parses = []
    head = None
    for i, w in enumerate(words):
        options = morph.parse(w)  # type: ignore[attr-defined]
        noun = next((p for p in options if p.tag.POS == "NOUN" and "nomn" in p.tag), None)
        adj = next((p for p in options if p.tag.POS in ("ADJF", "PRTF") and "nomn" in p.tag),
                   None)
        if head is None and noun is not None:
            parses.append(noun)
            head = i
        elif head is None and adj is not None:
            parses.append(adj)
        else:
            parses.append(None)
    if head is None:
        return [phrase]
    out: list[str] = [phrase]
    for number in ("sing", "plur"):
        for case in CASES:
            got = []
            for i, (w, p) in enumerate(zip(words, parses, strict=True)):
                if i > head or p is None:
                    got.append(w)
                    continue
                grams = {case, number}
                if number == "sing" and p.tag.POS in ("ADJF", "PRTF"):
                    gender = parses[head].tag.gender
                    if gender:
                        grams.add(gender)
                f = p.inflect(grams)
                if f is None and number == "sing":
                    f = p.inflect(grams - {"sing"})  # the uk dictionary has no "sing"
                got.append(f.word if f is not None else w)
            form = " ".join(got)
            if form not in out:
                out.append(form)
    return out


def build() -> dict[str, dict[str, list[str]]]:
    import pymorphy3

    out: dict[str, dict[str, list[str]]] = {}
    for lang in ("uk", "ru"):
        morph = pymorphy3.MorphAnalyzer(lang=lang)
        with (RULES / f"{lang}.toml").open("rb") as f:
            data = tomllib.load(f)
        table: dict[str, list[str]] = {}
        for entries in data.values():
            if not isinstance(entries, list):
                continue
            for entry in entries:
                for lemma in entry.get("lemmas", ()):
                    table[lemma] = forms(morph, lemma)
        out[lang] = dict(sorted(table.items()))
    return out


def render(data: dict[str, dict[str, list[str]]]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    text = render(build())
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text("utf-8") == text else 1)
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT}")
