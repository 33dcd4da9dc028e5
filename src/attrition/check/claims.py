"""Claim extraction: every number that states a loss, with the words that say what it counts
(category), how (measure) and when (period), and every comparative claim ("the highest in a
month"). Numbers that are not losses (years, dates, "24 hours", ages, money, percentages,
milestones) are dropped; numbers from other sources are kept and marked out of scope.

The words are data (rules/{en,uk,ru}.toml, each rule with an id that the claim records in
`rule_ids`); a figure takes its measure, period and source from its own clause first, then
from the frame of its sentence, never from another clause's figure."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import pairwise
from typing import NamedTuple

from attrition import categories, periods
from attrition.check import kept, numbers, rules, speakers
from attrition.check.article import MONTH_RE, MONTHS, Article, Sentence
from attrition.check.numbers import Number

WEEKDAYS = rules.calendar("weekdays")
_WD_RE = rules.alternation(list(WEEKDAYS))
_NUMWORD = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10,
            "два": 2, "три": 3, "чотири": 4, "п'ять": 5, "сім": 7}

@cache
def _scope_rules() -> tuple[tuple[tuple[str, ...], str, str, bool], ...]:
    """(words without which the pattern cannot match: a substring test first spares most
    sentences every regular expression; why it is out of scope; the rule id; whether an
    article that quotes the General Staff overrules it), from rules/*.toml."""
    return tuple((tuple(r.data["keys"]), str(r.data["why"]), r.id,
                  bool(r.data.get("skip_if_article_quotes_general_staff")))
                 for r in rules.of_kind("scope"))


@cache
def _scope_pattern(rid: str) -> re.Pattern[str]:
    """A scope rule's pattern, compiled the first time a sentence has one of its keys."""
    r = rules.by_id(rid)
    return rules.guarded(re.compile(r.data["pattern"],
                                    0 if r.data.get("case_sensitive") else re.I))


@cache
def _scope_keys() -> re.Pattern[str]:
    """Any scope rule's key word: most sentences have none and need no rule tried."""
    return re.compile(rules.alternation([k for keys, *_ in _scope_rules() for k in keys]))


@lru_cache(maxsize=4096)
def _scope_of(text: str, quotes_gs: bool) -> tuple[str, str, int] | None:
    """Why a sentence's figures are out of scope, the rule that says so, and where."""
    low = text.lower()
    if not _scope_keys().search(low):
        return None
    for keys, why, rid, skippable in _scope_rules():
        if skippable and quotes_gs:
            continue
        if any(k in low for k in keys):
            m = _scope_pattern(rid).search(text)
            if m:
                return why, rid, m.start()
    return None


@cache
def _unless_figure(rid: str) -> re.Pattern[str] | None:
    r = rules.by_id(rid)
    words = r.data.get("unless_figure")
    return re.compile(rf"\s*(?:[\w'’-]+\s+){{0,2}}?(?:{words})", re.I) if words else None


def _near_figure(rid: str, text: str, at: int, start: int, end: int) -> bool:
    """Whether a scope rule that holds only for the figure it is about (`near_figure`: one
    sector, one battle) is about this figure: its words come before the figure with no other
    figure between, or right after it in the same phrase (no comma, semicolon or dash)."""
    if not rules.by_id(rid).data.get("near_figure"):
        return True
    if at < start:
        return not re.search(r"\d", text[at:start])
    between = text[end:at]
    if re.search(r"[;—–]", between):
        return False
    # "lost 100 tanks, 250 APVs and 7 aircraft during the battle of Avdiivka": the words
    # after a list are every item's; after a comma that opens anything else they are not
    # ("lost 1,370 troops, as the fighting goes on near Pokrovsk")
    rest = _LIST_ITEM.sub(" ", between)
    return not re.search(r"[,\d]", rest)


_LIST_ITEM = re.compile(r"(?:,\s*(?:and\s+|or\s+|і\s+|та\s+|й\s+|и\s+)?|\s+(?:and|or|і|та|й|и)\s+)"
                        r"(?:(?:about|some|over|nearly|almost|more than|around|близько|понад|"
                        r"около|более)\s+)?\d[\d,.]*(?:\s\d{3}\b)*")
"""The next item of a list of figures (", 250", "and 7", "та 12")."""


def _figure_overrules(rid: str, text: str, end: int) -> bool:
    """Whether the figure's own words overrule a sentence's scope rule (its `unless_figure`):
    in "Ukrainian defenders killed 890 Russian troops" the figure names whose losses it is."""
    rx = _unless_figure(rid)
    return rx is not None and rx.match(text, end) is not None


def _clause_overrules(rid: str, text: str, scope: tuple[str, str, int] | None,
                      pos: int) -> bool:
    """Whether the figure's own clause, apart from the scope rule's words, names whose losses
    it counts (the rule's `unless_figure` words): "43,000 Ukrainian soldiers were killed,
    while Russian losses exceeded 750,000" (rule scope.clause_names_side)."""
    words = rules.by_id(rid).data.get("unless_figure")
    if not words or scope is None or scope[2] < 0:
        return False
    ca, cb = clause_of(text, pos)
    if ca <= scope[2] < cb or _scope_pattern(rid).search(text, ca, cb):
        return False  # (the clause has the rule's words itself)
    return re.search(rf"\b(?:{words})", text[ca:pos], re.I) is not None


OWN_SOURCE = re.compile(
    r"\b(?:general staff|kyiv|ukraine's (?:military|army|armed forces|defen[cs]e ministry)|"
    r"генштаб\w*|генеральн\w+ штаб\w*|зсу|всу)\b", re.I)
"""A clause that names the General Staff (or Kyiv) as its own source: another source named
in another clause of the sentence does not rule its figures out."""


FORECAST = re.compile(
    r"\bwill (?:likely )?(?:continue|average|reach|exceed|lose|remain)|"
    r"(?:is|are) expected to|forecast|projected to|"
    r"\b(?:could|would|may|might|(?:is|are) (?:set|likely|on (?:track|course|pace)) to)\s+"
    r"(?:\w+\s+){0,2}?(?:reach|hit|surpass|exceed|top|pass|cross)\b|"
    r"\b(?:може|можуть|міг би|могли б|может|могут|мог бы|могли бы)\s+(?:вже\s+|уже\s+)?"
    r"(?:сягнути|досягти|перевищити|перевалити|достичь|превысить|перевалить)\b|"
    r"\b(?:сягне|досягне|перевищить|достигнет|превысит)\b|прогноз|очікуєтьс|ожидаетс", re.I)
FORECAST_WHY = "a forecast, not a reported figure"
"""Judged per figure, not per sentence: "X was the second-worst month, and losses are
expected to continue at 1,000 a day" has one reported figure and one forecast; "could reach
the 100,000 mark by Christmas", "може сягнути мільйона" are projections."""


@lru_cache(maxsize=4096)
def _forecast_near(text: str, start: int, end: int) -> bool:
    clause_start = max(text.rfind(",", 0, start), text.rfind(";", 0, start),
                       text.rfind(" that ", 0, start))
    return any(clause_start <= m.start() < end + 30 for m in FORECAST.finditer(text))


WAR_FRAME = re.compile(
    r"\bof the (?:full-scale )?(?:war|invasion)\b|since the (?:start|beginning|outset)|\bever\b|"
    r"on record|since (?:february|feb\.?) (?:24|2022)|since 2022|in the war|of all time|"
    r"за всю війну|від початку", re.I)
"""Words that rank a month against the whole war rather than its own year."""

CONTINUATION = re.compile(
    r"^\W*(?:other|also|alongside|in addition|additionally|besides|of (?:these|them|this)|"
    r"among them|further)\b|\b(?:were|was) (?:also )?(?:claimed|reported|said)\b|"
    r"\bthe (?:remaining|rest of)\b", re.I)
"""A sentence that goes on with the previous one's figures (and so with its source): "the
remaining five drones" are of the previous sentence's count."""
SPEAKER = re.compile(
    r"^\W*(?:they|he|she|the (?:official|officials|source|sources|analyst|analysts))\s+"
    r"(?:said|say|says|added|told|noted|estimated|wrote)\b", re.I)
"""A sentence that quotes the previous sentence's speaker, even at a new paragraph."""

MAX_SENTENCE = 3000
"""Longer "sentences" (a run of digits, markup without stops) are skipped, which also keeps
every pattern here linear in the article's length."""

GENERIC_LABELS = frozenset({"losses", "total losses"})
"""Words that name no category at all: the text's topic decides."""

IN_SCOPE_ANYWAY = re.compile(
    r"(?:based on|citing|according to|from) (?:the )?(?:figures|data|statistics|numbers)? ?"
    r"(?:provided by |published by |of |from )?(?:the )?general staff", re.I)
_MONEY = re.compile(r"[£$€₴]\s*$|(?:us|usd)\s*$", re.I)
_AFTER_NOT_LOSS = re.compile(
    r"^\s*[-‐‑]?(?:%|percent|per cent|pct|відсот|hours?\b|hrs\b|годин|хвилин|minutes?\b|"
    r"days?\b|днів|дні\b|доб[иу]?\b|weeks?\b|тижн|недел|months?\b|місяц|месяц|дней\b|суток\b|years?\b|рок|років|km\b|"
    r"kilomet|км\b|miles?\b|metres?\b|meters?\b|mark\b|milestone|threshold|-year-old|"
    r"year-old|times\b|разів|st\b|nd\b|rd\b|th\b|billion|bn\b|dollars|euros|pounds|гривень|"
    r"доларів|млрд|[a-zа-я]*-?year|a\.m\.|p\.m\.|:\d|/\d|\.\d{1,2}\b|-?й\b|-?го\b|-му\b|"
    r"division|brigade|regiment|motoris|motoriz|battalion|бригад|дивізі|"
    r"of (?:them|whom)\b(?!\s+(?:were\s+)?(?:lost\s+|killed\s+)?(?:(?:over|in|during)\s+the\s+"
    r"(?:past|last|previous|latest)\s+(?:day|24|week|month)|yesterday|on \w+day))|"
    r"з них\b|из них\b|reports?\b|bulletins?\b|зведен\w*|звіт\w*|сводк\w*|сводок)", re.I)
"""Words right after a number that make it something else; "of them" is a part (of a force,
of the wounded) unless a day's cue follows ("1,170 of them over the past day")."""
_BEFORE_NOT_LOSS = re.compile(
    r"(?:[£$€₴]|\bday|\bдень|\bдоба|\bno\.|#|[A-Za-zА-Яа-я]-|\bsu-|\bt-|\bm|\bf-|\bmig-|"
    r"\bка-|\bмі-|\bver\.|\bpage|\bкм|\bkm|\bвід|\bfrom|\bto|\bof the|\bthe|\bunit|\bbrigade|"
    r"\bгодин|\bat)\s*$", re.I)
_UNIT_AFTER = re.compile(
    r"\s+(?:[^\W\d_]+\s+){0,2}(?:divisions?|brigades?|regiments?|battalions?|companies|"
    r"дивізі\w*|бригад\w*|полк\w*|батальйон\w*|дивизи\w*|батальон\w*)\b", re.I)
"""A count of military units ("36 motorised rifle divisions", "119 танкових батальйонів"):
a comparison, not a figure the General Staff reports."""
UNITS_WHY = "a number of military units (a comparison), not a figure of losses"
_DATE_AROUND = re.compile(rf"(?:{MONTH_RE})\.?\s*$", re.I)
_DATE_AFTER = re.compile(rf"^\s*(?:{MONTH_RE})\b|^\.\d{{1,2}}\b|^-(?:го|й)\b", re.I)

COMPARE_CUE = (
    r"(?:exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|higher than|more than|greater than|"
    r"larger than|above|topp(?:ed|ing)|up from|перевищу\w*|перевищи\w*|більш\w*,? ніж|"
    r"вищ\w*,? ніж|превыша\w*|превысил\w*|больше,? чем|выше,? чем|"
    r"(?P<low>lower than|fewer than|less than|below|down from|менш\w*,? ніж|нижч\w*,? ніж|"
    r"меньше,? чем|ниже,? чем))")
_IN_MONTH_RE = rules.alternation(list(rules.calendar("months_in")))
"""The forms that say "in that month" (у серпні, в августе)."""
COMPARE_PERIODS = re.compile(
    COMPARE_CUE + rf"(?=[^.;\d]{{0,30}}?\b(?P<month>{MONTH_RE}|{_IN_MONTH_RE})(?:'s|’s)?\b)",
    re.I)
"""A figure set against another month's ("45,720, above October's 41,980", "перевищує
жовтневий показник"): the comparison of two periods (rule comparative.periods)."""
COMPARATIVE = re.compile(
    COMPARE_PERIODS.pattern + r"|"
    r"\b(?:highest|record(?:-breaking| high| number| daily)?\b|worst|deadliest|heaviest|"
    r"largest|biggest|greatest|peak(?:ed)?|unprecedented|second[- ](?:highest|worst|largest|"
    r"deadliest|heaviest)|most (?:in|since|of any|catastrophic|costly|deadly|losses)|"
    r"the most\b|first time since|for the first time|first time ever|вперше|впервые|"
    r"only surpassed|surpassed(?!\s+(?:the\s+)?(?:\d|a |one |half ))|"
    r"(?:more than|больше,? чем|більше,? ніж) (?:in |в |у )?(?:any other|любой другой|"
    r"будь-який інший) (?:month|месяц|місяць)|"
    r"trended (?:down|up)wards?|"
    r"consecutive|lowest|fewest|(?:one of|among) (?:its|the) \w+est|shy of|short of|"
    r"away from the|"
    r"second[- ](?:lowest|fewest|mildest|lightest|smallest)|least (?:deadly|catastrophic|"
    r"costly|bloody|heavy)|lightest|mildest|smallest|trough|"
    r"найбільш\w*|рекорд\w*|найвищ\w*|найгірш\w*|найважч\w*|найменш\w*|найдорожч\w*|"
    r"найдешевш\w*|найкривав\w*|больше всего|меньше всего|наибольш\w*|наивысш\w*|"
    r"наихудш\w*|наименьш\w*|максимальн\w*|минимальн\w*|"
    r"(?:максимум|мінімум|минимум)(?!\s*(?:\d|до\b))|"  # ("максимум 1 000": at most)
    r"сам(?:ые|ых|ыми|ый|ая|ое) (?:большие|больших|большими|большой|тяжел\w+|крупн\w+|"
    r"малые|малых|маленьк\w+|низк\w+|высок\w+))", re.I)
NEAR_RECORD = re.compile(
    r"\b(?:close to|near|approach\w*|(?:just )?(?:short|shy) of|near-)(?: the| a)?(?: \w+)? "
    r"record\b|\bnear-record\b|\bблизьк\w* до (?:\w+ )?рекорд\w*|\bнаблизи\w* до (?:\w+ )?"
    r"рекорд\w*|\bблизк\w* к (?:\w+ )?рекорд\w*|\bприблизи\w* к (?:\w+ )?рекорд\w*", re.I)
"""A figure near the record, not the record itself."""
LOW_DIRECTION = re.compile(
    r"lowest|fewest|least|lightest|mildest|smallest|trough|trended down|найменш|найдешевш|"
    r"наименьш|минимальн|мінімум|минимум|малы|маленьк|низк|меньше всего", re.I)
"""The cues that rank from the bottom ("the fewest in a month"); the rest rank from the
top."""


def _from_word_start(rx: re.Pattern[str], also: str = "") -> re.Pattern[str]:
    """The same pattern, tried only where a word starts: the engine tries every alternative
    at every position, and most positions are inside words (2.5-3x faster here; the matches
    are the same on every sentence of the fixtures and the eval set)."""
    return re.compile(rf"\b(?:{rx.pattern}){also}", rx.flags)


MEASURES = ("change", "total", "window", "average")


@cache
def _calendar_re(table: str, lang: str) -> str:
    """A rule's own language's month or weekday words (an English cue names English months;
    a smaller pattern compiles faster)."""
    return rules.alternation(list(rules.language_table(lang, table)))


@cache
def _cue_regex(kind: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex of every `measure` rule for a measure (or of every `date_cue` rule), each
    rule a named group, so a match says which rule it is; and group name -> rule id."""
    chosen = [r for r in rules.of_kind("date_cue" if kind == "date" else "measure")
              if kind == "date" or r.data["measure"] == kind]
    names: dict[str, str] = {}
    parts = []
    for i, r in enumerate(chosen):
        body = r.data["pattern"].replace("{weekday}", _calendar_re("weekdays", r.lang)) \
            .replace("{month}", _calendar_re("months", r.lang))
        names[f"r{i}"] = r.id
        parts.append(f"(?P<r{i}>{body})" if r.data.get("anywhere") else
                     rf"\b(?P<r{i}>{body})")
    return rules.guarded(re.compile("|".join(parts), re.I)), names


_DAY_DIFF = re.compile(
    r"\s*(?:\w+\s+)?(?P<dir>more|fewer|less|higher|lower|більше|менше|больше|меньше)\s*,?\s*"
    r"(?:ніж|чим|чем|than)\s+(?:(?:on |in )?(?:the )?(?:day before|previous day|a day earlier|"
    r"yesterday)|напередодні|учора|вчора|накануне|вчера|попередньої доби|предыдущих суток)",
    re.I)
_ROSE_TO = re.compile(r"\b(?:fell|dropped|declined|decreased|slipped|eased|rose|increased|"
                      r"climbed|jumped|grew|went up|went down)\s+(?:\w+\s+)?to\s*$", re.I)
_FROM_BASE = re.compile(r"\b(?:fell|dropped|declined|decreased|slipped|eased|rose|increased|"
                        r"climbed|jumped|grew)\s+(?:\w+\s+)?to\s+[\d,.]+\d\s+from\s*$", re.I)
_TO_FROM = re.compile(r"\s+from\s+(?:a |an )?[\d,.]+\d", re.I)
""""fell to 203 from 307": the figure after "from" is the base."""
_MONTH_DIFF = re.compile(
    r"\s*(?:\w+\s+)?(?P<dir>more|fewer|less|higher|lower|більше|менше|больше|меньше)\s*,?\s*"
    r"(?:ніж|чим|чем|than)\s+(?:(?:in|during) |у |в |во |за )?(?P<month>[^\W\d_]+)(?:'s|’s)?\b",
    re.I)
"""A figure that is the difference of two months' sums ("101 more than in January")."""
_DAY_DIFF_BEFORE = re.compile(r"(?:\bна|\bby|^|[\s,—–-])\s*$", re.I)
"""A figure that is the difference of two days' changes ("80 more than the day before")."""


@lru_cache(maxsize=1)
def _base_rules() -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None, str, bool], ...]:
    """(the words before the figure, the words after it or None when the words before say
    it all ("а напередодні — 850"), the rule id, whether the words after may be missing
    when the words before name the base themselves ("a year earlier, the tally was"))"""
    # up to two words between ("down from a record 2,200 the day before")
    return tuple((re.compile(rf"(?:^|\W)(?:{r.data['before']})(?:\s+[^\W\d]+){{0,2}}\s*$", re.I),
                  re.compile(rf"^(?:[^\d.;!?]{{0,30}}?)\b(?:{r.data['after']})\b", re.I)
                  if r.data.get("after") else None, r.id, bool(r.data.get("after_optional")))
                 for r in rules.of_kind("base"))


def _base_rule(s: str, n: Number) -> str | None:
    """The rule that makes a figure the base of a comparison with an earlier report ("up
    from 293 the day before", "проти 293 напередодні", "down from 1,330 a week earlier",
    "a year earlier, the tally was 521,830"), or None."""
    return _base_rule_of(s[max(0, n.start - 60):n.start], s[n.end:n.end + 60])


@cache
def _base_before_any() -> re.Pattern[str]:
    """Every base rule's words before the figure in one pattern: it matches where one of
    them does, and most figures have none, so they are tried one by one only after it."""
    words = "|".join(f"(?:{r.data['before']})" for r in rules.of_kind("base"))
    return re.compile(rf"(?:^|\W)(?:{words})(?:\s+[^\W\d]+){{0,2}}\s*$", re.I)


@lru_cache(maxsize=4096)
def _base_rule_of(head: str, tail: str) -> str | None:
    """_base_rule of the 60 characters before and after a figure (a figure's clause and its
    sentence often give the same)."""
    if _base_before_any().search(head) is None:
        return None
    for before, after, rid, optional in _base_rules():
        bm = before.search(head)
        if bm is None:
            continue
        if after is None or after.match(tail):
            return rid
        if optional and after.search(bm.group(0)):
            return rid
    return None


def base_shift(rid: str, d: date) -> date:
    """The report a base rule names, counted back from `d`: a day, a week or a year."""
    r = rules.by_id(rid)
    if r.data.get("years"):
        try:
            return d.replace(year=d.year - int(r.data["years"]))
        except ValueError:
            return d.replace(year=d.year - int(r.data["years"]), day=28)
    return d - timedelta(days=int(r.data.get("days", 1)))


_SAY = re.compile(r"\b(?:said|says|reported|reports|announced|published|stated|released|"
                  r"claimed|claims|added|told|wrote|estimated|confirmed|"
                  r"posted|update|updated|report|figures|data|повідоми\w*|заявив|заявили|"
                  r"проінформува\w*|поінформува\w*|інформу\w*|зазначи\w*|звітува\w*|"
                  r"проинформирова\w*|информирова\w*|отметил\w*|"
                  r"оприлюдн\w*|опублікова\w*|зведення\w*|сообщ\w*|заяви\w*|"
                  r"фіксува\w*|зафіксува\w*|зафиксирова\w*|фиксирова\w*|"
                  r"опубликова\w*|сводк\w*)\s+(?:\w+\s+)?$", re.I)


@dataclass
class Claim:
    sentence: Sentence
    start: int
    end: int
    value: int | None
    number: Number | None = None
    qualifier: str | None = None
    label: str | None = None
    category: str | None = None
    label_kind: str = "category"
    """category | loose | sum | context | generic | comparative"""
    measure: str | None = None
    """the measure the text states: change | total | window | average | comparative"""
    period: tuple[date | None, date] | None = None
    """the report dates the text states, inclusive; None: the article's report"""
    period_note: str = ""
    date_stated: bool = False
    """whether the text says which report (a date, a weekday, "the past 24 hours")"""
    scope: str | None = None
    """why the claim is out of scope, or None"""
    plus: bool = False
    comparative: dict[str, object] = field(default_factory=dict)
    other_source: str | None = None
    """Why the figure is another named source's (check/speakers.py), or None."""
    also: tuple[str, ...] = ()
    """Further categories one figure names with its own ("39 tanks and AFVs"): their sum."""
    within: tuple[date | None, date] | None = None
    """A period the figure is some part of, which the text does not name ("2,030 in a single
    day" in November; "10,000 within one week" in September)."""
    within_days: int = 1
    """How many consecutive reports that part spans (1: a day; 7: a week)."""
    per_days: float = 1
    """The unit of an average: 1 a day, 7 a week, 30.4375 a month ("an average of 35,000 a
    month", "в середньому 35 тисяч на місяць")."""
    as_of: tuple[date, date] | None = None
    """A total the text dates only to part of a month ("in mid-June", "наприкінці червня"):
    as of some report of this span (rules `as_of_part`)."""
    rule_ids: list[str] = field(default_factory=list)
    """Every rule (rules/*.toml) that set something on the claim: its number's scale and
    qualifier, its category word, its measure and period cues, its scope."""


@cache
def _label_index() -> list[tuple[str, str, str]]:
    """(normalised label, category id or name, kind), longest first: the bulletin's own
    labels (categories.py) and the press's words (the `category` rules of rules/*.toml, with
    the word forms scripts/build_wordforms.py inflected from their lemmas)."""
    return [(lab, cid, kind) for lab, cid, kind, _ in _label_rules()]


@kept.table
def _label_rules() -> list[tuple[str, str, str, str]]:
    """_label_index with the id of the rule each label comes from."""
    seen: dict[tuple[str, str, str], str] = {}
    forms = _wordforms()
    for r in rules.of_kind("category"):
        kind = str(r.data.get("kind", "category"))
        cid = str(r.data["category"])
        for w in r.words:
            seen.setdefault((norm(w), cid, kind), r.id)
        if r.lang == "en" and kind != "sum":
            for w in r.words:
                one = _en_singular(norm(w))
                if one is not None:
                    seen.setdefault((one, cid, kind), r.id)
        for lemma in r.data.get("lemmas", ()):
            for w in forms.get(r.lang, {}).get(lemma, [lemma]):
                seen.setdefault((norm(w), cid, kind), r.id)
    for cat in categories.CATEGORIES:
        for lab in (cat.en, cat.uk, *cat.synonyms_en, *cat.synonyms_uk):
            lang = "uk" if _CYRILLIC.search(lab) else "en"
            seen.setdefault((norm(lab), cat.id, "category"), f"{lang}.cat.{cat.id}")
    # A loose word ("vehicles") wins over a historical category's label; the verifier reads
    # it as military auto before the merge. Any other category label wins over a loose one.
    loose = {lab for lab, _, k in seen if k == "loose"}
    historical = {c.id for c in categories.CATEGORIES if c.historical}
    cats = {lab for lab, cid, k in seen if k == "category" and cid not in historical}
    out = [(*e, rid) for e, rid in seen.items() if not (e[2] == "loose" and e[0] in cats)
           and not (e[2] == "category" and e[1] in historical and e[0] in loose)]
    # A total order (never a set's, which changes with the hash seed): a label with two
    # meanings ("автомобільної техніки": vehicles and fuel tanks, or military auto before the
    # merge) lists today's category first; _on_day picks the one that existed on the day.
    return sorted(out, key=lambda e: (-len(e[0]), e[0], e[1] in historical, e[2], e[1]))


_EN_PLURAL_HEAD = re.compile(
    r"^(?:(units|pieces|items) of .+|(.*\b(?:system|vehicle|launcher|gun|tank|helicopter|plane|"
    r"airplane|warplane|jet|drone|missile|ship|boat|warship|submarine|truck|howitzer|"
    r"carrier))s)$")
"""A label whose last word is an equipment noun in the plural ("air defence systems")."""
_EN_NO_SINGULAR = frozenset({"mlrs", "mrls", "mlrss", "uavs", "ss"})


def _en_singular(label: str) -> str | None:
    """An English label's singular ("air defence systems" → "air defence system", "units of
    equipment" → "unit of equipment"): "one anti-aircraft system" is a figure of 1. Read
    only after "one"/"1"/"a" (see _find_label_after), so "50 drone attacks" names no drones."""
    if label in _EN_NO_SINGULAR or _CYRILLIC.search(label):
        return None
    m = _EN_PLURAL_HEAD.match(label)
    if m is None:
        return None
    if m.group(1):
        return m.group(1)[:-1] + label[len(m.group(1)):]
    return str(m.group(2))


@kept.table
def _singular_only() -> frozenset[str]:
    """The labels that exist only as _en_singular forms of the rules' plural words."""
    words = {norm(w) for r in rules.of_kind("category") for w in r.words}
    singulars = {_en_singular(w) for w in words}
    return frozenset(lab for lab, _, _ in _label_index() if lab not in words
                     and lab in singulars)


_ONE_BEFORE = re.compile(r"(?:\bone|(?<![\d,.])1|\ban?|\banother|\bsingle)\s+\Z", re.I)


@cache
def _weak() -> frozenset[str]:
    """Words that name personnel only when nothing more specific is near ("artillery
    losses", "military jets"): the `weak` category rules."""
    return frozenset(norm(w) for r in rules.of_kind("category")
                     if r.data.get("weak") and r.data.get("kind", "category") == "category"
                     for w in r.words)


@lru_cache(maxsize=1024)
def label_rule(lab: str, cid: str, lang: str = "en") -> str | None:
    """The id of the rule that makes `lab` name `cid`: the text's own language's when two
    languages share the word ("танки")."""
    ids = _label_owners().get((norm(lab), cid), ())
    return next((i for i in ids if i.startswith(f"{lang}.")), ids[0] if ids else None)


@kept.table
def _label_owners() -> dict[tuple[str, str], tuple[str, ...]]:
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    forms = _wordforms()
    for r in rules.of_kind("category"):
        cid = str(r.data["category"])
        words = [*r.words, *(w for lemma in r.data.get("lemmas", ())
                             for w in forms.get(r.lang, {}).get(lemma, [lemma]))]
        for w in words:
            key = (norm(w), cid)
            if r.id not in out.get(key, ()):
                out[key] = (*out.get(key, ()), r.id)
    for lab, cid, _, rid in _label_rules():
        if (lab, cid) not in out:
            out[(lab, cid)] = (rid,)
    return out


@cache
def _wordforms() -> dict[str, dict[str, list[str]]]:
    """The inflected forms of the rules' `lemmas` (scripts/build_wordforms.py)."""
    path = rules.HERE / "wordforms.json"
    data: dict[str, dict[str, list[str]]] = json.loads(path.read_text("utf-8"))
    return data


_CYRILLIC = re.compile("[а-яіїєґё]", re.I)


@kept.table
def _meanings() -> dict[str, tuple[str, ...]]:
    """Every category a label can name, in _label_index's order."""
    out: dict[str, tuple[str, ...]] = {}
    for lab, cid, kind in _label_index():
        if kind == "category":
            out[lab] = (*out.get(lab, ()), cid)
    return out


@lru_cache(maxsize=1024)
def _on_day(lab: str, cid: str, day: date) -> str:
    """The category a label names on `day`: the first of its meanings that existed then."""
    options = _meanings().get(norm(lab), ())
    if len(options) < 2 or categories.BY_ID[cid].exists_on(day):
        return cid
    return next((o for o in options if categories.BY_ID[o].exists_on(day)), cid)


def norm(text: str) -> str:
    text = text.lower().replace("\u00a0", " ").replace("’", "'").replace("ʼ", "'") \
        .replace("ё", "е")
    # (re.sub looks its pattern up on every call: ~3 µs, 6 ms of a cold check's tables)
    return re.sub(r"\s*/\s*", " / ", text) if "/" in text else text


