"""The shapes of the API's answers, as Pydantic models: what /openapi.json and /docs say each
route returns, its errors and its caching.

The routes answer pre-serialised JSON (`respond.envelope`, kept as bytes by the response
cache), and FastAPI returns a `Response` as it is: a model here documents, it costs a request
nothing (no validation, no second serialisation). The tests keep the models honest instead:
`tests/test_openapi.py` validates real answers against them, and the schemathesis fuzz
checks every answer it provokes against the schema.

To document a new route, declare its document here (a subclass of `Doc`, which carries
`"ok": true` and refuses fields it does not name) and spread `answers(...)` into its
decorator:

    @router.get("/api/history/{day}", tags=["ledger"], **answers(HistoryDoc, 404, 422))
    def history(...) -> Response: ...                 # returns envelope(doc) as before

`answers(None, ..., media="text/csv")` declares a CSV twin (or `media=
"application/atom+xml"` a feed); `answers(..., get=False)` a POST (no 304); `v2_answers`
a russianwarship.rip v2 route. Every answer documents the error envelope (`Error`) under
the statuses given and 503, and a GET its validators and `304` (HEAD is said there). An
example: add the model's name and a request to `EXAMPLES` below and run
`scripts/openapi_examples.py` (it writes `examples.json` beside this module from the
bundled data; tests/test_openapi.py checks each example against the live answer, and that
every JSON route names a model). A request the routes answer with a document goes into
`GOOD` in tests/test_api_fuzz.py, where schemathesis checks the answer against the schema.
"""

from __future__ import annotations

import json
from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, get_type_hints

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, create_model

from attrition import service
from attrition.web import v2

# -- path parameters shared by routes ----------------------------------------------------------

DayPath = Annotated[str, Path(description="A report date: `YYYY-MM-DD`, `latest`, `today` or "
                                          "`yesterday`.", examples=["2024-11-14"])]
NamePath = Annotated[str, Path(description="A category (`tanks`, `afv`, `personnel`...) or an "
                                           "aggregate (`vehicles`, `armour`...).",
                               examples=["vehicles"])]


# -- envelope and errors ---------------------------------------------------------------------


class Doc(BaseModel):
    """An answer of the JSON API: `{"ok": true, ...}` and exactly the fields named."""

    model_config = ConfigDict(extra="forbid")
    ok: Literal[True] = True


class Part(BaseModel):
    """A part of a document (no `ok`), with exactly the fields named."""

    model_config = ConfigDict(extra="forbid")


class Open(BaseModel):
    """A part of a document owned by a module that grows it (the checker, the briefs): the
    fields named are always there; others may be added."""

    model_config = ConfigDict(extra="allow")


