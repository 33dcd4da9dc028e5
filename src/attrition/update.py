"""`attrition update`: fetch newer reports over HTTP (httpx) and ingest them.

Sources: the russianwarship.rip API v2 (paged by date) and the community datasets' raw JSON.
Tests pass a client with a mock transport; nothing here is special-cased for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

from attrition.categories import WARSHIP
from attrition.errors import FetchError, ParseError
from attrition.model import Batch, ConfirmedBatch
from attrition.sources import orc, oryx, petroivaniuk, warship, warspotting
from attrition.sources._common import load_json

WARSHIP_API = "https://russianwarship.rip/api/v2"
DATASETS: dict[str, tuple[str, Callable[[bytes], Batch]]] = {
    "petroivaniuk-equipment": (
        "https://raw.githubusercontent.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset/main/"
        "data/russia_losses_equipment.json", petroivaniuk.read_equipment),
    "petroivaniuk-personnel": (
        "https://raw.githubusercontent.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset/main/"
        "data/russia_losses_personnel.json", petroivaniuk.read_personnel),
    "orc-losses": (
        "https://raw.githubusercontent.com/lod-db/orc-losses/main/russian-losses.json",
        orc.read),
}
MAX_PAGES = 200
WARSPOTTING_API = "https://ukr.warspotting.net/api"
WARSPOTTING_DELAY = 1.1
"""Seconds between WarSpotting requests: its documented limit is 10 requests per 10 s."""
WARSPOTTING_PAGE = 100
"""`/losses/russia/<id>` answers up to this many records from that id on."""
WARSPOTTING_MAX_PAGES = 600
"""60,000 records per run at most (the whole Russian list is about half that)."""
ORYX_DAILY = ("https://raw.githubusercontent.com/scarnecchia/oryx_data/main/daily_count.csv")


@dataclass
class Fetched:
    batches: list[Batch] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    confirmed: list[ConfirmedBatch] = field(default_factory=list)


def _get(client: httpx.Client, url: str, params: dict[str, str] | None = None) -> bytes:
    try:
        resp = client.get(url, params=params)
    except httpx.TransportError as exc:
        raise FetchError(f"offline or unreachable: {url} ({exc.__class__.__name__})") from None
    if resp.status_code != 200:
        raise FetchError(f"{url}: HTTP {resp.status_code}")
    return resp.content


def fetch_warship(client: httpx.Client, since: date | None) -> Batch:
    """Every API record from `since` on (or the latest one), following `paging.next_url`."""
    if since is None:
        data = _get(client, f"{WARSHIP_API}/statistics/latest")
        batch = warship.read(data)
    else:
        params: dict[str, str] | None = {
            "date_from": since.isoformat(),
            "date_to": (date.today() + timedelta(days=1)).isoformat(), "limit": "50"}
        url: str | None = f"{WARSHIP_API}/statistics"
        batch = Batch(WARSHIP)
        for _ in range(MAX_PAGES):
            if url is None:
                break
            doc = load_json(_get(client, url, params))
            batch.observations.extend(warship.read_doc(doc).observations)
            paging = doc.get("data", {}).get("paging", {}) if isinstance(doc, dict) else {}
            url = paging.get("next_url") if isinstance(paging, dict) else None
            params = None
    batch.address = WARSHIP_API
    return batch


def fetch_warspotting(client: httpx.Client, after_id: int = 0, *,
                      sleep: Callable[[float], None] = time.sleep,
                      max_pages: int = WARSPOTTING_MAX_PAGES,
                      on_page: Callable[[int], None] | None = None) -> ConfirmedBatch:
    """Every WarSpotting record of a Russian loss with an id above `after_id`, paging by id
    and pausing between requests to stay within the published rate limit."""
    batch = ConfirmedBatch(warspotting.SOURCE, address=WARSPOTTING_API)
    cursor = after_id + 1
    for page in range(max_pages):
        if page:
            sleep(WARSPOTTING_DELAY)
        url = f"{WARSPOTTING_API}/losses/russia/{cursor}"
        try:
            got = warspotting.read(_get(client, url))
        except ParseError as exc:
            raise exc.at(url) from None
        batch.items.extend(got.items)
        if on_page is not None:
            on_page(len(batch.items))
        ids = [int(i.id) for i in got.items if i.id.isdigit()]
        if len(got.items) < WARSPOTTING_PAGE or not ids or max(ids) < cursor:
            break
        cursor = max(ids) + 1
    return batch


def fetch_oryx(client: httpx.Client) -> ConfirmedBatch:
    try:
        batch = oryx.read_daily_count(_get(client, ORYX_DAILY))
    except ParseError as exc:
        raise exc.at(ORYX_DAILY) from None
    batch.address = ORYX_DAILY
    return batch


def fetch_confirmed(client: httpx.Client, warspotting_after: int = 0, *,
                    sleep: Callable[[float], None] = time.sleep,
                    sources: tuple[str, ...] = ("oryx", "warspotting"),
                    on_page: Callable[[int], None] | None = None) -> Fetched:
    """Oryx's newest counts (one request) and, if asked, WarSpotting's records after the
    last id stored (a first fetch is ~300 pages, five minutes at its rate limit)."""
    out = Fetched()
    for name in sources:
        try:
            out.confirmed.append(
                fetch_oryx(client) if name == "oryx"
                else fetch_warspotting(client, warspotting_after, sleep=sleep,
                                       on_page=on_page))
        except (FetchError, ParseError) as exc:
            out.failures.append(f"{name}: {exc}")
    return out


def fetch(client: httpx.Client, since: date | None,
          sources: tuple[str, ...] = ("russianwarship", *DATASETS)) -> Fetched:
    out = Fetched()
    for name in sources:
        try:
            if name == "russianwarship":
                out.batches.append(fetch_warship(client, since))
            else:
                url, reader = DATASETS[name]
                try:
                    batch = reader(_get(client, url))
                except ParseError as exc:
                    raise exc.at(url) from None
                batch.address = url
                out.batches.append(batch)
        except (FetchError, ParseError) as exc:
            out.failures.append(str(exc))
    return out