def _norm_keep(text: str) -> str:
    """norm() without the slash spacing, so offsets stay those of `text`."""
    return text.lower().replace("\u00a0", " ").replace("’", "'").replace("ʼ", "'") \
        .replace("ё", "е")


_CHANGE_IN_BRACKETS = re.compile(r"\s*\(\s*\+\s*\d[\d\s\u00a0,.]*\)|\s*\)(?=\s*[^\W\d])")


def _find_label_after(text: str, start: int, limit: int = 48
                      ) -> tuple[int, int, str, str, str] | None:
    # "8 815 (+15) танків", "9,584 (+8) tanks": the day's change in brackets between a total
    # and its label (and, for the change, its closing bracket) is skipped
    skip = _CHANGE_IN_BRACKETS.match(text, start)
    if skip:
        start = skip.end()
    tail = text[start:start + limit + 40]
    # a figure's label does not reach past a bracket, a comma or a dash ("— 12 (+3),
    # подводные лодки — 1" names no submarines for 12)
    cut = re.search(r"[.;!?]\s|\d|[()]|,\s|\s[—–]\s|\n| and \d| та \d", tail)
    window = tail[: cut.start()] if cut else tail
    best = None
    found = _labels_in_raw(window)
    units = _UNITS_OF_EQUIPMENT.match(window)
    if units and not any(norm(f[2]) not in _weak() and f[1] <= units.end() for f in found):
        # its own noun, which no other word of the sentence replaces: unverifiable
        return start + units.start(1), start + units.end(), \
            _norm_keep(window[units.start(1):units.end()]), "equipment_all", "category"
    for i, (s, e, lab, cid, kind) in enumerate(found):
        if s > limit:
            break
        if norm(lab) in _weak() and cid == "personnel" and _EQUIPMENT_AFTER.match(window, e):
            continue  # "units of heavy and light military equipment" are no soldiers
        if norm(lab) in _weak() and i + 1 < len(found) and not window[e:found[i + 1][0]].strip():
            # a weak word right before a specific one: "military helicopters" are helicopters
            _, e, lab, cid, kind = found[i + 1]
        filler = window[:s]
        if re.search(r"\b(?:of whom|of which|which|who|that|were|was|from|in|on|at|had|have|"
                     r"has|з|у|в)\b", filler.strip().lower()) and s > 3 and not re.match(
                r"^\s*(?:units? of|pieces? of|more|other|additional|russian|enemy|of (?:its|"
                r"the|their)|russia's|одиниц\w* |штук\w* )", filler, re.I):
            continue
        if best is None or s < best[0] or (s == best[0] and e > best[1]):
            best = (s, e, lab, cid, kind)
        break
    if best is None:
        return None
    s, e, lab, cid, kind = best
    if norm(lab) in _singular_only() and not _ONE_BEFORE.search(text, max(0, start - 12),
                                                                 start + s):
        return None  # "50 drone attacks": a singular names a figure of one only
    return start + s, start + e, lab, cid, kind


_UNITS_OF_EQUIPMENT = re.compile(
    r"\s*((?:units?|pieces?|items?) of)\s+(?:[a-z-]+,?\s+){0,4}?(?:equipment|hardware|"
    r"weaponry)\b", re.I)
"""Equipment with words between that the registry does not know ("units of heavy and light
military equipment"): adjectives narrow the set, so it is no category the ledger has."""
_EQUIPMENT_AFTER = re.compile(r"\s+(?:equipment|hardware|weapon\w*|machinery|techn\w*|"
                              r"техні\w+|техни\w+|обладнан\w+|оборудован\w+)", re.I)


_JOIN = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&|та|і|й|и|а також)\s+", re.I)


def _joined_labels(text: str, end: int, own: frozenset[int] = frozenset()) -> tuple[str, ...]:
    """The categories named right after a figure's own, joined to it with no figure of
    their own ("39 tanks and AFVs", "17 танків і ББМ"): one figure for their sum (rule
    category.joined_sum)."""
    out: list[str] = []
    pos = end
    while (j := _JOIN.match(text, pos)) is not None:
        nxt = j.end()
        found = _labels_in_raw(text[nxt:nxt + 60])
        if not found or found[0][0] != 0 or found[0][4] != "category" \
                or norm(found[0][2]) in _weak() or nxt in own:
            break  # (a singular item of a list is a figure of one of its own: "та БпЛА")
        after = text[nxt + found[0][1]:nxt + found[0][1] + 12]
        if re.match(r"\s*(?:[-—–:(]\s*)?\d", after):
            break  # "tanks, AFVs — 24": that word has a figure of its own
        out.append(found[0][3])
        pos = nxt + found[0][1]
    return tuple(out)


_TOKEN = re.compile(r"[\w'’ʼ]+(?:-[\w'’ʼ]+)*|[/&]")
"""A word (with its inner hyphens and apostrophes), or a slash or ampersand between words."""


@kept.table
def _label_table() -> tuple[dict[tuple[str, ...], tuple[str, str]], dict[str, int]]:
    """Every label as a tuple of words -> (category id or name, kind), and for each first
    word the most words a label starting with it has. A dictionary, not one alternation of
    600 labels: nothing to compile at start-up (that regex took 50 ms), and a lookup per
    word keeps the scan linear."""
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    longest: dict[str, int] = {}
    for lab, cid, kind in _label_index():
        key = tuple(_TOKEN.findall(lab))
        if key and key not in table:
            table[key] = (cid, kind)
            longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return table, longest


def _labels_in_raw(text: str) -> list[tuple[int, int, str, str, str]]:
    """Category words with offsets in `text` itself, leftmost-longest, not overlapping."""
    table, longest = _label_table()
    low = _norm_keep(text)
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(low)]
    out = []
    i = 0
    while i < len(toks):
        most = longest.get(toks[i][2], 0)
        for n in range(min(most, len(toks) - i), 0, -1):
            hit = table.get(tuple(t[2] for t in toks[i:i + n]))
            if hit is not None:
                a, b = toks[i][0], toks[i + n - 1][1]
                out.append((a, b, low[a:b], hit[0], hit[1]))
                i += n
                break
        else:
            i += 1
    return out


def _find_label_before(text: str, pos: int) -> tuple[int, int, str, str, str] | None:
    """A label-first figure: "танки — 9419", "tanks: 773", "(+36)" after its label."""
    head = text[max(0, pos - 80):pos]
    offset = max(0, pos - 80)
    clause_start = max(head.rfind(";"), head.rfind("\n"), head.rfind("•"),
                       head.rfind(". "))
    clause = head[clause_start + 1:]
    cstart = offset + clause_start + 1
    found = _labels_in_raw(clause)
    if not found:
        return None
    s, e, lab, cid, kind = found[-1]
    if lab in _weak() and len(found) > 1:
        ps, pe, plab, pcid, pkind = found[-2]
        if re.fullmatch(r"\s*", clause[pe:s]) and plab not in _weak():
            s, lab, cid, kind = ps, plab, pcid, pkind  # "APV losses", "tank losses"
    between = clause[e:]
    # only a separator (and maybe the label's own total) between label and number
    if re.fullmatch(r"\s*(?:[-–—:]\s*\d[\d\s\u00a0,]*\s*)?\(?\s*\+?\s*|\s*[-–—:]\s*|"
                    r"\s*(?:at|to|of|reached|stood at|становить|сягнули|досягли)\s*",
                    between, re.I):
        return cstart + s, cstart + e, lab, cid, kind
    return None


@cache
def _not_loss() -> tuple[re.Pattern[str], dict[str, str]]:
    """Words near a figure that make it no loss (troops sent, weapons made, civilians):
    every `not_loss` rule of rules/*.toml, each a named group; group name -> rule id."""
    chosen = rules.of_kind("not_loss")
    body = "|".join(f"(?P<r{i}>{r.data['pattern']})" for i, r in enumerate(chosen))
    return (rules.guarded(re.compile(rf"\b(?:{body})\b", re.I)),
            {f"r{i}": r.id for i, r in enumerate(chosen)})


def not_loss_rule(text: str) -> str | None:
    """The `not_loss` rule that words in `text` fire, if any."""
    rx, ids = _not_loss()
    m = rx.search(text)
    return ids[m.lastgroup] if m and m.lastgroup else None


_DATE_SPANS = re.compile(
    rf"\b(?:{MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*(?:and|-|–|to|до)\s*\d{{1,2}})?"
    rf"(?:,?\s+\d{{4}})?|\b\d{{1,2}}(?:\s*(?:and|-|–|to|до|по|і|та)\s*\d{{1,2}})?\s+"
    rf"(?:{MONTH_RE})\b(?:,?\s+\d{{4}})?(?:\s+року)?|\b\d{{1,2}}\.\d{{1,2}}(?:\.\d{{2,4}})?(?!\d)",
    re.I)


FIRST_ABOVE = re.compile(
    r"(?:for the first time|first time ever|вперше|впервые)[^.;]{0,80}?"
    r"(?:more than|over|above|exceed\w*|topp\w*|surpass\w*|понад|більше ніж|більш ніж|"
    r"более|больше|свыше) (?P<n>\d[\d, \u00a0]{0,10}\d|\d)", re.I)
"""A threshold crossed for the first time: "for the first time, more than 200 drones in a
day" says no earlier report had more than 200 (rule comparative.first_above)."""
MILESTONE = re.compile(r"(?:less than |only |just )?(?<![\d,])[\d,]{1,12} (?:shy|short) of "
                       r"(?:the )?[\d,]{1,12}|"
                       r"(?:less than |only |just )?(?<![\d,])[\d,]{1,12} away from the "
                       r"[\d,]{1,12}|"
                       r"consecutive day[^.]*?(?:topped|above|over|exceeded|more than) [\d,]+|"
                       + FIRST_ABOVE.pattern, re.I)
MILESTONE = _from_word_start(MILESTONE)


_FELL_BY = re.compile(r"\b(?:fell|dropped|decreased|declined|was cut|went down) by\s*\Z|"
                      r"\b(?:зменшил\w*|зменшен\w*|знизил\w*|уменьшил\w*|снизил\w*) на\s*\Z",
                      re.I)
"""A count said to fall ("fell by 2", "зменшилася на 2"): a change below zero."""
_ADDRESS = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]", re.I)
"""A web address: the numbers in it (a page's date, a slug's "16-400-osib") are no figures."""


def _date_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _DATE_SPANS.finditer(text)]


_YEAR_BEFORE_COUNT = re.compile(
    r"(?:\b(?:in|since|of|by|from|until|till|before|after|during|year|early|late|mid|and|"
    r"у|в|з|із|до|від|по|с|со|року|году|год)|\d\s*[-–/])\s*$", re.I)
"""Words after which a four-digit number is a year even with a category word after it (a
dash only after another number, "2022-2024": a list's bullet is no range)."""


_UNITS_OF = re.compile(r" (?:units? of|pieces? of|одиниц\w*|единиц\w*|штук\w*)\b", re.I)