class Error(BaseModel):
    """Every error of the JSON API, whatever its status: never a stack trace."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"ok": False, "error": "no report for 2030-01-01 (the ledger runs 2022-02-24 .. "
                               "2026-08-22)", "status": 404}]})
    ok: Literal[False] = False
    error: str = Field(description="What went wrong, in one line naming the parameter.")
    status: int = Field(description="The HTTP status, repeated.")


ERRORS = {
    400: "The request is malformed (a body that is not JSON or UTF-8, a bad value).",
    401: "The token is missing or wrong.",
    403: "The server is read-only (no ATTRITION_API_TOKEN).",
    404: "Nothing for what was asked (no report on that date, an unknown name).",
    413: "The body is over 2 MB.",
    422: "A parameter is invalid (a date outside 1900-2100, a choice not offered).",
    502: "The article's page could not be fetched.",
    503: "The store cannot be read, or too many fetches are under way: try again.",
}
CACHING = {
    "ETag": "Weak; names the store's version and the UTC day.",
    "Last-Modified": "The later of the last ingest and the start of the UTC day.",
    "Cache-Control": "public, max-age=300, stale-while-revalidate=3600",
}
NOT_MODIFIED = ("Not Modified: `If-None-Match` matched the ETag (or `If-Modified-Since` is "
                "not before Last-Modified). No body. `HEAD` answers as `GET` without a body.")


@cache
def examples() -> dict[str, Any]:
    """Examples taken from the bundled data, by model name (see the module's docstring)."""
    text = resources.files("attrition.web").joinpath("examples.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def answers(model: type[BaseModel] | None, *errors: int, media: str = "application/json",
            get: bool = True, example: str | None = None, also: tuple[str, ...] = ()
            ) -> dict[str, Any]:
    """The decorator arguments documenting a route: its 200 (`model`, or a `media` type
    such as text/csv), the error envelope under each status of `errors`, and (a GET) its
    validators and 304. `example`: the name of an example in examples.json (default: the
    model's); `also`: other media types the route may answer (as text)."""
    ok: dict[str, Any] = {"description": "OK"}
    if get:
        ok["headers"] = {k: {"description": v, "schema": {"type": "string"}}
                         for k, v in CACHING.items()}
    if model is None:
        ok["content"] = {media: {"schema": {"type": "string"}}}
    else:
        found = examples().get(example or model.__name__)
        if found is not None:
            ok["content"] = {media: {"example": found["answer"]}}
    out: dict[int | str, dict[str, Any]] = {200: ok}
    for status in sorted({*errors, 503}):  # any read may find the store unreadable
        # a CSV route's errors are JSON still: named by reference, not as the route's type
        out[status] = ({"model": Error, "description": ERRORS[status]} if model else
                       {"description": ERRORS[status], "content": {"application/json": {
                           "schema": {"$ref": "#/components/schemas/Error"}}}})
    if get:
        out[304] = {"description": NOT_MODIFIED, "headers": {
            k: {"description": v, "schema": {"type": "string"}}
            for k, v in CACHING.items() if k != "Cache-Control"}}
    for other in also:
        ok.setdefault("content", {})[other] = {"schema": {"type": "string"}}
    if model is None:
        return {"responses": out, "response_class": _media_class(media)}
    return {"responses": out, "response_model": model}


@cache
def _media_class(media: str) -> type[Any]:
    from fastapi.responses import Response

    return type(f"{media.split('/')[-1].title()}Response", (Response,), {"media_type": media})


# -- the ledger ------------------------------------------------------------------------------

Day: TypeAlias = date
"""A report date (the report of D gives the losses of D - 1)."""


class Figure(Part):
    category: str = Field(description="The category's id (see /api/v2/terms for titles).")
    label: str
    total: int = Field(description="The cumulative total since 24 February 2022.")
    change: int | None = Field(description="The difference from the previous report's "
                                           "total (None on a category's first report).")
    announced_change: int | None = Field(description="The (+N) the bulletin printed, when a "
                                                     "source carries it.")
    qualifier: str | None = Field(description='"about" for the rounded personnel figure.')
    sources: list[str] = Field(description="The sources that agree on this total.")
    single_witness: bool = Field(description="Only one source has this cell.")
    method: str = Field(description="How the sources' values were resolved (unanimous, "
                                    "majority, single, disputed...).")
    dissent: dict[str, int] = Field(description="Sources that gave another total, and it.")
    address: str | None = Field(description="The bulletin's address, when known (http(s)).")
    since: str | None = Field(None, description="With `as_of`: when this figure came to count "
                                                "(its report's morning, or the revision's "
                                                "first sighting), Kyiv time.")
    revised_after: list[Any] | None = Field(None, description="With `as_of`: the revisions "
                                                              "of this cell seen later.")


class Stale(Part):
    """How old the latest report is, when older than 36 hours (a report comes every
    morning): what `show latest` and `brief` print."""

    age_days: int = Field(description="Whole days since the report's morning (06:00 UTC).")
    as_of: Day = Field(description="The day the age is counted on (UTC).")
    refresh: str = Field(description="The command that fetches newer reports.")
    en: str | None = Field(None, description="The sentence saying so (a report; a brief's "
                                             "text opens with it instead).")


class ReportDoc(Doc):
    """One report: every figure with its sources (`attrition show --format json`)."""

    date: Day = Field(description="The report's date (published that morning, Kyiv time).")
    covers: Day = Field(description="The day whose losses the report gives (the day "
                                     "before; the first report: the day the invasion began).")
    first_report: bool = Field(description="The report of 24 February 2022: totals since the "
                                           "invasion began, no change.")
    publisher: str = Field(description="Whose figures these are.")
    address: str | None = Field(description="The bulletin's address, when a source has it.")
    figures: list[Figure]
    missing: list[str] = Field([], description="The categories earlier reports carried that "
                                               "this report has no figure for.")
    caveat: str = Field(description="Whose claims these are: official Ukrainian claims, not "
                                    "independently verified.")
    stale: Stale | None = Field(None, description="`latest` only, when the report is older "
                                                  "than 36 hours: how old, and how to "
                                                  "refresh.")
    as_of: dict[str, Any] | None = Field(None, description="With `as_of`: the moment the "
                                                           "ledger is read at (Kyiv time), "
                                                           "the newest report by then, when "
                                                           "this report was published.")


class SeriesRow(Part):
    date: Day
    covers: Day
    total: int | None = Field(description="None where a part of a sum is not reported.")
    change: int | None
    announced_change: int | None = Field(description="The bulletin's (+N) (a sum: of every "
                                                     "part's), when every part has one.")
    basis: Literal["difference", "announced"] = Field(
        description="Which change this row's is.")
    excluded: Literal["creation", "correction", "stale", "two_day"] | None = Field(
        description="Why records skip this change: a category's first report, a "
                    "correction, a stale repeat, or the two-day change after it.")
    components: list[str] = Field(description="The categories summed on that day.")
    sources: list[str] = Field(description="The sources that agree on those cells.")
    disputed: bool = Field(False, description="The sources disagree, with no majority, on "
                                              "this total or the one before (`attrition "
                                              "validate --kind disputed`).")


class SeriesDoc(Doc):
    """A category's or aggregate's series (`attrition series --format json`)."""

    name: str
    label: str
    definition: str = Field(description='"tanks + afv + vehicles_fuel_tanks" for an '
                                        "aggregate, the id for a category.")
    aggregate: bool
    basis: Literal["difference", "announced"]
    from_: Day | None = Field(alias="from", description="First report date asked.")
    to: Day | None
    rows: list[SeriesRow]
    publisher: str
    caveat: str
    as_of: str | None = Field(None, description="With `as_of`: the moment the ledger is read "
                                                "at, Kyiv time.")
    latest_report: Day | None = Field(None, description="With `as_of`: the newest report "
                                                        "published by then.")


class Rank(Part):
    rank: int = Field(description="1 + the reports in the window with a larger change.")
    of: int = Field(description="Reports in the window that count (not a correction, a "
                                "stale repeat or the two-day change after it, nor a change "
                                "resting on a disputed total).")
    ties: int


class Skipped(Part):
    date: Day
    change: int | None
    reason: str | None


class TopDay(Part):
    date: Day
    covers: Day
    change: int | None
    disputed: bool = Field(False, description="The change rests on a disputed total (that "
                                              "report's or the one before's); never true "
                                              "here: the top days leave such changes out.")


class RecordsDoc(Doc):
    """Where a day's change ranks (`attrition records --format json`)."""

    name: str
    label: str
    definition: str
    date: Day
    covers: Day
    reported: bool
    last_reported: Day | None
    change: int | None
    basis: str
    excluded: str | None = Field(description="Why records skip the day's change: as a "
                                             "series row's, or \"disputed\" (it rests on "
                                             "a disputed total); it then has no ranks.")
    no_change: bool = Field(description="A change of 0 ranks nowhere.")
    ranks: dict[str, Rank | None] = Field(description="By window: 7d, 30d, 90d, 365d, war.")
    last_higher: Day | None = Field(description="The last earlier report with a larger "
                                                 "change that records count (None: a record "
                                                 "of the war).")
    last_higher_value: int | None
    last_higher_components: list[str] | None = Field(
        description="What that report counted, where it differs (before a merge).")
    highest_since: Day | None = Field(description="Old name of last_higher.",
                                       deprecated=True)
    highest_since_value: int | None = Field(deprecated=True)
    highest_since_components: list[str] | None = Field(deprecated=True)
    disputed: bool = Field(False, description="The day's change rests on a disputed total "
                                              "(the sources tie; nothing settles it).")
    last_higher_disputed: bool = Field(False, description="The last higher report's change "
                                                          "rests on a disputed total; never "
                                                          "true now: records skip those.")
    tied_with: Day | None
    skipped: Skipped | None = Field(description="A larger change records skip since "
                                                "last_higher (a correction, a two-day figure, "
                                                "a disputed figure).")
    excluded_days: list[Skipped]
    components: list[str]
    sources: list[str] = Field(description="The sources agreeing on the day's cells.")
    rows: list[TopDay] = Field(description="The top days of the window (ties: earliest).")
    publisher: str
    caveat: str


class DataAge(Part):
    latest: Day | None
    age_days: int | None
    age_hours: float | None
    stale: bool
    stale_after_hours: int


class Source(Part):
    source: str
    title: str
    url: str | None
    licence: str | None
    attribution: str | None
    first: Day | None
    last: Day | None
    reports: int | None
    observations: int | None
    retrieved_at: str | None
    cells_agreeing: int = Field(description="Ledger cells whose total this source gives.")


class ConfirmedInput(Part):
    source: str
    retrieved_at: str


class SourcesDoc(Doc):
    """What is loaded: sources, licences, date ranges, the data's age."""

    first_report: Day | None
    latest_report: Day | None
    data_age: DataAge
    sources: list[Source]
    confirmed: list[ConfirmedInput]


class Ingest(Part):
    id: int
    at: str
    input: str
    source: str
    observations: int
    new: int
    revised: int


class Revision(Part):
    source: str
    date: Day
    category: str
    total: int | None
    revision: int


class Version(Part):
    ingests: int = Field(description="Pass this as `since` next time.")
    last_ingest: int
    at: str | None


class ChangesDoc(Doc):
    """What was ingested after `since`."""

    since: str
    changed: bool
    version: Version
    ingests: list[Ingest]
    reports: list[Day] = Field(description="Report dates the ingests added or revised.")
    revisions: list[Revision]


# -- analyses and outputs --------------------------------------------------------------------


class Component(Part):
    count: int
    last_change: Day | None


class CompareRow(Part):
    category: str
    ledger: list[str]
    claimed: int | None
    confirmed: int | None
    ratio: float | None
    claimed_as_of: Day | None
    confirmed_as_of: Day | None
    ratio_on: Day | None
    lag_days: int | None
    basis: str
    derived: bool
    components: dict[str, Component]
    note: str | None


class Glitch(Part):
    source: str
    country: str
    type: str
    day: Day
    field: str
    value: int
    before: int
    after: int
    message: str


class CompareDoc(Doc):
    """Claimed (General Staff) against visually confirmed (Oryx) losses."""

    from_: Day = Field(alias="from")
    to: Day
    source: str
    statuses: list[str]
    confirmed_first: Day | None
    confirmed_last: Day | None
    rows: list[CompareRow]
    glitches: list[Glitch]
    crosswalk: str
    lag: str
    caveat: str
    all_statuses: list[str]


class BriefFact(Open):
    category: str
    label: str
    change: int | None
    total: int | None


class BriefDoc(Doc):
    """A brief: its text and the facts it states. A report's brief has `date`, `headline`
    and the facts' ranks; a week's or a month's has `period` and sums."""

    model_config = ConfigDict(extra="allow")
    lang: Literal["en", "uk"]
    text: str
    facts: list[BriefFact]
    caveat: str
    publisher: str
    date: Day | None = None
    covers: Day | None = None
    headline: str | None = None
    period: str | None = None
    stale: Stale | None = Field(None, description="The latest report's brief only, when "
                                                  "the report is older than 36 hours.")


def _from_dataclass(name: str, cls: type) -> type[Part]:
    """A document part with exactly a dataclass's fields, types and defaults (a default
    factory's value as the default, as a field written out would state it), so that the
    model cannot drift from the dataclass the service fills."""
    hints = get_type_hints(cls)
    fields: dict[str, Any] = {
        f.name: (hints[f.name], f.default if f.default_factory is MISSING
                 else f.default_factory())
        for f in dataclass_fields(cls)}
    return create_model(name, __base__=Part, **fields)


if TYPE_CHECKING:  # to the type checker, a document part like any other
    Ingested = Part
else:
    Ingested = _from_dataclass("Ingested", service.Ingested)
    """What an ingest or an update changed (`service.Ingested`)."""


class IngestDoc(Doc):
    ingested: Ingested


class UpdateDoc(Doc):
    update: Ingested


class Article(Open):
    date: Day | None
    date_source: str | None
    source: str
    language: str


class Claim(Open):
    sentence: str
    span: list[int] = Field(description="Where the figure is in the article (characters).")
    text: str
    value: int | float | None
    category: str | None
    verdict: str = Field(description="supported, contradicted, mislabeled, unverifiable...")
    reading: str | None = Field(description="The ledger's figure the claim was read as.")
    rule_ids: list[str] = Field(description="The rules that made the decision.")
    note: str | None = Field(description="Whose claims the ledger's figures are.")


class CheckDoc(Doc):
    """The fact-check of an article (`attrition check --format json`)."""

    article: Article
    claims: list[Claim]
    summary: dict[str, int] = Field(description="Claims by verdict.")


class HistoryDoc(Doc):
    """Every revision of a report's figures by source (`attrition history --format json`):
    each with its value, when it counts from and when it was first seen; and the ledger's
    cells now."""

    model_config = ConfigDict(extra="allow")
    date: str


class MonitorDoc(Doc):
    """The register's recent articles with their verdicts, and a tally per outlet (as the
    /monitor page shows them)."""

    model_config = ConfigDict(extra="allow")


class ClaimPageDoc(Doc):
    """One checked claim of the register: its sentence, figure, verdict, evidence, the
    history of its verdict and its ClaimReview."""

    model_config = ConfigDict(extra="allow")


class HealthDoc(BaseModel):
    """Whether the service is ready: the store reachable, the newest report's age, the last
    update and poll (503 with `reasons` when not ready)."""

    model_config = ConfigDict(extra="allow")


class CheckRequest(BaseModel):
    """`POST /api/check` with `Content-Type: application/json`; or send the article's text
    as the body with `text/plain`."""

    model_config = ConfigDict(extra="allow")
    text: str | None = Field(None, description="The article's text.")
    url: str | None = Field(None, description="A public http(s) page to fetch and check.")
    date: str | None = Field(None, description="The article's date (YYYY-MM-DD), when the "
                                               "text does not say it.")


# -- russianwarship.rip v2 -------------------------------------------------------------------

V2Stats = create_model(  # type: ignore[call-overload]
    "V2Stats", __config__=ConfigDict(extra="forbid"),
    **{k: (int, ...) for k in v2.KEYS})
"""Every term's key, on every day (0 where the category is not counted that day)."""


class V2Day(Part):
    date: Day
    day: int = Field(description="The day of the war (24 February 2022 is day 1).")
    resource: str | None
    stats: V2Stats  # type: ignore[valid-type]
    increase: V2Stats  # type: ignore[valid-type]


class V2Paging(Part):
    total: int
    offset: int
    limit: int
    next_url: str | None


class V2Page(Part):
    paging: V2Paging
    records: list[V2Day]


class V2Status(Part):
    alias: str
    title: str
    description: str


class V2WarInfo(Part):
    war_start: Day
    current_date: Day | None
    current_day: int | None
    status: str


class V2Term(Part):
    title: str
    icon: str = Field(description="The address of the term's SVG icon.")


class V2Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str


class V2DayAnswer(V2Answer):
    data: V2Day


class V2PageAnswer(V2Answer):
    data: V2Page


class V2WarInfoAnswer(V2Answer):
    data: V2WarInfo


class V2StatusAnswer(V2Answer):
    data: V2Status


class V2TermAnswer(V2Answer):
    data: V2Term


class V2TermsAnswer(V2Answer):
    data: dict[str, V2Term]


class V2Error(V2Answer):
    """The v2 error shape (what the original API answers)."""

    data: None


def v2_answers(model: type[BaseModel], *errors: int) -> dict[str, Any]:
    """As `answers`, for a v2 route: its errors are `{"message", "data": null}`."""
    kwargs = answers(model)
    for status in errors:
        kwargs["responses"][status] = {"model": V2Error, "description": {
            404: "Not found (the v2 shape).", 422: "Invalid (the v2 shape)."}[status]}
    return kwargs


CSV = "text/csv"
TEXTS = ("text/plain", "text/markdown")
"""What `format=text` and `format=markdown` answer."""
CHECK_BODY: dict[str, Any] = {"requestBody": {
    "description": "The article: its text as the body (`text/plain`), or JSON naming its "
                   "text or a public page's address.",
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string", "maxLength": 2 * 1024 * 1024},
                       "example": "Russia lost 194 vehicles and 64 artillery systems in the "
                                  "past 24 hours, the General Staff said on 14 November 2024."},
        "application/json": {"schema": CheckRequest.model_json_schema(),
                             "example": {"text": "Over the past day Russia lost 19 tanks, "
                                                 "the General Staff said on 14 November "
                                                 "2024."}},
    }}}
