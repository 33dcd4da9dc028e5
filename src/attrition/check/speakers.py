"""Who a sentence says gave its figures: "according to X", "X said", "за словами X", "по
словам X". A speaker is the General Staff's side (the General Staff, Kyiv, Ukraine's military
and the wires that relay them), another named source (the president's own estimates, a
foreign government, the Russian side, analysts, independent media), or unknown.

The rules are data (rules/*.toml): `speaker` patterns find the speaker's words (group `who`),
`source_class` patterns classify them, first match in file order (the president before
"Ukraine", so "Ukraine's president" is the president's figure). A figure another named source
gave that does not match the ledger is `unverifiable` (that source's figure), never
`contradicted`: the General Staff never said it. One that matches stays supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from attrition.check import rules


@dataclass(frozen=True)
class Speaker:
    who: str
    """The speaker's words as written ("Estonian Defence Minister Kusti Salm")."""
    own: bool
    """The General Staff's side (True) or another named source (False)."""
    why: str
    start: int
    end: int
    rule_ids: tuple[str, ...]
    """The `speaker` rule that found it and the `source_class` rule that classified it."""


def _own_first(kind: str, lang: str) -> tuple[rules.Rule, ...]:
    """A kind's rules, the text's own language's first (an article quotes across languages,
    but its own language's words say it best)."""
    return tuple(sorted(rules.of_kind(kind), key=lambda r: r.lang != lang))


@cache
def _speaker_rules(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((rules.guarded(re.compile(r.data["pattern"],
                                           0 if r.data.get("case_sensitive") else re.I)),
                  r.id) for r in _own_first("speaker", lang))


@cache
def _classes(lang: str) -> tuple[tuple[re.Pattern[str], bool, str, str], ...]:
    return tuple((re.compile(r.data["pattern"], re.I), bool(r.data.get("own")),
                  str(r.data.get("why", "")), r.id) for r in _own_first("source_class", lang))


def classify(who: str, lang: str = "en") -> tuple[bool, str, str] | None:
    """(own side?, why, rule id) of a speaker's words; None: nobody we can name."""
    for rx, own, why, rid in _classes(lang):
        if rx.search(who):
            return own, why, rid
    return None


@lru_cache(maxsize=4096)
def of_sentence(text: str, lang: str = "en") -> tuple[Speaker, ...]:
    """Every classified speaker a sentence names, in order."""
    out: list[Speaker] = []
    for rx, rid in _speaker_rules(lang):
        for m in rx.finditer(text):
            who = m.group("who").strip()
            got = classify(who, lang)
            if got is None:
                continue
            own, why, cid = got
            out.append(Speaker(who, own, why, m.start(), m.end(), (rid, cid)))
    out.sort(key=lambda s: s.start)
    return tuple(out)


def of_figure(text: str, pos: int, lang: str = "en") -> Speaker | None:
    """The speaker of the figure at `pos`: the General Staff's side if the sentence names it
    at all (a figure is the General Staff's unless only another source is named), else the
    named other source nearest the figure; None if the sentence names nobody we know."""
    found = of_sentence(text, lang)
    if not found:
        return None
    own = next((s for s in found if s.own), None)
    if own is not None:
        return own
    return min(found, key=lambda s: 0 if s.start <= pos < s.end else
               min(abs(s.start - pos), abs(s.end - pos)))