def _label_right_after(text: str, end: int) -> bool:
    """Whether a category word follows a number at once ("2010 casualties", "1907 одиниць
    автомобільної техніки")."""
    units = _UNITS_OF.match(text, end)
    if units:
        end = units.end()
    found = _labels_in_raw(text[end:end + 60])
    return bool(found) and found[0][0] == 1 and text[end:end + 1] == " "


_PREV_DASH = re.compile(r"(?:попередньої доби|напередодні|предыдущих суток|накануне|днем раніше|"
                        r"днем ранее|a day earlier|the day before)\s*[–—:-]\s*$", re.I)


@cache
def _mark_rules() -> frozenset[str]:
    """Qualifier rules that hold only before a mark word ("passed the 1 million mark")."""
    return frozenset(r.id for r in rules.of_kind("qualifier") if "then" in r.data)


def _past_a_mark(n: Number) -> bool:
    """"passed the 1 million mark": the mark is the count's, not a length or an anniversary."""
    return n.qualifier is not None and not _mark_rules().isdisjoint(n.rule_ids)


def _is_not_a_loss(text: str, n: Number) -> bool:
    before = text[max(0, n.start - 12):n.start]
    after = text[n.end:n.end + 16]
    if n.written == "digits" and re.fullmatch(r"(?:19|20)\d\d", n.text) and not re.match(
            r"^\s*(?:\(|[a-zа-яіїєґ]+ (?:\w+ )?(?:tanks|танк))", after, re.I) and not (
            _YEAR_BEFORE_COUNT.search(before) is None and _label_right_after(text, n.end)) \
            and not _PREV_DASH.search(text, max(0, n.start - 30), n.start):
        return True  # a year, unless a category word follows it ("2010 casualties"), or it
        # is the report before's figure in a list ("днем ранее – 1968")
    if _DATE_AROUND.search(before) or _DATE_AFTER.search(after):
        return True
    if re.match(r"^[.:/]\d", after) or re.search(r"\d[.:/]$", before):
        return True  # 24.02, 06:00, 24/7
    if _AFTER_NOT_LOSS.match(text[n.end:n.end + 60]) and not _past_a_mark(n):
        return True
    if _MONEY.search(before) or re.match(r"^\s*(?:billion|million (?:dollars|euros|pounds)|"
                                         r"bn)\b", after, re.I):
        return True
    if n.written == "digits" and (re.search(r"[A-Za-zА-Яа-я][-‐‑–]?$", before)
                                  or re.match(r"^[A-Za-zА-Яа-яІЇЄ]", after)):
        return not re.match(r"^k\b", after)  # M142, T-90A, Su-25: models, not counts
    return bool(n.written == "digits" and re.search(r"(?:\bday|\bдень)\s*$", before, re.I))


_DOWNED = re.compile(r"\b(?:shot down|downed|intercepted|destroyed)\b", re.I)
_ARTICLE = re.compile(r"(?<![\w-])(?:an?|another|one more|a further)\s+", re.I)
_ONE_WORD = re.compile(r"[^\W\d_]+\s+")
_HEAD_END = re.compile(r"\s*(?:[^\w\s]|\Z|(?:and|or|was|were|had|has|in|on|over|during|as|"
                       r"while|that|which|from|to|by|near|at|for)\b)", re.I)
"""After "a tank": the noun phrase ends ("an artillery strike" names no artillery lost;
"a destroyed tank" is a sight, not a loss)."""


_AMOUNT_WORD = re.compile(r"(?:thousand|hundred|million|billion|dozen|couple|few|number|total|"
                          r"handful|score|lot|range|record|further)\b", re.I)
"""Words after "a" that make no single item ("a thousand troops", "a record 2,200")."""
_OTHER_SIDE = re.compile(r"(?:ukrainian|ukraine's|kyiv's|western|українськ\w*|украинск\w*)\s",
                         re.I)
""""A Ukrainian tank", "a Western jet": one of the other side's, not a Russian loss."""


@cache
def _list_singulars() -> tuple[tuple[re.Pattern[str], str], ...]:
    """A singular noun as an item of a list of losses ("460 окупантів, вертоліт і 22
    артсистеми"): one of it (rules `singular_one`)."""
    def opener(r: rules.Rule) -> str:
        verbs = r.data.get("openers")
        return rf"|\b(?:{rules.alternation(verbs)})\s+" if verbs else ""

    def adjective(r: rules.Rule) -> str:
        adj = r.data.get("adjectives")
        return rf"(?:(?:{rules.alternation(adj)})\s+)?" if adj else ""

    return tuple((re.compile(
        rf"(?:,\s*|\s(?:і|й|та|и|а також|також|ще|ещё|еще)\s+{opener(r)}){adjective(r)}"
        rf"({rules.alternation(r.words)})(?=\s*(?:,|\.|;|$|\s(?:і|й|та|и)\s))", re.I), r.id)
        for r in rules.of_kind("singular_one"))


def _singular_ones(text: str, listed: bool) -> list[Number]:
    """"a helicopter", "an air defence system", "another fighter jet": the figure 1 written
    as an article, before a category word (at most one word between); and a singular noun
    as an item of a list of figures ("460 окупантів, вертоліт і 22 артсистеми", "танк, шість
    ББМ, гвинтокрил та два БпЛА": `listed`, the sentence has figures)."""
    out = []
    if listed:
        for rx, rid in _list_singulars():
            for m in rx.finditer(text):
                out.append(Number(1, m.start(1), m.start(1), "", 1, "words",
                                  rule_ids=(rid,)))
    for m in _ARTICLE.finditer(text):
        tail = text[m.end():m.end() + 60]
        for a, b, lab, _, kind in _labels_in_raw(tail):
            if kind != "category" or norm(lab) in _weak():
                continue
            if (a == 0 or (_ONE_WORD.fullmatch(tail[:a]) and not tail[:a].strip().endswith("ed")
                           and not _AMOUNT_WORD.match(tail[:a])
                           and not _OTHER_SIDE.match(tail[:a]))) and _HEAD_END.match(tail, b):
                out.append(Number(1, m.start(), m.end() - 1, m.group(0).strip(), 1, "words"))
            break
    return out


LabelHit = tuple[int, int, str, str, str]
Candidate = tuple[Number, LabelHit | None, LabelHit | None, bool]


@lru_cache(maxsize=4096)
def _candidates(s_text: str, lang: str) -> tuple[tuple[Candidate, ...],
                                                  tuple[LabelHit, ...]]:
    """A sentence's figures that may be losses, each with the category word after it (or
    else before it) and whether it is a "+N"; and every category word of the sentence.
    Depends on the sentence alone, so a text that repeats a sentence reads it once."""
    found = numbers.find(s_text, lang)
    found += _singular_ones(s_text, bool(found))
    found.sort(key=lambda n: n.start)
    dates = _date_spans(s_text) + [(m.start(), m.end()) for m in MILESTONE.finditer(s_text)]
    dates += [(m.start(), m.end()) for m in _ADDRESS.finditer(s_text)]
    out: list[Candidate] = []
    for n in found:
        if _is_not_a_loss(s_text, n) or (n.written != "mixed" and any(
                a <= n.start < b for a, b in dates)):  # "1.4 thousand" is no 1 April
            continue
        if re.match(r"^\s*(?:(?:by one|of (?:the|its|their|them)|another|more time|point)\b|"
                    r"(?:з|із|из|зі|со?) (?:най|наи|сам|основн|ключов|головн))",
                    s_text[n.end:n.end + 16], re.I) and n.written == "words":
            continue
        # words that start within 30 characters before to 45 after the figure, read whole
        # (a window cut mid-phrase reads "a new dail…" as "new" troops)
        nl = _not_loss()[0].search(s_text, max(0, n.start - 30))
        if nl is not None and nl.start() >= n.end + 45:
            nl = None  # (a later one starts later still)
        if nl and not (nl.group(0).lower() in ("fired", "launched") and (
                _DOWNED.search(s_text) or (nl.start() > n.end and _LOSS_VERB.search(
                    s_text, max(0, n.start - 40), n.start)))):
            # missiles fired and shot down are losses; so are "lost 36 cruise missiles" before
            # "…, when it launched …"
            continue
        after_label = _find_label_after(s_text, n.end)
        if after_label is None and (upper := _range_upper(s_text, n, found)) is not None:
            after_label = _find_label_after(s_text, upper.end)  # "5–6 танків", "711–712 тис. осіб"
        plus = s_text[max(0, n.start - 2):n.start].strip().endswith("+")
        label = after_label
        if label is None:
            label = _find_label_before(s_text, n.start)
        out.append((n, after_label, label, plus))
    labels = tuple(_labels_in_raw(s_text))
    return _respectively(s_text, tuple(out), labels), labels


_RANGE_DASH = re.compile(r"\s*[–—-]\s*")


def _range_upper(s: str, n: Number, found: list[Number]) -> Number | None:
    """The upper end of a range whose lower end is `n` ("711–712 тис."): the category word
    after it is the whole range's."""
    dash = _RANGE_DASH.match(s, n.end)
    if dash is None:
        return None
    return next((x for x in found if x.start == dash.end()), None)


_RESPECTIVELY = re.compile(r"\b(?:respectively|відповідно|соответственно)\b", re.I)


def _respectively(s: str, found: tuple[Candidate, ...], labels: tuple[LabelHit, ...]
                  ) -> tuple[Candidate, ...]:
    """"losses of personnel, artillery and tanks reached 661,630, 19,156 and 8,933,
    respectively": the figures after the last category word take those words in order."""
    if len(found) < 2 or not _RESPECTIVELY.search(s):
        return found
    strong = [lab for lab in labels if norm(lab[2]) not in _weak() or lab[3] == "personnel"]
    if not strong:
        return found
    last = strong[-1][1]
    tail = [c for c in found if c[0].start >= last]
    heads = [lab for lab in strong if lab[1] <= last]
    if len(tail) < 2 or len(heads) < len(tail):
        return found
    paired = dict(zip((id(c) for c in tail), heads[-len(tail):], strict=True))
    return tuple((c[0], None, paired[id(c)], c[3]) if id(c) in paired else c for c in found)


@lru_cache(maxsize=4096)
def _quotes_general_staff(s: str) -> bool:
    return IN_SCOPE_ANYWAY.search(s) is not None


MAX_CLAIMS = 1_000
"""The most figures one article is checked for: a real article holds tens, a page built to
stall the checker hundreds of thousands (each costs ~0.3 ms); past this, the rest are left
out and the document says so."""


def extract(art: Article, day: date) -> list[Claim]:
    claims: list[Claim] = []
    quotes_gs = any(_quotes_general_staff(x.text) for x in art.sentences)
    last_cat: str | None = None
    last_cat_sentence = -10
    prev_scope: tuple[int, tuple[str, str, int]] | None = None
    recent: tuple[int, str] | None = None
    """The category the text last named with a specific word, and in which sentence."""
    narrative: tuple[int, int] | None = None
    """The year of the last full date the text gave for a past day, and in which sentence."""
    for si, sent in enumerate(art.sentences):
        if len(claims) >= MAX_CLAIMS:
            break
        s_text = sent.text
        if len(s_text) > MAX_SENTENCE:
            continue  # no sentence of an article is this long: noise, not prose
        # None when another body quotes the General Staff's own figures; an article that
        # quotes the General Staff may cite UK DI quoting it too, but another body's own
        # figure in the same sentence still rules it out
        scope = None if _quotes_general_staff(s_text) else _scope_of(s_text, quotes_gs)
        if scope is None and prev_scope is not None and si == prev_scope[0] + 1 and (
                SPEAKER.search(s_text) or (
                    "\n" not in art.text[art.sentences[si - 1].end:sent.start]
                    and CONTINUATION.search(s_text))) and not _quotes_general_staff(s_text):
            scope = (*prev_scope[1][:2], -1)  # "Other losses were claimed in …" goes on
        prev_scope = (si, scope) if scope else None
        scope_why = scope[0] if scope else None
        scope_ids = [scope[1]] if scope else []
        candidates, sent_labels = _candidates(s_text, art.language)
        figure_starts = frozenset(x[0].start for x in candidates)
        sentence_claims: list[Claim] = []
        for n, after_label, label, plus in candidates:
            kind = "category"
            counter = label is None and _counter_label(art, si, n)
            if counter:
                label = counter
            if label is None and n.written != "digits" and n.value < 1000:
                continue  # "one", "a dozen": only with a category word beside them
            if label is None:
                prev = [lab for lab in sent_labels if lab[1] <= n.start]
                item = s_text.rfind("; ", 0, n.start)
                if item >= 0 and any(lab[0] > item for lab in prev):
                    # "…, which had 179; 8 air defence systems, …, which had 9": a list
                    # item's unlabelled figure takes the item's own category word
                    prev = [lab for lab in prev if lab[0] > item]
                strong = [lab for lab in prev if lab[2] not in _weak()]
                if strong or prev:
                    label = (strong or prev)[-1]
                    kind = "context"
                elif last_cat is not None and si - last_cat_sentence <= 2 \
                        and not _own_noun(s_text, n.end):
                    label = (n.start, n.start, "", last_cat, "context")
                    kind = "context"
                else:
                    continue
            else:
                kind = label[4]
            s, e, lab, cid, lkind = label
            if cid in categories.BY_ID:
                cid = _on_day(lab, cid, day)
            named = cid
            if kind != "context":
                kind = lkind
            if lab in GENERIC_LABELS and cid == "personnel":
                # bare "losses" names whatever the text is about ("tank losses … 521
                # losses in October"); the verifier still tries personnel
                ctx = [x[3] for x in sent_labels if x[1] <= n.start and x[2] not in _weak()]
                topic = ctx[-1] if ctx else (recent[1] if recent and si - recent[0] <= 2
                                             else None)
                if topic is not None and topic != "personnel":
                    cid, kind = topic, "generic"
            start = min(n.qualifier_start if n.qualifier_start is not None else n.start,
                        s if label is after_label or kind != "context" else n.start)
            end = max(n.end, e if label is after_label else n.end)
            if label is not after_label and kind != "context":
                start = min(start, s)
            label_id = label_rule(lab, named, art.language) if lab else None
            if label_id is None and named == "equipment_all":
                label_id = "category.units_of_equipment"
            own_why, own_ids = scope_why, scope_ids
            if scope is not None and scope[2] >= 0:
                ca, cb = clause_of(s_text, n.start)
                if not ca <= scope[2] < cb and OWN_SOURCE.search(s_text, ca, cb):
                    own_why, own_ids = None, []  # "…, while Kyiv says 1,100 on Monday"
                    # unless the clause has another rule of its own ("…, but Moscow's
                    # defence ministry said Ukraine's army had lost 815")
                    inner = _scope_of(s_text[ca:cb], quotes_gs)
                    if inner is not None:
                        own_why, own_ids = inner[0], [inner[1]]
            if own_ids and _figure_overrules(own_ids[0], s_text, n.end):
                own_why, own_ids = None, []  # "Ukrainian defenders killed 890 Russian troops"
            lifted: list[str] = []
            if own_ids and _clause_overrules(own_ids[0], s_text, scope, n.start):
                own_why, own_ids, lifted = None, [], ["scope.clause_names_side"]
            if own_ids and scope is not None and scope[2] >= 0 and not _near_figure(
                    own_ids[0], s_text, scope[2], n.start, n.end):
                own_why, own_ids = None, []  # "lost 1,370 troops, as the fighting goes on
                #  near Pokrovsk": the sector is where the fighting is, not whose figure
            claim = Claim(sent, sent.start + start, sent.start + end, n.value, n, n.qualifier,
                          lab or None, cid, kind, plus=plus,
                          scope=own_why or (FORECAST_WHY if _forecast_near(s_text, start, end)
                                            else None),
                          rule_ids=[*n.rule_ids, *([label_id] if label_id else []),
                                    *own_ids, *lifted])
            if label is after_label and kind == "category" and cid in categories.BY_ID \
                    and cid != "personnel":
                more = tuple(x for x in _joined_labels(s_text, e, figure_starts)
                             if x in categories.BY_ID and x not in ("personnel", cid))
                if more:
                    claim.also = tuple(dict.fromkeys(more))
                    claim.rule_ids.append("category.joined_sum")
            _measure_and_period(claim, s_text, n, day)
            if claim.measure == "average":
                _average_unit(claim, s_text, n, day)
            if counter:
                _counter_period(claim, art)
            elif claim.period is None and claim.measure in (None, "total") and not claim.plus \
                    and (wd := _war_day(s_text)) is not None:
                # "на 1000-й день війни втрати сягнули 724 050": that day's report
                claim.period = (None, wd[0])
                claim.period_note = f"day {wd[2]:,} of the war: the report of {wd[0]}"
                claim.date_stated = True
                claim.rule_ids.append(wd[1])
            elif (claim.measure in (None, "total") and claim.period is None
                    and not claim.date_stated) or (claim.measure == "window" and not any(
                        ".measure." in r for r in claim.rule_ids)):
                # (a window read from a month's name alone: "in mid-June" names no window)
                _as_of_part(claim, s_text, n, day)
            if narrative is not None and si - narrative[0] <= 2:
                _in_year_of_story(claim, s_text, narrative[1], day)
            if claim.measure in (None, "change") and not claim.plus and _FELL_BY.search(
                    s_text, max(0, n.start - 24), n.start):
                claim.value = -n.value  # "MLRS fell by 2": a change of −2 (a correction)
                claim.measure = "change"
            if claim.scope is None and _UNIT_AFTER.match(s_text, n.end):
                claim.scope = UNITS_WHY
            if claim.scope is None:
                _speaker(claim, s_text, n.start, art.language)
            sentence_claims.append(claim)
        for a, b in _comparative_parts(s_text):
            comp = _comparative(sent, s_text[a:b], day, a)
            if comp is None:
                continue
            cs = comp.start - sent.start
            comp.scope = scope_why or (FORECAST_WHY if _forecast_near(s_text, cs, cs)
                                       else None)
            comp.rule_ids.extend(scope_ids)
            part = s_text[a:b]
            _comparative_subject(comp, part, [(x - a, y - a, w, c, k) for x, y, w, c, k in
                                              sent_labels if a <= x < b],
                                 sentence_claims, last_cat, day)
            sentence_claims.append(comp)
        _range_estimates(s_text, sentence_claims)
        for c in sentence_claims:
            if c.category and c.label_kind != "comparative" and c.scope is None:
                last_cat, last_cat_sentence = c.category, si
        for fd in _FULL_DATE.finditer(s_text.lower()):
            yr = int(fd.group("y1") or fd.group("y2"))
            if 2022 <= yr < day.year and not _YEAR_OF_EVENT.search(
                    s_text.lower(), max(0, fd.start() - 40), fd.start()):
                narrative = (si, yr)  # "on March 1, 2022, … The next day … by March 3"
        strong_here = [x[3] for x in sent_labels if x[2] not in _weak()]
        if strong_here and scope is None:
            recent = (si, strong_here[-1])
        claims.extend(sentence_claims)
    return claims


_BARE_FIGURE = re.compile(r"[\d\s\u00a0\u202f,.]+(?:\(\s*[+-]\s*\d[\d\s\u00a0]*\))?")


def _counter_label(art: Article, si: int, n: Number) -> LabelHit | None:
    """A page's counter block ("Танки\n10 679"): a line that is only a figure takes the
    category of the line before it when that line is only a category word (rule
    category.counter_line)."""
    sent = art.sentences[si]
    if si == 0 or not _BARE_FIGURE.fullmatch(sent.text):
        return None
    prev = art.sentences[si - 1]
    gap = art.text[prev.end:sent.start]
    if gap.count("\n") != 1 or gap.strip():
        return None
    hits = _labels_in_raw(prev.text)
    rest = prev.text
    for a, b, *_ in reversed(hits):
        rest = rest[:a] + rest[b:]
    if not hits or len({h[3] for h in hits}) != 1 or rest.strip(" /:—–-"):
        return None
    return (n.start, n.start, hits[0][2], hits[0][3], "category")


@cache
def _war_day_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(r.data["pattern"], re.I), r.id) for r in rules.of_kind("war_day"))


WAR_START = date(2022, 2, 24)


def _war_day(text: str) -> tuple[date, str, int] | None:
    """The report a page's counter names by the day of the war ("1 153 день війни": day 1 is
    24 February 2022), its rule id, and the day's number."""
    for rx, rid in _war_day_rules():
        m = rx.search(text)
        if m:
            k = int(re.sub(r"\D", "", m["n"]))
            if k >= 1:
                return WAR_START + timedelta(days=k - 1), rid, k
    return None