FILE_BODY: dict[str, Any] = {"requestBody": {
    "description": "One file as `attrition ingest` reads it (a bulletin's text, a mirror's "
                   "JSON or CSV); at most 2 MB.",
    "required": True,
    "content": {"application/octet-stream": {"schema": {"type": "string",
                                                          "format": "binary"}}}}}


# -- examples ----------------------------------------------------------------------------------

EXAMPLES: dict[str, str] = {
    "ReportDoc": "/api/report/2024-11-14",
    "SeriesDoc": "/api/series/vehicles?from=2024-11-13&to=2024-11-14",
    "RecordsDoc": "/api/records/vehicles?date=2024-11-14&top=3",
    "SourcesDoc": "/api/sources",
    "CompareDoc": "/api/compare?to=2025-07-19&category=tanks",
    "BriefDoc": "/api/brief/2024-11-14",
    "BriefPeriod": "/api/brief?week=2024-W46",
    "CheckDoc": "POST /api/check tests/fixtures/articles/daily-2024-11-14.txt",
    "V2DayAnswer": "/api/v2/statistics/2024-11-14",
    "V2PageAnswer": "/api/v2/statistics?date_from=2024-11-13&date_to=2024-11-14&limit=1",
    "V2WarInfoAnswer": "/api/v2/war-info",
    "V2StatusAnswer": "/api/v2/war-info/status/en",
    "V2TermAnswer": "/api/v2/terms/en/tanks",
    "V2TermsAnswer": "/api/v2/terms/en",
}
"""Each example's request, against the bundled data (examples.json holds the answers)."""
EXAMPLE_NOW = "2026-08-23T09:30:00+00:00"
"""The clock of the examples (the data's age in /api/sources depends on it)."""
EXAMPLE_BASE = "http://127.0.0.1:8000"


