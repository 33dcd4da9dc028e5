"""`attrition update`: fetch newer reports over HTTP (httpx) and ingest them.

Sources: the russianwarship.rip API v2 (paged by date) and the community datasets' raw JSON.
Tests pass a client with a mock transport; nothing here is special-cased for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

from attrition.categories import WARSHIP
from attrition.errors import FetchError, ParseError
from attrition.model import Batch
from attrition.sources import orc, petroivaniuk, warship
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


@dataclass
class Fetched:
    batches: list[Batch] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


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