def _counter_period(c: Claim, art: Article) -> None:
    """A counter block's figure is a total (its "(+N)" the day's change) of the report the
    block names by its day of the war, else of the article's day."""
    c.rule_ids.append("category.counter_line")
    if not c.plus:
        c.measure = "total"
    wd = _war_day(art.text)
    if wd is not None:
        c.period = (None if not c.plus else wd[0], wd[0])
        c.period_note = f"the counter of day {wd[2]:,} of the war: the report of {wd[0]}"
        c.date_stated = True
        c.rule_ids.append(wd[1])


_RANGE_ESTIMATE = re.compile(
    r"(?<![\w-])(?:from|between|від|от|між|между)\s+(?:(?:about|some|around|близько|около|"
    r"приблизно|примерно)\s+)?(\d[\d,. \u00a0]*\d)(?:\s*(?:тис\.?|тисяч|тысяч|thousand))?"
    r"\s+(?:to|and|до|і|и)\s+(\d[\d,. \u00a0]*\d)|(?<![\d,.])(\d[\d,.]*\d)\s*[–—-]\s*"
    r"(\d[\d,.]*\d)(?!\s*(?:рок|год|р\.))|(?<![\w,.])(?<!\bby )(?<!\bup )(?<!\bна )"
    r"(\d[\d,.]*\d)\s+(?:to|до)\s+(\d[\d,.]*\d)", re.I)
_RANGE_VERB = re.compile(r"\b(?:rose|risen|grew|grown|increased|climbed|jumped|went up|fell|"
                         r"dropped|decreased|зросл\w*|збільшил\w*|виросл\w*|зменшил\w*|"
                         r"выросл\w*|увеличил\w*|уменьшил\w*|снизил\w*)\b[^.;]{0,30}\Z", re.I)
RANGE_WHY = "an estimate given as a range of totals: the General Staff gives one figure"


_NOUN_AFTER = re.compile(r"\s+(?:([a-z][a-z-]*)\s+){0,2}?([a-z][a-z-]*s)\b")
_NOT_A_HEAD = frozenset((
    "was is has does this thus plus its his as us across always perhaps whereas less unless "
    "units pieces items times days weeks months years hours nights others less regardless "
    "besides towards afterwards sometimes yes"
).split())
_NOT_BEFORE_HEAD = frozenset((
    "was were is are has have had been be will would could did do does more less other of in "
    "on at to for from by over during since with and or but as than per a an the its their "
    "this that these those each every about around some also alone only just against versus "
    "vs each another further additional new extra"
).split())


def _own_noun(s: str, end: int) -> bool:
    """An English figure followed by a noun of its own that names no category ("20 cars",
    "13 modern sports arenas"): it does not take the category of an earlier sentence, so it
    makes no claim (and so carries no rule id)."""
    m = _NOUN_AFTER.match(s, end)
    if m is None or m.group(2).lower() in _NOT_A_HEAD or m.group(2).endswith("ss"):
        return False
    between = s[end:m.start(2)].lower().split()
    return not any(w in _NOT_BEFORE_HEAD for w in between)


_PER_UNIT = re.compile(
    r"\b(?:(?:a|per|each|every) (?P<w1>week|month)|(?P<w2>week|month)ly|на (?P<w3>тиждень|місяць)|"
    r"щ(?P<w4>отижня|омісяця)|щ(?P<w5>отижнево|омісячно)|в (?P<w6>неделю|месяц)|"
    r"еже(?P<w7>недельно|месячно)|за (?P<w8>тиждень|місяць|неделю|месяц))\b", re.I)


def _average_unit(c: Claim, s: str, n: Number, day: date) -> None:
    """An average per week or per month ("an average of 35,000 a month", "в середньому 35
    тисяч на місяць"): the words right after the figure (no other figure between), or
    right before it (rule measure.average_unit)."""
    after = _PER_UNIT.search(s, n.end, n.end + 45)
    if after is not None and re.search(r"\d", s[n.end:after.start()]):
        after = None
    before = None
    for b in _PER_UNIT.finditer(s, max(0, n.start - 30), n.start):
        if not re.search(r"\d", s[b.end():n.start]):
            before = b
    m = after or before
    if m is None:
        return
    word = next(g for g in m.groups() if g).lower()
    week = word.startswith(("week", "тижд", "отижн", "недел", "тиждень", "неделю"))
    c.per_days = 7.0 if week else 30.4375
    c.rule_ids.append("measure.average_unit")
    # the unit is no period ("averaged 10,660 a week in November" is November's)
    blank = s[:m.start()] + " " * (m.end() - m.start()) + s[m.end():]
    own, note = resolve_period(blank, n.start, day, "average")
    if own is not None and own[0] is not None:
        c.period, c.period_note = own, note


_START_BEFORE_PART = re.compile(
    r"\b(?:invasion|invaded|invade|war|began|begun|started|launched|since|between|from|"
    r"following|after|вторгнення|вторжени\w*|війн\w*|войн\w*|почал\w*|начал\w*|розпочал\w*|"
    r"з|із|від|після|с|со|после)\b[^,.;:]{0,40}$", re.I)
"""Words before a part of a month that make it when something began ("between the start of
the invasion in late February and Tuesday"), not the date of a total."""
_PART_SPAN = {"early": (1, 11), "mid": (10, 21), "late": (20, 0)}
"""The reports (days of the month) a part of a month holds; "late" (0) runs to the 2nd of
the next month, whose reports count the month's last days."""


@cache
def _as_of_rules() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """Every `as_of_part` rule: (pattern, part, id); {month} is the month's name in the
    rule's language (group `month`), and a year may follow it (group `year`). All
    languages: a short Russian text is often told from Ukrainian wrongly."""
    out = []
    for r in rules.of_kind("as_of_part"):
        month = rf"(?P<month>{_calendar_re('months', r.lang)})\.?(?:,?\s+(?P<year>20[2-3]\d))?"
        out.append((re.compile(r"\b" + r.data["pattern"].replace("{month}", month), re.I),
                    str(r.data["part"]), r.id))
    return tuple(out)


def _as_of_part(c: Claim, s: str, n: Number, day: date) -> None:
    """A total dated to part of a month ("in mid-June, the count of tanks passed 4,000", "на
    початку липня … 4000 артсистем"): as of some report of that part (c.as_of). Only a
    time in the figure's own clause, or before it with no other figure between."""
    ca, cb = clause_of(s, n.start)
    best: tuple[int, re.Match[str], str, str] | None = None
    for rx, part, rid in _as_of_rules():
        for m in rx.finditer(s):
            if m.start() >= n.start and not ca <= m.start() < cb:
                continue
            lo, hi = (m.end(), n.start) if m.end() <= n.start else (n.end, m.start())
            if re.search(r"\d", re.sub(r"\b20[2-3]\d\b", "", s[lo:hi])):
                continue  # another figure stands between: the time is that one's
            if _START_BEFORE_PART.search(s, max(0, m.start() - 60), m.start()):
                continue  # "since the invasion in late February": when a span began
            dist = abs(n.start - m.start())
            if best is None or dist < best[0]:
                best = (dist, m, part, rid)
    if best is None:
        return
    _, m, part, rid = best
    month = rules.calendar("months")[m.group("month").lower()]
    year = int(m.group("year")) if m.group("year") else None
    first, _ = _month_window(month, year, day)
    a, b = _PART_SPAN[part]
    base = date(first.year, first.month, 1)
    after = (base + timedelta(days=32)).replace(day=1)  # the next month's 1st
    start = max(base + timedelta(days=a - 1), categories.WAR_START + timedelta(days=1))
    end = min(day, base + timedelta(days=b - 1) if b else after + timedelta(days=1))
    if start > end:
        return  # after the article, or before the first report
    if c.measure == "window":
        c.measure, c.period, c.date_stated = None, None, False
    c.as_of = (start, end)
    c.period_note = f"a report of {m.group(0).strip()}"
    c.rule_ids.append(rid)


def _range_estimates(s: str, found: list[Claim]) -> None:
    """Two totals given as a range ("from 189,500 to 223,000 killed or wounded", "від 600 000
    до 750 000", "35,500 to 43,000 killed") are someone's estimate: the General Staff never
    publishes a range (rule scope.range_estimate). A rise ("rose from 700,000 to 716,070")
    is two reports, and a small range ("300 to 400 a day") a rate, not this."""
    for m in _RANGE_ESTIMATE.finditer(s):
        if _RANGE_VERB.search(s, max(0, m.start() - 40), m.start()):
            continue
        spans = [(m.start(i), m.end(i)) for i in range(1, 7) if m.start(i) >= 0]
        # a claim's own value where one starts there: "711–712 тис." is 711,000 to 712,000
        sizes = [next((c.number.value for c in found if c.number is not None
                       and c.number.start == a), int(re.sub(r"\D", "", s[a:b]) or 0))
                 for a, b in spans]
        if min(sizes) < 10_000 or max(sizes) <= min(sizes):
            continue
        for c in found:
            if c.number is not None and c.scope is None and any(
                    a <= c.number.start < b for a, b in spans):
                c.scope = RANGE_WHY
                c.rule_ids.append("scope.range_estimate")


_FULL_DATE = re.compile(rf"\b(?:{MONTH_RE})\.? \d{{1,2}}(?:st|nd|rd|th)?,? (?P<y1>20\d\d)\b|"
                        rf"\b\d{{1,2}} (?:{MONTH_RE}) (?P<y2>20\d\d)\b")
_DAY_NO_YEAR = re.compile(rf"\b(?:{MONTH_RE})\.? \d{{1,2}}(?:st|nd|rd|th)?\b(?!,? 20\d\d)|"
                          rf"\b\d{{1,2}} (?:{MONTH_RE})\b(?! 20\d\d)")


def _in_year_of_story(c: Claim, s: str, year: int, day: date) -> None:
    """A day named without its year in a passage about an earlier year ("On March 1, 2022,
    the count stood at 5,710. … by March 3, it was 9,000") is that year's, not the
    article's (rule period.year_of_story)."""
    low = s.lower()
    if c.period is None or _FULL_DATE.search(low) or not _DAY_NO_YEAR.search(low) \
            or ("of" not in c.period_note and "report" not in c.period_note):
        return
    start, end = c.period
    shift = year - end.year
    if shift >= 0 or end.year not in (day.year, day.year - 1) or end.year == year:
        return
    try:
        c.period = (start.replace(year=start.year + shift) if start else None,
                    end.replace(year=end.year + shift))
    except ValueError:
        return
    c.period_note = f"{c.period_note} (the year of the passage: {year})"
    c.rule_ids.append("period.year_of_story")


def _speaker(c: Claim, s: str, pos: int, lang: str) -> None:
    """Whose figure it is, when the sentence names a speaker (check/speakers.py)."""
    sp = speakers.of_figure(s, pos, lang)
    if sp is None or (not sp.own and OWN_SOURCE.search(s)):
        return  # "analysts called the General Staff's figure of 4,000 tanks staggering"
    if sp.own:
        c.rule_ids.append(sp.rule_ids[1])
    else:
        c.other_source = sp.why
        c.rule_ids.extend(sp.rule_ids)


def document_windows(art: Article, day: date) -> list[tuple[date, date]]:
    """The weeks, months and years the article names anywhere (a weekly summary's figures
    often sit in sentences that do not repeat the period), most mentioned first."""
    counts: dict[tuple[date, date], int] = {}
    for sent in art.sentences[:80]:
        low = sent.text.lower()
        for m in re.finditer(rf"\b(?:in|during|for|of|was|since)?\s*\b({MONTH_RE})\b"
                             rf"(?:\s+(\d{{4}}))?", low):
            word = m.group(1)
            if len(word) <= 3 and word != "may":
                continue
            if re.match(r"^\s*\d{1,2}\b", low[m.end():]) or re.search(
                    r"\d{1,2}\s*$", low[:m.start(1)]):
                continue  # a date ("May 12"), not a month
            if _SINCE_BEFORE.search(low, max(0, m.start(1) - 12), m.start(1)):
                continue  # "since February 2022", "з лютого 2022 року": where a count starts
            a, b = _month_window(MONTHS[word], int(m.group(2)) if m.group(2) else None, day)
            counts[(a, b)] = counts.get((a, b), 0) + 1
        if re.search(r"week|тижн|тиждень|недел", low):
            w = (day - timedelta(days=6), day)
            counts[w] = counts.get(w, 0) + 1
        for y in _IN_YEAR.finditer(low):
            # a year's round-up ("in 2024 alone", "throughout 2024"): its figures' period
            yr = int(y.group(1))
            if yr <= day.year and not _YEAR_OF_EVENT.search(low, max(0, y.start() - 40),
                                                            y.start()):
                (first, last), _ = _year_window(yr, day)
                if first is not None:
                    counts[(first, last)] = counts.get((first, last), 0) + 1
    return sorted(counts, key=lambda k: -counts[k])[:6]


def _comparative_subject(comp: Claim, s: str, labels: list[tuple[int, int, str, str, str]],
                         same: list[Claim], last_cat: str | None, day: date) -> None:
    """What a comparative claim is about: a category word in its sentence, else the figure
    beside it, else the last figure before it; and the month or day it ranks."""
    named = [lab for lab in labels if lab[4] in ("category", "loose")
             and lab[2] not in _weak()]
    beside = next((c.category for c in same if c.category and c.label_kind == "generic"),
                  None)
    cue_words = str(comp.comparative.get("cue", ""))
    at = s.lower().find(cue_words) if cue_words else -1
    right_after = [lab for lab in named
                   if at >= 0 and 0 <= lab[0] - (at + len(cue_words)) <= 30]
    if right_after:
        # "військові ЗСУ знищили найбільше танків": what the superlative counts is the word
        # right after it, not the soldiers who did it (rule comparative.subject_after_cue)
        named = right_after + [lab for lab in named if lab not in right_after]
    if len(named) > 1 and named[0][3] == "personnel" and re.fullmatch(
            r"\s+(?:for|among|of|in)\s+(?:(?:the|russian|russia's)\s+)?",
            s[named[0][1]:named[1][0]], re.I):
        # "fatalities for tank crews", "losses of tanks": the second word says what counts
        named = [named[1], named[0], *named[2:]]
    if named:
        comp.category, comp.label = named[0][3], named[0][2]
        if named[0][4] == "loose":
            comp.category = "vehicles"
    elif beside is not None and beside != "personnel":
        # "… surpassed by October 2023, which saw 521 losses": the figure beside it took the
        # text's topic (tanks); "fatalities" elsewhere in the sentence does not overrule it
        comp.category = beside
    elif re.search(r"deadl|death|casualt|killed|fatalit|troops|soldiers|personnel|army|"
                   r"catastroph|\blosses\b|втрат|окупант|потер|оккупант|военн", s, re.I):
        comp.category = "personnel"
    elif same:
        comp.category = next((c.category for c in same if c.category), None)
    else:
        comp.category = last_cat
    if comp.category == "equipment_all":
        comp.category = None
    if comp.comparative.get("kind") == "compare_periods":
        return  # its two months are set already
    low = s.lower()
    m = re.search(rf"\b({MONTH_RE})\b(?:\s+(\d{{4}}))?", low)
    pair = re.search(rf"\b(?:in|during) ({MONTH_RE}) and ({MONTH_RE})\b(?!\s+\d)", low)
    if comp.comparative.get("unit") == "month" and m:
        mon = MONTHS[m.group(1)]
        year = int(m.group(2)) if m.group(2) else None
        start, end = _month_window(mon, year, day)
        comp.comparative["month"] = (start.year, mon)
        if pair and pair.group(1) == m.group(1) and MONTHS[pair.group(2)] == mon % 12 + 1:
            # "peak levels during July and August": both months lead the ranking
            start2, end = _month_window(MONTHS[pair.group(2)], year, day)
            comp.comparative["months"] = [(start.year, mon), (start2.year, start2.month)]
            comp.comparative["ordinal"], comp.comparative["one_of"] = 2, True
        # "May stands out as the month with the most …": a month named without its year is
        # ranked among that year's months, unless the sentence names the war or any year
        any_month_of = re.search(r"\b(?:any|every|all|other) (?:other )?months? (?:in|of) "
                                 r"(20\d\d)\b", low)
        comp.comparative["within_year"] = bool(any_month_of) or (
            year is None and not WAR_FRAME.search(s) and not re.search(r"\b20\d\d\b", s))
        comp.period = (start, end)
        comp.period_note = f"losses of {date(start.year, mon, 1):%B %Y}" + (
            f" and {date(end.year, end.month, 1) - timedelta(days=1):%B %Y}"
            if "months" in comp.comparative else "")
    elif comp.comparative.get("kind") == "most_since":
        # the day ranked is the figure's (the date after "since" is the last higher one)
        figures = sorted((c for c in same if c.label_kind != "comparative"
                          and c.start < comp.start), key=lambda c: c.start)
        if figures:
            comp.period = figures[-1].period
            if figures[-1].category and figures[-1].label_kind != "context":
                comp.category = figures[-1].category
                if figures[-1].label_kind == "loose":  # "157 vehicles, the most since …":
                    comp.comparative["loose"] = True  # the loose word's sum, as the figure
    elif comp.comparative.get("unit") == "day":
        # "as many as on 28 March and the most …": that day is the tie's, not the ranked one
        period, note = resolve_period(_AS_MANY_AS.sub(lambda m: " " * len(m.group(0)), s), 0,
                                      day, "change")
        # the figure it ranks comes before it ("66 artillery systems, the most …; 4 air
        # defence systems, …, which had 5": not the later items' figures)
        figs = [c for c in same if c.label_kind != "comparative"]
        before = [c for c in figs if c.start < comp.start][-1:] or [
            c for c in figs if comp.start <= c.start < comp.end][:1]
        cue = re.search(re.escape(str(comp.comparative.get("cue", ""))), low)
        right = [c for c in figs if cue is not None  # the part `s` starts at comp.start
                 and 0 <= c.start - (comp.start + cue.end()) <= 3 and c.period is not None]
        if right:
            # "down from a record 2,200 the day before", "рекордні 2 200": the figure right
            # after the word is the one ranked
            comp.period, comp.period_note = right[0].period, right[0].period_note
        elif period is not None:
            comp.period, comp.period_note = period, note
        elif before and before[0].period is not None:
            comp.period = before[0].period
        elif not before and same and same[-1].period is not None:
            comp.period = same[-1].period


@lru_cache(maxsize=512)
def _cue_spans(cue: re.Pattern[str], text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in cue.finditer(text))


def _nearest(cue: re.Pattern[str], text: str, pos: int) -> int | None:
    best = None
    for a, b in _cue_spans(cue, text):
        d = min(abs(a - pos), abs(b - pos))
        if best is None or d < best:
            best = d
    return best


@lru_cache(maxsize=2048)
def _rule_spans(kind: str, text: str) -> tuple[tuple[int, int, str], ...]:
    rx, ids = _cue_regex(kind)
    return tuple((m.start(), m.end(), ids[m.lastgroup]) for m in rx.finditer(text)
                 if m.lastgroup)


def _nearest_rule(kind: str, text: str, pos: int) -> tuple[int, str] | None:
    """How far the nearest cue of a measure is from `pos`, and its rule."""
    best: tuple[int, str] | None = None
    for a, b, rid in _rule_spans(kind, text):
        if rules.by_id(rid).data.get("anywhere") and not a <= pos <= b:
            continue  # "+19" marks its own figure as a change, not its neighbours
        d = min(abs(a - pos), abs(b - pos))
        if best is None or d < best[0]:
            best = (d, rid)
    return best


_RATE = re.compile(r"(?:a|per) day|на добу|в сутки|за сутки|щодоби|ежедневно", re.I)
"""The words of a rate, which beside an average cue are part of it."""

PREVIOUS_REPORT = re.compile(
    r"(?:in |from )?(?:a |the )?report (?:from|of) the previous day|the previous day's report|"
    r"yesterday's (?:report|update|bulletin)|"
    r"^\W*(?:a day earlier|the day before|(?:on )?the previous day|one day earlier),", re.I)