def trim(doc: Any, n: int = 3) -> Any:
    """An answer made short enough to read in /docs: every list and mapping of more than
    `n` items keeps its first `n` (a mapping keeps them all when its keys are names every
    answer has: `stats`, `increase`, `ranks`); long strings are kept."""
    if isinstance(doc, list):
        return [trim(x, n) for x in doc[:n]]
    if isinstance(doc, dict):
        keep = doc if len(doc) <= n or not _bag(doc) else dict(list(doc.items())[:n])
        return {k: trim(v, n) for k, v in keep.items()}
    return doc


def _bag(doc: dict[str, Any]) -> bool:
    """A mapping whose keys are data (terms by name, components by type), not fields."""
    return all(isinstance(v, dict) for v in doc.values()) and "title" in next(
        iter(doc.values()), {})


def example_answer(client: Any, name: str, root: Any = ".") -> Any:
    """The trimmed answer of example `name`'s request, asked of `client` (a TestClient on
    the bundled data, with base URL `EXAMPLE_BASE` and the clock at `EXAMPLE_NOW`)."""
    from pathlib import Path

    request = EXAMPLES[name]
    if request.startswith("POST "):
        path, file = request.removeprefix("POST ").split(" ", 1)
        got = client.post(path, content=(Path(root) / file).read_bytes(),
                          headers={"content-type": "text/plain"})
    else:
        got = client.get(request)
    return trim(got.json())