_PREV_NEAR = re.compile(
    # "a day earlier it had counted 1,968", "напередодні Генштаб повідомляв про 1 090",
    # "накануне … сообщал о 1350", "the 630 reported a day earlier", "попередньої доби –
    # 1 968": what the report before said, not the losses of the day before; only for the
    # figure these words are about (rule period.report_before)
    r"\b(?:a day earlier|the day before|the previous day|one day earlier|напередодні|"
    r"накануне|днем раніше|днем ранее|попередньої доби|предыдущих суток|a week earlier|"
    r"a week before|тижнем раніше|тиждень тому|неделей ранее|неделю назад)\b"
    r"(?=[^.;,]{0,60}?\b(?:said|reported|counted|had counted|recorded|announced|повідомля\w*|"
    r"повідоми\w*|фіксува\w*|зафіксува\w*|сообща\w*|сообщи\w*|фиксирова\w*|"
    r"зафиксирова\w*|нарахува\w*|насчита\w*)\b)|"
    r"\b(?:reported|counted|recorded|повідомля\w*|сообща\w*)\s+(?:\w+\s+)?(?:a day earlier|"
    r"the day before|напередодні|накануне|a week earlier|тижнем раніше|неделей ранее)\b|"
    r"\b(?:попередньої доби|предыдущих суток|a day earlier|днем раніше|днем ранее)\s*[–—:-]"
    r"\s*(?=\d)", re.I)


def _report_before_cue(s: str, n: Number) -> int:
    """How many days before the article's report the report is whose figure _PREV_NEAR's
    words say the figure at `n` is (within its phrase, no other figure between): 1 ("a day
    earlier"), 7 ("a week earlier"), or 0 for none."""
    for m in _PREV_NEAR.finditer(s):
        if m.end() <= n.start:
            gap = s[m.end():n.start]
            near = len(gap) <= 60 and not re.search(r"\d|[,;]", gap)
        elif m.start() >= n.end:
            gap = s[n.end:m.start()]
            near = len(gap) <= 30 and not re.search(r"\d|[,;]", gap)
        else:
            near = False
        if near:
            return 7 if re.search(r"week|тижн|тиждень|недел", m.group(0), re.I) else 1
    return 0


_SINCE_NEW_YEAR = (r"since jan(?:uary|\.)? 1\b|(?:з|від) 1 січня\b|с 1 января\b|"
                   r"с начала года")
"""Year to date, named by its first day ("since Jan. 1", "з 1 січня")."""
_YEAR_TO_DATE = (r"since (?:the )?(?:beginning|start) of (?:the |this )?(?:year|20[2-3]\d)|"
                 r"so far this year|year[- ]to[- ]date|з початку (?:цього )?року|"
                 r"(?:від|із|з) початку 20[2-3]\d(?:\s*(?:року|р\.))?|"
                 r"с начала (?:этого |текущего )?(?:года|20[2-3]\d(?:\s*(?:года|г\.))?)|"
                 rf"{_SINCE_NEW_YEAR}|"
                 r"(?:^|(?<=[,.;:—–-] )|\b(?:загалом|усього|всього|лише|тільки|вже|уже|а|і|й|"
                 r"та|що|всего|только|и|что)\s+)(?:цього року|[ув] цьому році|в этом году)")
"""Year to date in words (headlines drop the articles: "since start of year")."""
_THIS_YEAR = re.compile(_YEAR_TO_DATE, re.I)
_IN_MONTH = re.compile(
    rf"\b(?:in|during|for|of|totall?ing|за|протягом|упродовж|впродовж|в течение|"
    rf"на протяжении)\b[^.]{{0,40}}(?<!\d)(?<!\d )\b(?:{MONTH_RE})\b(?!\.?\s+\d{{1,2}}\b)|"
    r"\bthe month\b|"
    r"\b(?:у|в|во) (?:" + "|".join(rules.calendar("months_in")) + r")\b", re.I)
"""A month named as the period of the sentence's figures (in October, за жовтень, у жовтні,
в октябре), not a day of it (за 20 жовтня)."""
_SINCE_START = re.compile(r"since the (?:start|beginning)", re.I)


@lru_cache(maxsize=1024)
def _sentence_cues(s: str) -> tuple[str, bool, bool, bool, bool, str | None]:
    """What a sentence says about every figure in it (worked out once per sentence): the
    sentence with "a report from the previous day" blanked out, whether it named that
    report, and whether it has year-to-date, total, in-a-month, since-the-start and
    which-report cues."""
    prev = PREVIOUS_REPORT.search(s)
    if prev:
        # "in a report from the previous day … 120,760": names a report, not a day's losses
        s = s[:prev.start()] + " " * (prev.end() - prev.start()) + s[prev.end():]
    date_rx, date_ids = _cue_regex("date")
    dm = date_rx.search(s)
    return (s, prev is not None, bool(_THIS_YEAR.search(s)),
            bool(_rule_spans("total", s)),  # (the spans _nearest_rule reads next)
            bool(_IN_MONTH.search(s)) and not _SINCE_START.search(s),
            date_ids[dm.lastgroup] if dm and dm.lastgroup else None)


def _measure_and_period(c: Claim, s: str, n: Number, day: date) -> None:
    m = _measure_info(s, n, day, c.plus)
    c.measure, c.period, c.period_note, c.date_stated = m[:4]
    c.rule_ids.extend(m[4])
    if m[5] is not None:
        c.comparative = {"other": m[5]}
    c.within, c.within_days = m[6]


@lru_cache(maxsize=4096)
def _measure_info(s: str, n: Number, day: date, plus: bool
                  ) -> tuple[str | None, tuple[date | None, date] | None, str, bool,
                             tuple[str, ...], tuple[str, str] | None,
                             tuple[tuple[date | None, date] | None, int]]:
    """What a figure measures and which reports (see _measure_and_period), worked out once
    per sentence, figure and day; and the other period a difference is taken against."""
    c = Claim(Sentence(s, 0, len(s)), 0, 0, n.value, n, plus=plus)
    _measure_and_period_of(c, s, n, day)
    if c.period is None and _FROM_BASE.search(s, max(0, n.start - 40), n.start):
        c.rule_ids.append("period.from_base")  # "fell to 203 from 307": the period before
    _some_week_of_month(c, s, n, day)
    other = c.comparative.get("other")
    return (c.measure, c.period, c.period_note, c.date_stated, tuple(c.rule_ids),
            other if isinstance(other, tuple) else None, (c.within, c.within_days))


@cache
def _clause_break() -> re.Pattern[str]:
    """Where a clause starts: a semicolon, or a comma or a spaced dash before a clause
    opener ("and", "while", "averaging", "а", "тогда как"; rules/*.toml [clauses])."""
    after, free = [], []
    for lang in rules.LANGUAGES:
        data = rules.language_table(lang, "clauses")
        after += data.get("after_comma", [])
        free += data.get("free", [])
    return re.compile(rf";\s+|(?:,|\s[—–])\s+(?:{rules.alternation(after)})\b|"
                      rf"\s(?:{rules.alternation(free)})\b", re.I)


def clause_of(s: str, pos: int) -> tuple[int, int]:
    """The span of the clause of `s` that holds `pos`."""
    a, b = 0, len(s)
    for m in _clause_break().finditer(s):
        if m.start() <= pos:
            a = m.start()
        else:
            b = m.start()
            break
    return a, b


_AS_MANY_AS = re.compile(
    rf"\b(?:(?:as many as|стільки ж,? скільки|столько же,? сколько)\s+(?:on |in )?"
    rf"(?:the (?:report|bulletin) of )?|(?:not counting|excluding|не враховуючи|не считая)\s+"
    rf"[^,;.\d]{{0,40}}?(?:report|bulletin|зведенні|зведення|сводке|сводки) (?:of )?)"
    rf"(?:\d{{1,2}} (?:{MONTH_RE})|(?:{MONTH_RE})\.? \d{{1,2}}\b)"
    rf"(?:,? \d{{4}})?(?:\s+(?:року|года))?", re.I)
""""as many as on 17 June 2022", "not counting the correction in the report of 13 October
2022": the day of another figure, not this one's."""
_REPORT_WHICH = re.compile(
    rf"(?:report|bulletin|update|зведенн\w*|сводк\w*) (?:of |від |от )?(?P<d>\d{{1,2}}) "
    rf"(?P<m>{MONTH_RE})(?:,? (?P<y>\d{{4}}))?(?:\s+(?:року|года|г\.))?,\s+"
    rf"(?:which|that|у якому|в якому|де|в которой|где)\s+(?:had|showed|counted|listed|"
    rf"було|були|стояло|было|были)\s+\Z", re.I)
"""A figure in a relative clause on a report named by its day ("the report of 6 May 2022,
which had 3"; "зведення 6 травня 2022 року, у якому було 3"): that report's figure (rule
period.report_which_had)."""


def _report_day(m: re.Match[str], day: date) -> date | None:
    try:
        mon, dom = MONTHS[m["m"].lower()], int(m["d"])
        return date(int(m["y"]) if m["y"] else _year_for(mon, dom, day), mon, dom)
    except (KeyError, ValueError):
        return None


def _measure_and_period_of(c: Claim, s: str, n: Number, day: date) -> None:
    """The figure's own clause first: its cues and dates decide; only a clause that says
    nothing of its measure and period takes them from the whole sentence."""
    # "124 tanks, the most since 16 March 2022": that date is the last higher report's,
    # not this figure's (a figure after it, "which had 179", may take it)
    s = _MOST_SINCE.sub(lambda m: " " * len(m.group(0)) if m.start() > n.end else m.group(0),
                        s)
    # "30 tanks, as many as on 5 May": the day of the equal figure, not this one's
    s = _AS_MANY_AS.sub(lambda m: " " * len(m.group(0)) if m.start() > n.end else m.group(0),
                        s)
    tf = _TO_FROM.match(s, n.end)
    if tf is not None and _ROSE_TO.search(s, max(0, n.start - 40), n.start):
        # "fell to 203 from 307 in November": the month is the base's (307), not this
        # figure's; this one is the period the text is about (rule period.to_from)
        s = s[:tf.start()] + " " * (len(s) - tf.start())
        c.rule_ids.append("period.to_from")
    base = _base_rule(s, n)
    if base is not None and (rules.by_id(base).data.get("days", 1) != 1
                             or rules.by_id(base).data.get("years")):
        # "down from 1,330 a week earlier", "a year earlier, the tally was 521,830": that
        # report's figure (its "week" or "year" is the distance, not a period summed)
        prior = base_shift(base, day)
        c.measure, c.period = "change", (prior, prior)
        c.period_note = f"the report of {prior}, set against {day}"
        c.date_stated = True
        c.rule_ids.append(base)
        return
    back = _report_before_cue(s, n)
    if back:
        before = day - timedelta(days=back)
        c.measure, c.period = "change", (before, before)
        c.period_note = "the report before the article's"
        c.date_stated = True
        c.rule_ids.append("period.report_before")
        return
    rel = _REPORT_WHICH.search(s[max(0, n.start - 120):n.start])
    if rel is not None:
        # "the report of 6 May 2022, which had 3": that report's figure
        d = _report_day(rel, day)
        _, b = clause_of(s, n.start)
        if d is not None and not _cue_regex("total")[0].search(s, n.end, b):
            # (unless its own words make it a total: "…, which had 9,000 in all")
            c.measure, c.period = "change", (d, d)
            c.period_note = f"the report of {d} (named before it)"
            c.date_stated = True
            c.rule_ids.append("period.report_which_had")
            return
    a, b = clause_of(s, n.start)
    if a == 0 and b == len(s):
        _measure_and_period_in(c, s, n, day)
        return
    own = " " * a + s[a:b] + " " * (len(s) - b)  # the other clauses blanked, offsets kept
    _measure_and_period_in(c, own, n, day)
    said_measure = any(_rule_spans(k, own) for k in MEASURES) or c.plus
    if c.measure == "change" and not c.plus and _rule_spans("average", s) and all(
            _RATE.fullmatch(s[x:y]) for x, y, _ in _rule_spans("change", own)):
        # "…, an average of 1,640 troops; 12 tanks and 90 vehicles a day": the last item's
        # "a day" is the list's rate, and the list's average is its measure
        said_measure = False
        c.measure, c.period, c.period_note = None, None, ""
    if c.period is not None and c.measure is not None:
        return
    # else the sentence's shared words ("Over the past day, …"), but never those of another
    # clause with a figure of its own ("…, while Kyiv says 1,100 on Monday")
    shared = _shared_context(s, a, b)
    whole = Claim(c.sentence, c.start, c.end, c.value, n, plus=c.plus)
    _measure_and_period_in(whole, shared, n, day)
    if c.period is None and not said_measure:
        c.measure, c.period, c.period_note = whole.measure, whole.period, whole.period_note
        c.date_stated = whole.date_stated
        c.rule_ids = whole.rule_ids
    elif not c.date_stated and c.measure in ("change", "total") and whole.period_note:
        # "Friday's figures included 8 APVs, bringing the total to 5,928; four more vehicles,
        # bringing the total to 4,544": a clause that says its measure but no day takes the
        # day the sentence's frame states (rule period.frame_day)
        framed = Claim(c.sentence, c.start, c.end, c.value, n, plus=c.plus)
        framed.measure = c.measure
        _measure_and_period_in(framed, shared, n, day)
        if framed.measure == c.measure and framed.period is not None and framed.period_note:
            c.period, c.period_note = framed.period, framed.period_note
            c.date_stated = True
            c.rule_ids.append("period.frame_day")
    elif c.measure is None:
        c.measure = whole.measure
        c.rule_ids += [r for r in whole.rule_ids if r not in c.rule_ids]


_FIGURE = re.compile(r"(?<![\d,.])(?!(?:19|20)\d\d\b)(?!\d+\s+(?:reports?|bulletins?|days?|"
                     r"weeks?|months?|зведен\w*|сводок|сводки|днів|доби|діб|дні|дней|суток)\b)\d",
                     re.I)
"""A figure's first digit (a year is no figure, nor "the previous 7 reports")."""


def _shared_context(s: str, a: int, b: int) -> str:
    """`s` with every other clause that holds a figure blanked from that figure on: what
    comes before a clause's first figure frames the whole list ("Over the past day Russia
    lost 1,100 troops, 12 tanks, and 30 APVs"); what comes after it is that figure's own
    ("…, while Kyiv says 1,100 were lost on Monday")."""
    out = []
    pos = 0
    for m in [*_clause_break().finditer(s), None]:
        end = m.start() if m is not None else len(s)
        part = s[pos:end]
        dates = _date_spans(part)
        # a day of a date before a clause's figures ("з 24 лютого по 2 березня …: танків
        # – 75") frames the list too; a clause with a date alone is that date's own
        fig = next((f for f in _FIGURE.finditer(part)
                    if not any(x <= f.start() < y for x, y in dates)), None) \
            or _FIGURE.search(part)
        if pos != a and fig:
            part = part[:fig.start()] + " " * (len(part) - fig.start())
        out.append(part)
        pos = end
    return "".join(out)


SOME_DAY = re.compile(r"\b(?:in|on) (?:a|one) (?:single )?day\b|\bsingle day\b|"
                      r"за (?:одну )?добу|(?:за|в|у) один день|[ву] одну добу|"
                      r"за (?:одни )?сутки|в одни сутки", re.I)
""""in a single day" inside a round-up or beside a month: one day of that period, which the
text does not name (rule discourse.some_day_of_period)."""


SOME_WEEK = re.compile(r"\b(?:within|in|over) (?:just |only )?(?:one|a single) week\b|"
                       r"\bwithin (?:just |only )?a week\b|within the space of (?:a|one) week|"
                       r"за (?:один |одного )?тиждень|за (?:одну )?неделю", re.I)
""""10,000 within one week" beside a month: one week of that month, not the month's sum nor
the week before the article (rule period.some_week_of_month)."""


def _some_week_of_month(c: Claim, s: str, n: Number, day: date) -> None:
    wk = SOME_WEEK.search(s)
    if wk is None or c.measure != "window":
        return
    blank = s[:wk.start()] + " " * (wk.end() - wk.start()) + s[wk.end():]
    own, note = resolve_period(blank, n.start, day, "window")
    if own is None or own[0] is None or not note.startswith("losses of "):
        return
    c.period, c.period_note = own, f"a week within the {note}"
    c.within, c.within_days = own, 7
    c.date_stated = True
    c.rule_ids.append("period.some_week_of_month")


def _measure_and_period_in(c: Claim, s: str, n: Number, day: date) -> None:
    s, prev, this_year, total_cue, in_month, date_cue = _sentence_cues(s)
    if c.plus:
        c.measure = "change"
        c.rule_ids.extend(r.id for r in rules.of_kind("measure") if r.data.get("anywhere"))
    near = {name: _nearest_rule(name, s, n.start) for name in MEASURES}
    if near["average"] is not None and near["change"] is not None:
        # "an average of 1,640 troops, 12 tanks … a day": the rate is the average's
        spans = [(min(abs(a - n.start), abs(b - n.start)), rid)
                 for a, b, rid in _rule_spans("change", s) if not _RATE.fullmatch(s[a:b])]
        near["change"] = min(spans) if spans else None
    dist = {k: (v[0] if v else None) for k, v in near.items()}
    if c.measure is None:
        present = {k: v for k, v in dist.items() if v is not None}
        if present:
            c.measure = min(present, key=lambda k: (present[k], k != "average"))
            c.rule_ids.append(near[c.measure][1])  # type: ignore[index]
    after = s[n.end:n.end + 8]
    if c.measure in (None, "change") and re.match(r"^\s*\(\s*\+", after) and not c.plus:
        c.measure = "total"  # "9419 (+20)": a total with its change beside it
    if this_year and c.measure != "change" and not (
            c.measure == "total" and dist["total"] is not None
            and dist["total"] < (_nearest(_THIS_YEAR, s, n.start) or 0)):
        # "since the beginning of the year": a window, unless a nearer cue makes this very
        # figure a total ("50,000 this year (837,000 since the invasion began)")
        c.measure = "window"
    c.period, c.period_note = resolve_period(s, n.start, day, c.measure)
    if c.period_note.startswith((RANGE_NOTE, REPORTS_RANGE_NOTE, SINCE_NOTE, SPAN_NOTE)) \
            and (c.measure in (None, "change") or c.period_note.startswith(SPAN_NOTE)):
        c.measure = "window"
        c.rule_ids.append("period.since_day" if c.period_note.startswith(SINCE_NOTE)
                          else "period.month_span" if c.period_note.startswith(SPAN_NOTE)
                          else "period.day_range")
    if c.period is None and c.measure in (None, "change") and not total_cue and in_month \
            and not (c.measure == "change" and SOME_DAY.search(s)):
        # ("in mid-May … 1,740 in a single day": one day of May, inherit_periods says which)
        period, note = resolve_period(s, n.start, day, "window")
        if period is not None:
            c.measure, c.period, c.period_note = "window", period, note
    if c.period is not None and c.period_note.startswith(YEAR_NOTE) and c.measure not in (
            "window", "average"):
        c.measure = "window"
        c.rule_ids.append("period.calendar_year")
    if prev and c.period is None:
        c.period = (day - timedelta(days=1), day - timedelta(days=1))
        c.period_note = "the report of the day before the article's"
    md = _MONTH_DIFF.match(s, n.end)
    if md is not None and _DAY_DIFF_BEFORE.search(s, max(0, n.start - 8), n.start):
        # "331 tanks in February, 101 more than in January", "на 5 870 більше, ніж у
        # лютому": this period's sum less that month's (rule period.month_over_month)
        mon = _MONTH_ANY.get(md.group("month").lower())
        if mon is not None:
            other = _month_window(mon, None, day)
            blank = s[:md.start()] + " " * (md.end() - md.start()) + s[md.end():]
            own, note = resolve_period(blank, n.start, day, "window")
            if own is None or own[0] is None:
                nxt = date(other[0].year + (mon == 12), mon % 12 + 1, 1)
                own = _month_window(nxt.month, nxt.year, day)
                note = f"losses of {nxt:%B %Y}"
            c.measure, c.period = "difference", own
            c.period_note = f"{note}, against {date(other[0].year, mon, 1):%B %Y}"
            c.comparative = {"other": (other[0].isoformat(), other[1].isoformat())}
            c.date_stated = True
            c.rule_ids.append("period.month_over_month")
            return
    if _DAY_DIFF.match(s, n.end) and _DAY_DIFF_BEFORE.search(s, max(0, n.start - 8), n.start) \
            and not any(x.value >= max(1000, 20 * (c.value or 0))
                        and not _rule_spans("change", s[:x.start])  # (a day's: "за добу 1 690")
                        for x in numbers.find(s[:n.start], "en")):
        # (after a total, "9,319 tanks, 19 more than a day earlier" is that total's rise)
        # "1 160 солдат — це на 80 більше, ніж напередодні": the difference between this
        # report's change and the one before (rule period.day_over_day)
        c.measure = "difference"
        d = c.period[1] if c.period is not None else day
        c.period, c.period_note = (d, d), f"the report of {d} against the one before"
        c.rule_ids.append("period.day_over_day")
        return
    base = _base_rule(s, n)
    if base is not None and rules.by_id(base).data.get("months"):
        if c.measure == "window" and c.period is not None and c.period[0] is not None \
                and c.period[0].day == 2:
            # "fell to 813 in October from 1,076 a month earlier": the month before's
            began = c.period[0]
            before = date(began.year - (began.month == 1), (began.month - 2) % 12 + 1, 1)
            c.period = _month_window(before.month, before.year, day)
            c.period_note = f"losses of {before:%B %Y}, set against the month after"
            c.rule_ids.append(base)
    elif base is not None and c.measure in (None, "change", "total"):
        # "384 drones, up from 293 the day before": the base is the report before the one
        # the sentence is about
        d = c.period[1] if c.period is not None and c.period[1] is not None else day
        prior = base_shift(base, d)
        c.period = (None if c.measure == "total" else prior, prior)
        c.period_note = f"the report of {prior}, set against {d}"
        c.rule_ids.append(base)
    c.date_stated = bool(c.period_note) or date_cue is not None
    if not c.period_note and date_cue is not None:
        c.rule_ids.append(date_cue)


_IN_YEAR = re.compile(
    r"\b(?:in|during|for|throughout|over|across|за|у|в|во|протягом|упродовж|впродовж|"
    r"в течение|на протяжении)\s+(20[2-9]\d)"
    r"(?:\s*(?:рік|року|році|год|году|года|р\.|г\.))?(?!\d|[.,]\d|\s*[-–]|\s+(?:and|та|і|и|or)\s+\d)",
    re.I)
"""A calendar year named as the period of a figure (rule period.calendar_year); "2022 and
2023" is two years, not one."""
YEAR_NOTE = "the losses of the year"
_THE_YEAR = re.compile(r"\b(?:за (?:минулий |весь )?рік|протягом (?:минулого )?року|упродовж року|"
                       r"за (?:прошлый |весь )?год|в течение (?:прошлого )?года|over the (?:past )?"
                       r"year|during the year|for the year|in the past year|last year)\b", re.I)
"""The year, unnamed: in a January article, the year that has just ended."""
_YEAR_OF_EVENT = re.compile(r"\b(?:since|invasion|invaded|began|begun|started|launched|start|"
                            r"beginning|вторгнення|вторжения|почал\w*|начал\w*)\b[^,.;]*\Z")
""""the invasion in 2022", "since it began in 2022": the year of an event, not a period."""


def latest_weekday(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _month_window(month: int, year: int | None, day: date) -> tuple[date, date]:
    """Reports covering the losses of a calendar month (periods.month: the 2nd .. the 1st
    of the next), no later than the article; with no year, the latest such month."""
    y = year if year is not None else (day.year if month <= day.month else day.year - 1)
    if year is None and date(y, month, 1) > day:
        y -= 1
    p = periods.month(y, month)
    # from the 2nd even in February 2022: the ledger holds no window before the first report
    # (a total since the invasion), so "in February 2022" reads as no month's losses
    start = p.first_day + timedelta(days=1)
    return start, min(p.last, max(day, start))


_RANGE = re.compile(
    # day first: "from 11 to 17 November 2024", "з 11 по 17 листопада", "11 November to 17
    # November"
    rf"\b(?P<pre>(?:from|between|з|із|від|с|со)\s+)?(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{MONTH_RE})"
    rf"(?:,?\s+(?P<y1>\d{{4}}))?(?:\s+року)?)?\s*(?P<sep>to|until|through|and|–|-|—|по|до)\s*"
    rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_RE})(?:,?\s+(?P<y2>\d{{4}}))?"
    # month first: "from December 10 to December 16", "between Nov. 10 and 16"
    rf"|\b(?P<preb>from|between|з|із|від|с|со)\s+(?P<m1b>{MONTH_RE})\.?\s+(?P<d1b>\d{{1,2}})"
    rf"(?:,?\s+(?P<y1b>\d{{4}}))?\s*(?P<sepb>to|until|through|and|-|–|—|по|до)\s+"
    rf"(?:(?P<m2b>{MONTH_RE})\.?\s+)?(?P<d2b>\d{{1,2}})(?:,?\s+(?P<y2b>\d{{4}}))?\b")
"""A range of days ("from 11 to 17 November 2024", "з 10 по 16 грудня", "from December 10
to December 16"): genuinely ambiguous between the losses of those days (the reports of the
day after each: periods.days, what a brief means) and the reports dated those days (what a
reporter adding up the bulletins of a week often means). Both are stated readings; the
form picks which one is named first (day first: the days; month first: the reports)."""
RANGE_NOTE = "the losses of the days"
REPORTS_RANGE_NOTE = "the reports"
SINCE_NOTE = "the losses since"
SPAN_NOTE = "the losses from"
_START_OF = (r"(?:from|since) the (?:beginning|start) of (?:(?P<y1>20[2-3]\d)|the year|this year)|"
             r"(?:з|із|від) початку (?:(?P<y2>20[2-3]\d)(?:\s*(?:року|р\.))?|цього року|року)|"
             r"с начала (?:(?P<y3>20[2-3]\d)(?:\s*(?:года|г\.))?|этого года|года)")
_YEAR_START_TO = re.compile(
    rf"\b(?:{_START_OF}),?\s+(?:(?:and|і|и)\s+)?(?:to|until|till|through|до|по)\s+"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTH_RE})|(?P<m2>{MONTH_RE})\.?\s+"
    rf"(?P<d2>\d{{1,2}})\b)(?:,?\s+(?P<y4>20[2-3]\d))?")
"""From the start of a year to a day ("from the beginning of 2024 to 1 October", "з початку
2024 року до 1 жовтня"): the reports of 2 January to that day's (rule period.month_span)."""
_MONTH_TO_MONTH = re.compile(
    rf"\b(?:from|between|з|із|від|с)\s+(?P<a>{MONTH_RE})(?:\s+(?P<ya>20[2-3]\d))?(?:\s+(?:року|года))?"
    rf"\s+(?:to|through|until|till|and|до|по|і|и)\s+(?P<b>{MONTH_RE})(?:\s+(?P<yb>20[2-3]\d))?\b"
    rf"(?!\s*\d)")
"""From one month through another ("from January through October", "з січня по жовтень"):
the reports of 2 January to 1 November (rule period.month_span)."""
_SINCE_DATE = re.compile(
    rf"\b(?:since|з|із|від|с|со|начиная с)\s+(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?P<m1>{MONTH_RE})|(?P<m2>{MONTH_RE})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)"
    rf"(?:,?\s+(?P<y>\d{{4}}))?(?!\s*(?:to|-|–|—|до|по|and|і|и)\s*\d)")
"""A window open to the article's day ("since 5 November", "з 5 листопада", "с 5 ноября"):
the losses from that day on, the reports of the day after it to the article's (rule
period.since_day). From 24 February 2022 it is the war's total, no window."""
_BETWEEN = re.compile(
    rf"between ({MONTH_RE})\.? (\d{{1,2}}) and (?:({MONTH_RE})\.? )?(\d{{1,2}})")
_IS_YEAR = re.compile(r"20[2-3]\d")
"""A year ("since February 2022") is no other figure for a month to belong to."""
_THEN = re.compile(r"[—–,-]\s*(?:тогда|тоді|then|back then|at that time|at the time)\b[^.;]*\Z")
"""A clause that goes back to the month just named ("… after October 2023 – then the army
lost 521 tanks"): that month is its period, whatever word stood before it."""
_SINCE_BEFORE = re.compile(r"\b(?:since|after|з|із|після|с|после)\s+$")
"""A month after "since" is where a count starts, not the month counted ("the most since
February 2022")."""


@lru_cache(maxsize=4096)  # (resolve_period asks up to three times for the same)
def _date_range(low: str, pos: int, day: date, measure: str | None
                ) -> tuple[tuple[date | None, date], str] | None:
    """The range of days nearest the figure at `pos` (its own, right after it with no other
    figure between, first: "11,780 from 11 to 17 November against 10,270 from 4 to 10
    November"), as the reports its form names first (see _RANGE; the other reading is
    `range_alternative` of the note). Two consecutive days after "between" are one night's
    report ("between November 13 and 14"): not a range."""
    spans = []
    for rm in _RANGE.finditer(low):
        day_first = rm["d1"] is not None
        d1s, d2s = (rm["d1"], rm["d2"]) if day_first else (rm["d1b"], rm["d2b"])
        m2w = rm["m2"] if day_first else rm["m2b"] or rm["m1b"]
        m1w = (rm["m1"] or rm["m2"]) if day_first else rm["m1b"]
        sep, pre = (rm["sep"], rm["pre"]) if day_first else (rm["sepb"], rm["preb"])
        if sep == "and" and not (pre or "").startswith("between"):
            continue  # "5 and 6 November" are two days named, not a range
        y2s = rm["y2"] if day_first else rm["y2b"]
        y1s = rm["y1"] if day_first else rm["y1b"]
        try:
            mon1, mon2 = MONTHS[m1w], MONTHS[m2w]
            y2 = int(y2s) if y2s else _year_for(mon2, int(d2s), day)
            last = date(y2, mon2, int(d2s))
            y1 = int(y1s) if y1s else (y2 if mon1 <= mon2 else y2 - 1)
            first = date(y1, mon1, int(d1s))
        except (KeyError, ValueError):
            continue
        if first >= last or last - first > timedelta(days=400) or (
                (pre or "").startswith("between") and last - first < timedelta(days=2)):
            continue
        between = re.sub(r"^\d[\d,.\u00a0 ]*", "", low[pos:rm.start()])
        own = rm.start() >= pos and not re.search(r"\d", between)
        spans.append((0 if own else min(abs(rm.start() - pos), abs(rm.end() - pos)),
                      first, last, day_first))
    if not spans:
        return None
    _, first, last, day_first = min(spans)
    if first <= date(2022, 2, 25):
        # "between February 24 and April 17" (2022): the invasion's first report opens it
        p = periods.days(first, last)
        return ((p.first, p.last), f"{RANGE_NOTE} {first} to {last}") if p.last <= day \
            else None
    if measure == "total":
        return None
    if day_first and measure != "change":
        p = periods.days(first, last)
        if p.last <= day:
            return (p.first, p.last), f"{RANGE_NOTE} {first} to {last}"
        # its last day's losses are not reported yet on the article's day: the reports
    return (first, last), f"{REPORTS_RANGE_NOTE} {first} to {last}"


_RANGE_OF_NOTE = re.compile(rf"({RANGE_NOTE}|{REPORTS_RANGE_NOTE}) (\d{{4}}-\d\d-\d\d) to "
                            r"(\d{4}-\d\d-\d\d)$")


def range_alternative(note: str, day: date) -> tuple[date, date] | None:
    """The other reading of a range of days (see _RANGE): the reports dated those days for
    "the losses of the days", the losses of those days for "the reports"; None when that
    reading reaches past the article or before the first report."""
    m = _RANGE_OF_NOTE.match(note)
    if m is None:
        return None
    first, last = date.fromisoformat(m[2]), date.fromisoformat(m[3])
    if first <= date(2022, 2, 25):
        return None
    if m[1] == RANGE_NOTE:
        return first, last
    p = periods.days(first, last)
    return (p.first, p.last) if p.last <= day else None


_YEAR_SO_FAR = re.compile(rf"{_YEAR_TO_DATE}|this year")
_HALF_YEAR = re.compile(r"\b(?:in |during |over )?the (first|second) half of (?:(20[2-3]\d)|"
                        r"the year|this year)|\b(?:за |у |в )?(перше|друге|первое|второе) "
                        r"(?:півріччя|полугодие)(?: (20[2-3]\d))?")
"""A half year: the reports of 2 January to 1 July, or 2 July to 1 January."""
_QUARTERS = {"перш": 1, "друг": 2, "трет": 3, "четверт": 4, "перв": 1, "втор": 2}
_QUARTER = re.compile(r"\b(?:[ув] |во |за )?(перш|друг|трет|четверт|перв|втор)\w* "
                      r"(?:квартал\w*)(?: (20[2-3]\d))?")
"""A quarter of a year: the reports of its three months (2 January to 1 April, …)."""
_PAST_DAYS = re.compile(r"(?:past|last|previous) (\w+) (?:days|reports)")
_PAST_SPAN = re.compile(r"(?:past|last|previous|за останні|за минулі|за последние|за прошедшие) "
                        r"(\w+(?:['’]\w+)?) (weeks|months|тижн\w*|місяц\w*|недел\w*|месяц\w*|"
                        r"дн(?:ів|і)|діб|доби|дней|дня|суток)\b")
"""The past N weeks or months ("over the past nine months", "за останні три місяці"): the
reports from the day N weeks or months before the article's to its own (rule
period.past_span)."""


def _past_span(low: str, day: date) -> tuple[tuple[date, date], str] | None:
    m = _search(_PAST_SPAN, low)
    if m is None:
        return None
    word = m.group(1)
    n = int(word) if word.isdigit() else numbers.lexicon().words.get(word, (0, ""))[0]
    if not 1 < n <= 36:
        return None
    if m.group(2).startswith(("week", "тижн", "недел")):
        start = day - timedelta(days=7 * n - 1)
    elif m.group(2).startswith(("дн", "діб", "доб", "дне", "дня", "сут")):
        start = day - timedelta(days=n - 1)  # "за останні сім днів": the past 7 reports
    else:
        y, mo = divmod(day.year * 12 + day.month - 1 - n, 12)
        try:
            start = date(y, mo + 1, day.day) + timedelta(days=1)
        except ValueError:
            start = date(y, mo + 2, 1) if mo < 11 else date(y + 1, 1, 1)
    if start <= categories.WAR_START:
        return None
    return (start, day), f"the past {n} {m.group(2)}"
_PREVIOUS_REPORTS = re.compile(r"(?:previous|preceding|попередні|предыдущие) (\w+) "
                               r"(?:reports|bulletins|зведен\w*|свод\w*)")
_WEEK = re.compile(r"week|тижн|тиждень|недел")
_MONTH_YEAR = re.compile(rf"\b({MONTH_RE})\b(?:\s+(\d{{4}}))?")
_DIGITS = re.compile(r"\d[\d,]*")
_MONTHS_IN = rules.calendar("months_in")
_MONTH_ANY = {**{k.lower(): v for k, v in MONTHS.items()}, **_MONTHS_IN}
"""The forms that say "in that month" (у жовтні, в октябре): a window."""
_MONTH_IN = re.compile("(?:у|в|во) (" + "|".join(_MONTHS_IN) + r")(?:\s+(\d{4}))?")
_SINCE_DAY = re.compile(rf"since ({MONTH_RE})\.? (\d{{1,2}})\b")
_RANKED_UNIT = re.compile(r"\b(?:month|week|day)\b[^.;]*\Z")
_LAST_MONTH = re.compile(r"\b(?:last month|the previous month|the past calendar month|"
                         r"минулого місяця|у минулому місяці|в минулому місяці|за минулий місяць|"
                         r"в прошлом месяце|за прошлый месяц|прошлого месяца)\b")
BY_DAY_NOTE = "the report of, or the losses up to,"
_SINCE_UPDATE = re.compile(
    r"\b(?:since|after|від|после|с момента) (?:the |its |their )?(?:last |previous |latest |prior |"
    r"попереднього |последнего |предыдущего )?(?:[\w-]+ )?(?:update|report|bulletin|briefing|"
    r"summary|statement|оновлення|зведення|сводки|отчета|отчёта)(?: (?:on|в|у|во))? \Z", re.I)
""""since the last update on Saturday": what came after that report."""
_REPORT_OF_WEEKDAY = (r"(?=(?:{wd})(?:'s|’s)?\s+(?:\w+\s+)?(?:figures|report|update|"
                      r"data|bulletin|numbers|tally|toll|statistics|count|briefing|summary)\b)")
_ON_WEEKDAY = re.compile(
    rf"\b(?:(?:on|for|as of|в|у|во) |(?:said|says|released|reported|published|announced|"
    rf"updated)(?: on)? |{_REPORT_OF_WEEKDAY.format(wd=_WD_RE)})({_WD_RE})\b")
""""on Monday", "в понеділок", and a say-verb's weekday without "on" ("released Monday");
"as of Sunday" is the losses up to Sunday (Monday's report, as "lost … on Sunday" is);
"Monday's figures", "a Monday update", "the military's Tuesday casualty toll" are that
day's report."""
_WEEKDAY_REPORT = re.compile(_REPORT_OF_WEEKDAY.format(wd=_WD_RE))
_ON_DAY = re.compile(rf"(?:(?:on|recorded on|of) |"
                     rf"(?:past|last|previous) (?:24 hours|day)(?:, | \())({MONTH_RE})\.? "
                     rf"(\d{{1,2}})\b(?!,? \d{{4}} (?:to|-))")
"""A day named by a preposition ("on December 24"), or set beside "the past day" ("over the
past 24 hours, December 24,", "the past day (December 24)"): the day the losses fell on."""
_ON_DAY_FIRST = re.compile(
    rf"(?:\bon )?\b(\d{{1,2}})(?:st|nd|rd|th)? ({MONTH_RE})\b(?!,? \d{{4}} (?:to|-))"
    rf"(?!\s*(?:to|-|–|до|по)\s*\d)")
"""A day written day-first ("on 5 November", "5 листопада", "5 ноября")."""
_WEEKDAY_OF = (r"(?:понеділка|вівторка|середи|четверга|п['’]ятниці|суботи|неділі|понедельника|"
               r"вторника|среды|пятницы|субботы|воскресенья|monday|tuesday|wednesday|thursday|"
               r"friday|saturday|sunday)")
"""A weekday as it stands before a date ("станом на ранок неділі, 15 січня")."""
_SINCE_OR_AS_OF = re.compile(r"\b(?:since|from|as of|until|through|by|з|із|від|до|по|с|со|"
                             r"станом на|по состоянию на|на|(?:report|bulletin|update) "
                             r"(?:of|on)|зведенн\w*|сводк\w*)(?:\s+(?:the )?(?:morning|ранок|"
                             r"утро)(?: of)?)?(?:\s+"
                             rf"{_WEEKDAY_OF},?)?\s*\Z")
"""Words before a day-first date that make it no day of losses: a bound, or the report of
that day ("the report of 6 May 2022 had 3" is that report's figure: _AS_OF_DAY; "станом на
ранок 25 квітня", "as of the morning of 25 April")."""
_TO_DAY_FIRST = re.compile(rf"(?:as of|by|станом на|по состоянию на|на)"
                           rf"(?: (?:the )?(?:morning|ранок|утро)(?: of)?)? (\d{{1,2}}) "
                           rf"({MONTH_RE})\b")


class _DayMatch(NamedTuple):
    at: int
    month: str
    dom: str
    year: int | None
    """the year written after the date ("1 March 2022", "March 1, 2022"), if any"""

    def day(self, day: date) -> date:
        """The date: its own year, else the latest one not after the article's day."""
        mon = MONTHS[self.month]
        return date(self.year or _year_for(mon, int(self.dom), day), mon, int(self.dom))


_YEAR_AFTER = re.compile(r",?\s+(20\d\d)\b(?![,.]?\d)")


@lru_cache(maxsize=4096)  # (every figure of a sentence asks the same)
def _day_match(rx: re.Pattern[str], first: re.Pattern[str], low: str, day: date,
               skip_after: re.Pattern[str] | None = None) -> _DayMatch | None:
    """The first date `rx` (month first) or `first` (day first) finds, with the year written
    after it when it is one of the war's up to the article's; a day-first date right after
    `skip_after` ("since", "станом на") is not one."""
    m = rx.search(low)
    best = (m.start(), m.end(), m.group(1), m.group(2)) if m else None
    for f in first.finditer(low):
        if skip_after is not None and skip_after.search(low, max(0, f.start() - 40),
                                                        f.start()):
            continue
        if best is None or f.start() < best[0]:
            best = (f.start(), f.end(), f.group(2), f.group(1))
        break
    if best is None:
        return None
    ym = _YEAR_AFTER.match(low, best[1])
    year = int(ym.group(1)) if ym and 2022 <= int(ym.group(1)) <= day.year else None
    return _DayMatch(best[0], best[2], best[3], year)


_EVENT_BEFORE = re.compile(r"\b(?:began|begun|started|launched|opened|ended|invaded|attacked|"
                           r"broke out)\b(?:\s+(?:its|their|the|a|full-scale|all-out|"
                           r"large-scale|invasion|war|neighbou?r|ukraine|offensive|assault))"
                           r"{0,4}\s*\Z")
""""the assault that began on October 10", "since Russia attacked its neighbour on Feb. 24":
the day of another event, not of the figure's losses."""
_TO_DAY = re.compile(rf"(?:to|as of|until|through|by) ({MONTH_RE})\.? (\d{{1,2}})\b")
_AS_OF_DAY = re.compile(
    rf"(?:станом на|станом на ранок|на ранок|по состоянию на|на утро|as of|на|від|от|"
    rf"(?:report|bulletin|update) of|report on)\s+"
    # "станом на ранок неділі, 15 січня": a weekday may stand before the date
    rf"(?:{_WEEKDAY_OF},?\s+)?"
    rf"(?:(\d{{1,2}})(?:-?го)?\s+({MONTH_RE})(?:,?\s+(\d{{4}}))?|"
    rf"(\d{{1,2}})\.(\d{{1,2}})(?:\.(\d{{2,4}}))?)\b")
"""A report named by its day, day first ("станом на 27 серпня", "от 20 апреля",
"на 03.12.2023"): that report (rule period.as_of_day)."""
_SINCE_NOT_REPORT = re.compile(r"(?:від|от) 24(?:-?го)? (?:лютого|февраля)")
""""від 24 лютого 2022" is "since the invasion began", not the first report."""
_RANGE_AFTER = re.compile(r"[^.;]{0,20}\b(?:до|по)\s+\d")
""""від 27 листопада по 3 грудня": the start of a range, not a report."""
_FOR_DAY = re.compile(rf"\bза\s+(\d{{1,2}})(?:-?го)?\s+({MONTH_RE})\b")
"""The losses of a day, day first ("за 22 листопада"): the report of the day after."""
"""resolve_period's patterns, compiled once (it runs for every figure)."""


_MONTH_PREP = re.compile(r"\b(?:in|during|for|throughout|у|в|во|за|протягом)\s+$")


def _month_as_period(low: str, a: int, mm: re.Match[str]) -> bool:
    """Whether the month at `a` is named as a period ("in June", "у липні"), not a date."""
    return bool(_MONTH_PREP.search(low, max(0, a - 12), a)
                or re.match(r"(?:у|в|во)\s", mm.group(0)))


def _year_window(yr: int, day: date) -> tuple[tuple[date | None, date], str]:
    """A calendar year's reports (periods.year), no later than the article."""
    p = periods.year(yr)
    return (p.first, min(p.last, day)), f"{YEAR_NOTE} {yr}"


def _own_month(low: str, pos: int, months: list[tuple[int, re.Match[str]]]
               ) -> tuple[int, re.Match[str]] | None:
    """The month named in the figure's own part of the sentence: right after it, before any
    comma, semicolon or other figure ("1,517 in August"), or else right before it, after the
    last comma ("у липні — 300")."""
    num = re.match(r"\d(?:\d|[,.\s\u00a0](?=\d))*", low[pos:])
    seg_start = pos + (num.end() if num else 0)
    stop = re.search(r"[,;:()]|\s[—–-]\s|\d", low[seg_start:])
    seg_end = seg_start + (stop.start() if stop else len(low) - seg_start)
    after = [(a, mm) for a, mm in months if seg_start <= a < seg_end
             and _month_as_period(low, a, mm)]
    if after and seg_end - seg_start <= 60:
        return min(after, key=lambda t: t[0])
    # "у липні — 300": the month of the figure's own segment, before it
    back = max(low.rfind(",", 0, pos), low.rfind(";", 0, pos))
    before = [(a, mm) for a, mm in months if back < a < pos and pos - a <= 40
              and _month_as_period(low, a, mm)
              and not _DIGITS.search(low, a + len(mm.group(0)), pos)]
    return max(before, key=lambda t: t[0]) if before else None


_HEADING = re.compile(
    rf"^\W*(?:(?P<year>20[2-3]\d)(?:\s*\((?:as of|to|through|until|станом на|по состоянию на|"
    rf"на)\s+(?P<as_of>[^)]{{3,30}})\))?|(?P<date>(?:{MONTH_RE})\.? \d{{1,2}},? 20[2-3]\d|"
    rf"\d{{1,2}} (?:{MONTH_RE}),? 20[2-3]\d))\s*[:—–]\s")
"""A line headed by its period, before a colon or a dash."""


def _heading_as_of(text: str, yr: int) -> date | None:
    """The report date of a heading's "(as of June 4)", in the heading's year."""
    m = re.match(rf"(?:({MONTH_RE})\.? (\d{{1,2}})|(\d{{1,2}}) ({MONTH_RE}))", text)
    if m is None:
        return None
    try:
        return date(yr, MONTHS[m[1] or m[4]], int(m[2] or m[3]))
    except (KeyError, ValueError):
        return None


_SAY_SOON = re.compile(
    r"[^.;,\d]{0,40}?\b(?:said|says|reported|announced|published|stated|повідоми\w*|"
    r"заяви\w*|оприлюдни\w*|інформува\w*|сообщи\w*|сообщал\w*|опубликова\w*)\b")
_LOSS_VERB = re.compile(
    r"\b(?:lost|lose|loses|losing|killed|destroyed|eliminated|downed|shot down|suffered|"
    r"втрати\w*|втрача\w*|знищ\w*|ліквідува\w*|збил\w*|потеря\w*|теря\w*|уничтож\w*|"
    r"ликвидирова\w*|сбил\w*)\b")
_REPORT_VERB = re.compile(
    r"\b(?:reported|reports|said|says|announced|counted|recorded|повідоми\w*|повідомля\w*|"
    r"зафіксува\w*|фіксува\w*|сообщи\w*|сообща\w*|зафиксирова\w*)\b")


def _governed_by_say(low: str, wd: re.Match[str], pos: int) -> bool:
    """"reported 1,340 on Tuesday, after 1,350 on Monday": a weekday after a figure that a
    report verb governs (the nearest verb before the figure is one of saying, not of losing)
    names the report of that day."""
    if wd.start() < pos:
        # "on Wednesday, the General Staff reported 1,161,230 in total": a report verb
        # between the weekday and the figure, and no verb of losing
        return bool(_REPORT_VERB.search(low, wd.end(), pos)) \
            and not _LOSS_VERB.search(low, wd.end(), pos)
    if _LOSS_VERB.search(low, pos, wd.start()):
        return False  # "reported 157 drones destroyed on Sunday": Sunday's losses
    last_say = max((m.end() for m in _REPORT_VERB.finditer(low, 0, pos)), default=-1)
    last_loss = max((m.end() for m in _LOSS_VERB.finditer(low, 0, pos)), default=-1)
    return last_say > last_loss


@lru_cache(maxsize=8192)
def _search(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """rx.search(text), once per sentence: resolve_period asks the same of every figure."""
    return rx.search(text)


@lru_cache(maxsize=8192)
def _matches(rx: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
    """Every match of rx.finditer(text), once per sentence (as _search)."""
    return tuple(rx.finditer(text))


def resolve_period(s: str, pos: int, day: date, measure: str | None
                   ) -> tuple[tuple[date | None, date] | None, str]:
    """Report dates the sentence states for a figure at `pos`, or None (the article's)."""
    low = s.lower()
    head = _HEADING.match(low)
    if head is not None and pos >= head.end():
        # a list line headed by its period: "2023: 253,290 troops", "2025 (as of June 4):
        # over 200,000", "November 28, 2024: 2,030 casualties" (rule period.heading)
        if head["year"] and measure != "change":
            yr = int(head["year"])
            if yr <= day.year:
                (first, last), note = _year_window(yr, day)
                until = _heading_as_of(head["as_of"] or "", yr)
                if until is not None and first is not None and first <= until <= last:
                    return (first, until), f"{YEAR_NOTE} {yr} to {until}"
                return (first, last), note
        elif head["date"]:
            low = "on " + head["date"] + "," + low[head.end():]
            pos += len("on ") + len(head["date"]) + 1 - head.end()
            s = low
    y = None if measure == "change" else min(
        (m for m in _matches(_IN_YEAR, low)
         if not _YEAR_OF_EVENT.search(low, max(0, m.start() - 40), m.start())),
        key=lambda m: abs(m.start() - pos), default=None)
    if y is not None and int(y.group(1)) <= day.year and all(
            abs(m.start() - pos) > abs(y.start() - pos)
            for m in (*_matches(_MONTH_YEAR, low), *_matches(_MONTH_IN, low))):
        # (the nearer names it: "в 2023 году … в сентябре – 947" is September's)
            # "in 2024", "за 2024 рік", "в 2024 году": the reports of 2 January to 1 January
            return _year_window(int(y.group(1)), day)
    if measure in (None, "window", "average"):
        # "from 11 to 17 November 2024", "11 November to 17 November 2024": a range of days
        # (rule period.day_range)
        rng = _date_range(low, pos, day, measure)
        if rng is not None and rng[1].startswith(RANGE_NOTE):
            return rng
    ty = _search(_THE_YEAR, low) if measure != "change" and day.month == 1 else None
    if ty is not None and not _YEAR_OF_EVENT.search(low, max(0, ty.start() - 40), ty.start()) \
            and not re.search(rf"(?:{MONTH_RE})\s*$", low[:ty.start()]):
        # "за рік ЗСУ знищили 3689 танків" in a January round-up: the year just ended
        return _year_window(day.year - 1, day)
    rng = _date_range(low, pos, day, measure)
    if rng is not None:
        return rng
    span = _span_of_months(low, day)  # ("з початку 2024 року до 1 жовтня" is no total)
    if span is not None:
        return span
    since_day = _since_day(low, pos, day) if measure != "total" else None
    if since_day is not None:
        return (since_day + timedelta(days=1), day), f"{SINCE_NOTE} {since_day}"
    # "between November 13 and 14": the report of the 14th
    m = _search(_BETWEEN, low)
    if m and measure in (None, "change"):
        mon = MONTHS[(m.group(3) or m.group(1))]
        try:
            d = date(_year_for(mon, int(m.group(4)), day), mon, int(m.group(4)))
            return (d, d), f"between {m.group(1)} {m.group(2)} and {m.group(4)}"
        except ValueError:
            pass
    half = _search(_HALF_YEAR, low)
    if half is not None and measure != "change":
        # "in the first half of 2025", "за перше півріччя": those reports (rule
        # period.half_year)
        which = half.group(1) or half.group(3)
        yr = int(half.group(2) or half.group(4) or day.year)
        if which in ("first", "перше", "первое"):
            a, b = date(yr, 1, 2), date(yr, 7, 1)
        else:
            a, b = date(yr, 7, 2), date(yr + 1, 1, 1)
        if yr == 2022:
            a = max(a, categories.WAR_START)
        if a <= day:
            return (a, min(b, day)), f"the {which} half of {yr}"
    quarter = _search(_QUARTER, low)
    if quarter is not None and measure != "change":
        # "у першому кварталі 2024 року", "за третий квартал": those reports (rule
        # period.quarter)
        k = _QUARTERS[quarter.group(1)]
        yr = int(quarter.group(2) or day.year)
        a = date(yr, 3 * k - 2, 2)
        b = date(yr + (k == 4), (3 * k) % 12 + 1, 1)
        if yr == 2022:
            a = max(a, categories.WAR_START)
        if a <= day:
            return (a, min(b, day)), f"the {quarter.group(1)} quarter of {yr}"
    ys = _search(_YEAR_SO_FAR, low)
    if ys is not None and measure != "change" and not (
            ys.group(0) == "this year" and _RANKED_UNIT.search(low, max(0, ys.start() - 50),
                                                               ys.start())):
        # (but "the worst month for tank losses this year": the year the month is ranked in)
        named = re.search(r"20[2-3]\d", ys.group(0))  # "since the beginning of 2024"
        from_year = int(named.group(0)) if named and int(named.group(0)) <= day.year \
            else day.year
        return (date(from_year, 1, 2), day), f"since the start of {from_year}"
    if measure in ("window", "average"):
        m = _search(_PREVIOUS_REPORTS, low)
        if m and (m.group(1) in _NUMWORD or m.group(1).isdigit()):
            # "the previous 7 reports": the seven before the article's own
            n = _NUMWORD.get(m.group(1)) or int(m.group(1))
            return (day - timedelta(days=n), day - timedelta(days=1)), \
                f"the {n} reports before {day}"
        past = _past_span(low, day)
        if past is not None:
            return past
        m = _search(_PAST_DAYS, low)
        if m and (m.group(1) in _NUMWORD or m.group(1).isdigit()):
            n = _NUMWORD.get(m.group(1)) or int(m.group(1))
            return (day - timedelta(days=n - 1), day), f"the past {n} days"
        if _search(_WEEK, low):
            return (day - timedelta(days=6), day), "the past week"
        months = [(mm.start(), mm) for mm in _matches(_MONTH_YEAR, low)
                  if not _SINCE_BEFORE.search(low, max(0, mm.start() - 12), mm.start())
                  or _THEN.search(low, mm.end(), pos)]
        if "respectively" in low and len(months) > 1:
            nums = [m2.start() for m2 in _matches(_DIGITS, low)
                    if not any(a <= m2.start() < a + len(mm.group(0)) for a, mm in months)]
            if pos in nums and nums.index(pos) < len(months):
                months = [(pos, months[nums.index(pos)][1])]
        uk_months = _MONTHS_IN
        if "у " in low or "в " in low:
            months += [(mm.start(), mm) for mm in _matches(_MONTH_IN, low)]
        own_month = _own_month(low, pos, months)
        if own_month is not None:
            # "359 in June, 300 in July": the month after a figure is its own
            months = [own_month]
        elif months:
            others = [m2.start() for m2 in _matches(_DIGITS, low)
                      if abs(m2.start() - pos) > 2 and not _IS_YEAR.fullmatch(m2.group(0))
                      and not any(a <= m2.start() < a + len(mm.group(0)) for a, mm in months)]
            bound = [(a, mm) for a, mm in months
                     if all(abs(a - pos) <= abs(a - o) for o in others)]
            months = bound or ([] if others else months)
        if months:
            best = min(months, key=lambda t: abs(t[0] - pos))[1]
            word = best.group(1) if best.lastindex else ""
            mon = MONTHS.get(word, 0) or next(
                (v for k, v in uk_months.items() if k in best.group(0)), 0)
            year = int(best.group(2)) if best.lastindex and best.lastindex >= 2 and \
                best.group(2) else None
            if mon:
                since = _search(_SINCE_DAY, low)
                if since:
                    d = date(_year_for(MONTHS[since.group(1)], int(since.group(2)), day),
                             MONTHS[since.group(1)], int(since.group(2)))
                    return (d + timedelta(days=1), day), f"since {d}"
                a, b = _month_window(mon, year, day)
                return (a, b), f"losses of {date(a.year, mon, 1):%B %Y}"
        if "this month" in low:
            start = day.replace(day=2) if day.day > 1 else day
            return (start, day), "this month"
        if _LAST_MONTH.search(low):
            # "last month", "минулого місяця": the calendar month before the article's
            before = day.replace(day=1) - timedelta(days=1)
            a, b = _month_window(before.month, before.year, day)
            return (a, b), f"losses of {before:%B %Y} (last month)"
    # a weekday: "said on Sunday" names the report; "lost ... on Sunday" the losses
    m = None
    for mm in _matches(_ON_WEEKDAY, low):
        if m is None or abs(mm.start() - pos) < abs(m.start() - pos):
            m = mm
    if m is not None:
        wd = WEEKDAYS[m.group(1)]
        if _SINCE_UPDATE.search(low, max(0, m.start(1) - 70), m.start(1)):
            # "destroyed since the last update on Saturday morning": the report after
            # Saturday's (rule period.since_update)
            d = latest_weekday(day - timedelta(days=1), wd) + timedelta(days=1)
            return (d, d), f"the report after {m.group(1).title()}'s ({d})"
        soon = _SAY_SOON.match(low, m.end()) if m.end() <= pos else None
        # "On Monday the General Staff said …", "Генштаб у понеділок повідомив про 1 350":
        # the day it was said, before the figure
        said = bool(_SAY.search(low[:m.start(1)])) or (soon is not None and soon.end() <= pos) \
            or _governed_by_say(low, m, pos) or low.startswith(("'s", "’s"), m.end(1)) \
            or _WEEKDAY_REPORT.match(low, m.start(1)) is not None
        if said or latest_weekday(day, wd) == day:
            # "lost 890 on Thursday" in an article of a Thursday is that morning's report,
            # not the losses of a week ago
            d = latest_weekday(day, wd)
            return (d, d), f"the report of {m.group(1).title()} {d}"
        loss = latest_weekday(day - timedelta(days=1), wd)
        d = loss + timedelta(days=1)
        return (d, d), f"the losses of {m.group(1).title()} {loss} (report of {d})"
    if "yesterday" in low or "вчора" in low:
        return (day, day), "yesterday's losses (the report of the article's day)"
    dm = _day_match(_ON_DAY, _ON_DAY_FIRST, low, day, _SINCE_OR_AS_OF)
    if dm and _EVENT_BEFORE.search(low, max(0, dm.at - 60), dm.at):
        dm = None  # "the assault that began on October 10": another event's day
    if dm and measure in (None, "change", "total") and _SAY.search(low[:dm.at]):
        # "the General Staff said on April 25", "проінформував 25 квітня": the report of
        # the day it was said
        try:
            d = dm.day(day)
            return (None if measure == "total" else d, d), f"the report of {d}"
        except ValueError:
            pass
    if dm and measure in (None, "change"):
        try:
            loss = dm.day(day)
            return (loss + timedelta(days=1), loss + timedelta(days=1)), \
                f"the losses of {loss}"
        except ValueError:
            pass
    if dm and measure == "total" and (MONTHS[dm.month], dm.dom) != (2, "24"):
        # "the tally hit 250,240 on August 7": a total is the report of that day (but
        # "since the invasion on February 24" is the war's first day)
        try:
            d = dm.day(day)
            return (None, d), f"the report of {d}"
        except ValueError:
            pass
    dm = _day_match(_TO_DAY, _TO_DAY_FIRST, low, day)
    if dm and measure in (None, "total"):
        try:
            # "as of 19 July 2025": the year written after the date, else the nearest one
            d = dm.day(day)
            if low.startswith("by ", dm.at):
                # "had lost 5,300 by 27 February": the tally of that day's report, or with
                # that day's losses in it (the next morning's): both are read
                return (None, d), f"{BY_DAY_NOTE} {d}"
            return (None, d), f"the report of {d}"
        except ValueError:
            pass
    if measure in (None, "change", "total"):
        m = next((x for x in _matches(_AS_OF_DAY, low) if not _SINCE_NOT_REPORT.match(
            low, x.start()) and not _RANGE_AFTER.match(low, x.end())), None)
        if m:
            try:
                if m.group(1):
                    mon, dom = MONTHS[m.group(2)], int(m.group(1))
                    year = int(m.group(3)) if m.group(3) else None
                else:
                    mon, dom = int(m.group(5)), int(m.group(4))
                    year = int(m.group(6)) if m.group(6) else None
                    if year is not None and year < 100:
                        year += 2000
                d = date(year or _year_for(mon, dom, day), mon, dom)
                return ((None if measure == "total" else d), d), f"the report of {d}"
            except (ValueError, KeyError):
                pass
        m = _search(_FOR_DAY, low)
        if m and measure != "total":
            try:
                mon, dom = MONTHS[m.group(2)], int(m.group(1))
                loss = date(_year_for(mon, dom, day), mon, dom)
                d = loss + timedelta(days=1)
                return (d, d), f"the losses of {loss}"
            except (ValueError, KeyError):
                pass
    return None, ""


def _span_of_months(low: str, day: date) -> tuple[tuple[date, date], str] | None:
    """A stated span from a year's start to a day, or from one month through another."""
    m = _search(_YEAR_START_TO, low)
    if m is not None:
        mon = MONTHS[(m["m1"] or m["m2"]).lower()]
        dom = int(m["d1"] or m["d2"])
        yr = next((int(y) for y in (m["y1"], m["y2"], m["y3"], m["y4"]) if y), None)
        try:
            end = date(yr or _year_for(mon, dom, day), mon, dom)
        except ValueError:
            return None
        start = max(date(end.year, 1, 2), categories.WAR_START + timedelta(days=1))
        if start <= end <= day:
            return (start, end), f"{SPAN_NOTE} the start of {end.year} to the report of {end}"
    m = _search(_MONTH_TO_MONTH, low)
    if m is not None:
        a, b = _MONTH_ANY.get(m["a"].lower()), _MONTH_ANY.get(m["b"].lower())
        if a is None or b is None:
            return None
        yb = int(m["yb"]) if m["yb"] else None
        last = _month_window(b, yb, day)
        ya = int(m["ya"]) if m["ya"] else (last[1].year if a <= b else last[1].year - 1)
        if b == 12 and not m["ya"] and a <= b:
            ya = last[0].year
        first = _month_window(a, ya, day)
        if first[0] <= last[1]:
            return (first[0], last[1]), f"{SPAN_NOTE} {date(ya, a, 1):%B %Y} through " \
                f"{date(last[0].year, b, 1):%B %Y}"
    return None


def _since_day(low: str, pos: int, day: date) -> date | None:
    """The day of "since 5 November" nearest the figure, if it opens a window that ends
    on the article's day (not the war's first day, not the day itself or later)."""
    best = min(_matches(_SINCE_DATE, low), key=lambda m: abs(m.start() - pos), default=None)
    if best is None:
        return None
    mon = MONTHS[(best["m1"] or best["m2"]).lower()]
    dom = int(best["d1"] or best["d2"])
    if (mon, dom) == (2, 24) and not best["y"]:
        return None  # "since February 24": the invasion, in any year's article
    try:
        d = date(int(best["y"]) if best["y"] else _year_for(mon, dom, day), mon, dom)
    except ValueError:
        return None
    if d <= categories.WAR_START or d >= day:
        return None
    return d


def _year_for(month: int, dom: int, day: date) -> int:
    y = day.year
    try:
        if date(y, month, dom) > day + timedelta(days=1):
            y -= 1
    except ValueError:
        pass
    return y


_CLAUSE = re.compile(r"[,;] ")


@lru_cache(maxsize=4096)
def _comparative_parts(s: str) -> tuple[tuple[int, int], ...]:
    """Where a sentence's comparative claims lie: the whole sentence, or one part per cue
    when a later cue starts a clause that names its own month ("January was the second-worst
    month …, almost matching the record figures for December 2024")."""
    # "Records: …" / "Рекорди: …" is a heading, not a claim of its own
    cues = [m.start() for m in COMPARATIVE.finditer(s)
            if not re.match(r"(?:records?|рекорди?|рекорды?)\s*:", s[m.start():], re.I)]
    if not cues:
        return ()  # (_comparative would find no cue either: the sentence is not scanned twice)
    cuts = [0]
    for prev, cue in pairwise(cues):
        commas = [m.end() for m in _CLAUSE.finditer(s, prev, cue)]
        semis = [m.end() for m in re.finditer(r"; ", s[prev:cue])]
        if semis:  # "…, the most since X; 4 cruise missiles, the most since Y"
            cuts.append(prev + semis[-1])
        elif commas and _MONTH_YEAR.search(s.lower(), cue):
            cuts.append(commas[-1])
    return tuple(pairwise([*cuts, len(s)]))


_MOST_SINCE = re.compile(
    rf"\b(?:(?:the )?(?:most|highest|largest|biggest|heaviest|deadliest|worst)(?: \w+)? since "
    rf"(?:the (?:report|bulletin) of )?(?P<start>the (?:start|beginning) of (?:the month of )?)?|"
    rf"(?:найбільше|найбільший|найбільша|найвищий|найвища|"
    rf"наибольш\w*|больше всего|самый высокий|самое большое)(?: \w+)? (?:від|з|із|с|со) "
    rf"(?:зведення |сводки )?)(?:(?P<d1>\d{{1,2}}) (?P<m1>{MONTH_RE})|"
    rf"(?P<m2>{MONTH_RE})\.? (?P<d2>\d{{1,2}})\b|(?P<m3>{MONTH_RE}))(?:,? (?P<y>\d{{4}}))?"
    rf"(?:\s+(?:року|года|г\.))?",
    re.I)
""""the most since 16 March 2022", "the highest since March 2022": the last report with a
larger figure was that day (or in that month); "the highest since the start of October": no
larger figure since October began (rule comparative.most_since)."""


_DAY_IN = re.compile(rf"(?P<d1>\d{{1,2}}) (?P<m1>{MONTH_RE})|(?P<m2>{MONTH_RE})\.? "
                     rf"(?P<d2>\d{{1,2}})\b|(?P<m3>(?!))(?:,? (?P<y>\d{{4}}))?", re.I)


def _since_date(m: re.Match[str], day: date) -> tuple[date, str] | None:
    """The date (and "day" or "month") a "the most since …" phrase names."""
    try:
        if m["m3"]:
            mon = MONTHS[m["m3"].lower()]
            year = int(m["y"]) if m["y"] else (day.year if mon <= day.month else day.year - 1)
            return date(year, mon, 1), "start" if m["start"] else "month"
        mon = MONTHS[(m["m1"] or m["m2"]).lower()]
        dom = int(m["d1"] or m["d2"])
        year = int(m["y"]) if m["y"] else _year_for(mon, dom, day)
        return date(year, mon, dom), "day"
    except (KeyError, ValueError):
        return None


def _compare_periods(sent: Sentence, s: str, day: date, offset: int, versus: re.Match[str],
                     info: dict[str, object]) -> Claim | None:
    """"November's 45,720 topped October's 41,980", "перевищує жовтневий показник": the
    sentence's own month against the month after the cue; None unless both are named."""
    low = s.lower()
    other = MONTHS.get(versus["month"].lower()) or _MONTHS_IN.get(versus["month"].lower())
    own = [mm for mm in _MONTH_YEAR.finditer(low)
           if not versus.start() <= mm.start() <= versus.end() + 40
           and MONTHS.get(mm.group(1)) not in (None, other)]
    own += [mm for mm in _MONTH_IN.finditer(low) if not versus.start() <= mm.start()
            <= versus.end() + 40 and _MONTHS_IN.get(mm.group(1)) != other]
    if other is None:
        return None
    if own:
        first = own[0]
        mon = MONTHS.get(first.group(1)) or _MONTHS_IN.get(first.group(1), 0)
        year = int(first.group(2)) if first.lastindex and first.lastindex >= 2 \
            and first.group(2) else None
    else:
        # "losses for the month, above October's": the month just ended
        last = day.replace(day=1) - timedelta(days=1)
        mon, year = last.month, last.year
    if not mon or (mon == other and not own):
        return None
    start, end = _month_window(mon, year, day)
    o_start, o_end = _month_window(other, None, day)  # its latest, as the words give it
    info.update(kind="compare_periods", unit="month",
                other=(o_start.isoformat(), o_end.isoformat()),
                direction="low" if versus["low"] else "high")
    c = Claim(sent, sent.start + offset + versus.start(), sent.start + offset + versus.end(),
              None, label_kind="comparative", measure="comparative", comparative=info)
    c.period, c.period_note = (start, end), f"losses of {date(start.year, mon, 1):%B %Y}"
    return c


_BEHIND = re.compile(rf"\b(?:following|behind|after|second only to|only surpassed\b[^.;]{{0,50}}?"
                     rf"\bby|surpassed only by)\s+(?:the\s+)?(?:{MONTH_RE})\b")
_PREVIOUS_RECORD = re.compile(
    r"\b(?:previous|prior|former|last) (?:\w+ )?(?:record|high|peak|highest)\b|"
    r"попередн\w* (?:\w+ )?(?:рекорд|максимум)\w*|предыдущ\w* (?:\w+ )?(?:рекорд|максимум)\w*")


_LOSS_TOPIC = re.compile(
    r"loss|casualt|killed|dead|troops|soldiers|personnel|tank|vehicle|artillery|drone|month|"
    r"day|aircraft|helicopter|missile|ship|boat|mlrs|air defen[cs]e|uav|system|equipment|"
    r"безпілот|беспилот|дрон|артсистем|артилер|артиллер|місяц|месяц|втрат|окупант|танк|техні|"
    r"потер|оккупант|літак|гелікоптер|ракет|корабл|рсзв|ппо|бпла|систем|самол|вертол|военн|"
    r"техник")
"""Words without which a sentence ranks no loss."""


def _comparative(sent: Sentence, s: str, day: date, offset: int = 0) -> Claim | None:
    """The comparative claim of a sentence (or of the part of it at `offset`; the sentence
    says what is compared)."""
    m = next((x for x in COMPARATIVE.finditer(s) if not re.match(
        r"(?:records?|рекорди?|рекорды?)\s*:", s[x.start():], re.I)), None)
    if not m:
        return None
    low = s.lower()
    anaphor = COMPARE_PERIODS.match(s, m.start()) is not None and re.match(
        r"\s*(?:це|это|this|that|it)\b", low) is not None
    # "Це менше, ніж у серпні": the figure of the sentence before, set against August
    if not anaphor and not _LOSS_TOPIC.search(sent.text.lower()):
        return None
    if re.search(r"direction|напрямк|направлени|fighting occurred|intense fighting", low):
        return None  # "the greatest losses on the X direction": no figure to rank
    if re.match(r"(?:\s+\w+){0,2}?\s+(?:strikes?|attacks?|assaults?|barrages?|bombardments?|"
                r"offensives?|ударів|удари|удар|атак\w*|обстріл\w*|обстрел\w*|наступ\w*)\b",
                low[m.end():]):
        return None  # "one of its heaviest strikes": what is ranked is no loss
    cue = m.group(0).lower()
    info: dict[str, object] = {"cue": cue}
    versus = COMPARE_PERIODS.match(s, m.start())
    if versus is not None:
        return _compare_periods(sent, s, day, offset, versus, info)
    first = FIRST_ABOVE.search(s)
    if first is not None:
        info.update(kind="first_above",
                    threshold=int(re.sub(r"\D", "", first.group("n"))), unit="day")
        return Claim(sent, sent.start + offset + first.start(),
                     sent.start + offset + first.end(), None, label_kind="comparative",
                     measure="comparative", comparative=info)
    if cue in ("for the first time", "first time ever", "вперше", "впервые"):
        return None  # "for the first time" without a threshold ranks nothing
    near = NEAR_RECORD.search(s)
    if near is not None:
        # "close to the record", "близько до рекорду": below the war's (or the window's)
        # largest, within a tenth of it (rule comparative.near_record)
        rw = _rank_window(low, day)
        info.update(kind="rank", near=True, ordinal=1, unit="day",
                    window=rw[0] if rw is not None else None)
        return Claim(sent, sent.start + offset + near.start(),
                     sent.start + offset + near.end(), None, label_kind="comparative",
                     measure="comparative", comparative=info,
                     rule_ids=[rw[1]] if rw is not None else [])
    if re.search(r"shy of|short of|away from", cue):
        mm = re.search(r"(?<![\d,])([\d,]{1,12}) (?:shy|short) of (?:the )?([\d,]{1,12})|"
                       r"(?<![\d,])([\d,]{1,12}) away from the ([\d,]{1,12})", s)
        if not mm:
            return None
        v = mm.group(1) or mm.group(3)
        target = mm.group(2) or mm.group(4)
        info.update(kind="milestone", target=int(target.replace(",", "")))
        value: int | None = int(v.replace(",", ""))
        qual = "under" if re.search(r"less than\s*$", s[:mm.start()]) else None
        return Claim(sent, sent.start + offset + mm.start(), sent.start + offset + mm.end(),
                     value,
                     qualifier=qual, label_kind="comparative", measure="comparative",
                     comparative=info)
    if "consecutive" in cue:
        mm = re.search(r"(\w+) consecutive day[^.]*?(?:topped|above|over|exceeded|more than) "
                       r"([\d,]+)", low)
        if not mm:
            return None
        ordinals = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
        n = ordinals.get(mm.group(1)) or (int(mm.group(1)) if mm.group(1).isdigit() else None)
        if n is None:
            return None
        info.update(kind="consecutive", days=n, threshold=int(mm.group(2).replace(",", "")))
        return Claim(sent, sent.start + offset + m.start(), sent.start + offset + len(s), n,
                     label_kind="comparative",
                     measure="comparative", comparative=info)
    since = _MOST_SINCE.search(s)
    if since is not None and not LOW_DIRECTION.search(cue):
        when = _since_date(since, day)
        if when is not None:
            tie = next((t for t in _AS_MANY_AS.finditer(s) if not re.match(
                r"not|excluding|не ", t.group(0), re.I)), None)  # an equal, not an excluded
            tie_at = _DAY_IN.search(tie.group(0)) if tie else None
            tie_day = _since_date(tie_at, day) if tie_at else None
            info.update(kind="most_since", since=when[0].isoformat(), since_unit=when[1],
                        unit="day", equalled=tie_day is None and bool(
                            re.search(r"as many as|equall?ed", low)))
            if tie_day is not None:
                # "as many as on 17 June and the most since 6 May": the last larger report
                # is 6 May, and 17 June had as many
                info["tied_with"] = tie_day[0].isoformat()
            return Claim(sent, sent.start + offset + since.start(),
                         sent.start + offset + since.end(), None, label_kind="comparative",
                         measure="comparative", comparative=info)
    info["kind"] = "rank"
    info["ordinal"] = 2 if re.search(r"second", cue) or re.search(
        rf"(?:worst|highest|deadliest|heaviest|largest)[^.]*\bafter (?:{MONTH_RE})", low) else 1
    behind = _BEHIND.search(low)
    if behind is not None and (info["ordinal"] == 2 or "surpass" in behind.group(0)):
        # "the second deadliest month, following October 2023", "only surpassed by October
        # 2023": the month named is the one ahead; what is ranked is the text's own
        # (rule comparative.behind)
        info["ordinal"] = 2
        info["behind"] = True
    if re.search(r"\b(?:one of|among) (?:its|the)\b|\b(?:one of|among) [^.,;]{0,30}?\b"
                 r"(?:\w+est|most|worst)\b|\b(?:один|одн\w*|серед) (?:з |із )?най|"
                 r"\b(?:один|одн\w*|среди) (?:из )?(?:самых|наи)", low):
        info["ordinal"] = 10
        info["one_of"] = True
    if LOW_DIRECTION.search(cue):
        info["direction"] = "low"
    if _PREVIOUS_RECORD.search(low):
        # "the previous record was in September 2023": the highest until a later period
        # beat it (rule comparative.previous_record)
        info["previous"] = True
    rw = _rank_window(low, day)
    if rw is not None:  # the window's own words rank no month ("in recent months")
        low = low[:rw[2]] + " " * (rw[3] - rw[2]) + low[rw[3]:]
    month_ranked = re.search(
        r"(?<!past )(?<!last )(?<!this )(?<!a )\bmonth(?:s|ly)?\b(?! of fighting)|місяц|"
        r"місячн|месяц|месячн", low) and \
        not re.search(r"(?:past|last|this|a) month", low)
    info["unit"] = "month" if month_ranked or re.search(
        rf"(?:in|during) (?:{MONTH_RE})\b[^.]*(?:since|ever)|^(?:{MONTH_RE})\b|"
        rf"(?:in|during) (?:{MONTH_RE}) and (?:{MONTH_RE})\b|peak(?:ed|s)? in (?:{MONTH_RE})\b|"
        rf"record (?:figures?|numbers?|levels?|totals?) (?:for|of|in) (?:{MONTH_RE})\b", low) \
        else "day"
    if info["unit"] == "day" and _IN_MONTH.search(low) and not _DAY_WORDS.search(low):
        # "In December Russia lost 48,670 troops, the most of the war": a month's figure
        # ranked among months (a day's words, "in a single day", keep the day)
        info["unit"] = "month"
    info["window"] = rw[0] if rw is not None else None
    start = sent.start + offset
    end = sent.start + offset + len(s)
    return Claim(sent, start, end, None, label_kind="comparative", measure="comparative",
                 comparative=info, rule_ids=[rw[1]] if rw is not None else [])


_UNIT_DAYS = (("d", 1), ("д", 1), ("с", 1), ("w", 7), ("т", 7), ("н", 7), ("m", 30), ("м", 30),
              ("y", 365), ("р", 365), ("г", 365), ("л", 365))
"""A unit's length by its first letter (days, тижні, недели, months, місяці, years, рік,
год, лет); "доб", "сут" are days."""


@cache
def _rank_windows() -> tuple[tuple[re.Pattern[str], str, bool], ...]:
    return tuple((re.compile(r.data["pattern"], re.I), r.id, bool(r.data.get("year_to_date")))
                 for r in rules.of_kind("rank_window"))


def _rank_window(low: str, day: date) -> tuple[int, str, int, int] | None:
    """(days, rule id, span) of how far back a ranking looks, from the first window the
    text names (rules `rank_window`): "the most in more than a year" 366 days, "one of the
    highest in recent months" 60, "this year" since 2 January; None: the whole war."""
    best: tuple[int, str, int, int] | None = None
    for rx, rid, ytd in _rank_windows():
        m = rx.search(low)
        if m is None or (best is not None and m.start() >= best[2]):
            continue
        if ytd:
            named = m.groupdict().get("year")
            if named is not None and int(named) != day.year:
                continue  # a past year's ranking: not a window back from the article
            best = ((day - date(day.year, 1, 1)).days + 1, rid, m.start(), m.end())
            continue
        groups = m.groupdict()
        unit = next((groups[k] for k in ("unit", "unit2", "unit3") if groups.get(k)), "")
        word = (groups.get("n") or "").strip()
        if word.isdigit():
            n = int(word)
        elif word in ("", "a", "an", "one"):
            # no count: one, or some ("recent months", "останні тижні") for a plural
            n = 2 if unit.endswith(("s", "і", "ы", "ями", "ями", "ів", "ей", "ев")) and \
                not word else 1
        else:
            got = numbers.lexicon().words.get(word)
            if got is None:
                continue
            n = got[0]
        size = next((d for letter, d in _UNIT_DAYS if unit.startswith(letter)), None)
        if size is None or n < 1 or (size == 1 and n == 1):
            continue  # "in a single day", "за добу": the unit ranked, not a window
        best = (n * size + (1 if groups.get("more") else 0), rid, m.start(), m.end())
    return best


_DAY_WORDS = re.compile(r"\b(?:days?|daily|24 hours|past day|добов\w*|"
                        r"за добу|доба|за сутки|суточн\w*|в день)\b", re.I)
"""Words that make a comparative rank days, whatever month the sentence names."""


def sentence_categories(text: str) -> list[str]:
    """The categories a sentence names, in order (a loose word as vehicles and fuel tanks):
    the parts from which a `mislabeled` verdict may build a sum."""
    out: list[str] = []
    for _, _, lab, cid, kind in _labels_in_raw(text):
        if norm(lab) in _weak():
            continue
        cid = "vehicles_fuel_tanks" if kind == "loose" else cid
        if cid not in out:
            out.append(cid)
    return out


# The patterns every sentence (or every figure) is scanned with, each behind a lookahead of
# the characters its matches can start with (rules.guarded: the same matches, found 1.5-3x
# faster). Here, after every definition, so that patterns built from their text are built
# from the plain ones.
(COMPARATIVE, _THIS_YEAR, _IN_MONTH, _MOST_SINCE, _AS_MANY_AS, _PREV_NEAR, FORECAST,
 _THE_YEAR, _HALF_YEAR, _YEAR_SO_FAR, _ON_DAY, _DATE_SPANS, MILESTONE, _ON_DAY_FIRST, _SAY,
 _AMOUNT_WORD, WAR_FRAME, LOW_DIRECTION, _ON_WEEKDAY, _AS_OF_DAY, _IN_YEAR, OWN_SOURCE,
 NEAR_RECORD, _FIGURE, IN_SCOPE_ANYWAY, _PREV_DASH, _YEAR_BEFORE_COUNT, PREVIOUS_REPORT) = (
    rules.guarded(rx) for rx in (
        COMPARATIVE, _THIS_YEAR, _IN_MONTH, _MOST_SINCE, _AS_MANY_AS, _PREV_NEAR, FORECAST,
        _THE_YEAR, _HALF_YEAR, _YEAR_SO_FAR, _ON_DAY, _DATE_SPANS, MILESTONE, _ON_DAY_FIRST,
        _SAY, _AMOUNT_WORD, WAR_FRAME, LOW_DIRECTION, _ON_WEEKDAY, _AS_OF_DAY, _IN_YEAR,
        OWN_SOURCE, NEAR_RECORD, _FIGURE, IN_SCOPE_ANYWAY, _PREV_DASH, _YEAR_BEFORE_COUNT,
        PREVIOUS_REPORT))
