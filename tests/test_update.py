"""`update` against recorded responses through httpx's mock transport; never the network."""

from __future__ import annotations

import json
from datetime import date

import httpx

from attrition import update
from attrition.store.db import Store
from attrition.store.read import Reader

RECORD = {
    "date": "2026-08-23", "day": 1643,
    "resource": "https://mod.gov.ua/news/bojovi-vtrati-voroga-na-23-serpnya-2026-roku",
    "stats": {"personnel_units": 1476300, "tanks": 12295, "armoured_fighting_vehicles": 25180},
    "increase": {"personnel_units": 1030, "tanks": 3, "armoured_fighting_vehicles": 4},
}


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v2/statistics":
        if request.url.params.get("offset") == "1":
            return httpx.Response(200, json={"message": "ok", "data": {
                "paging": {"next_url": None}, "records": []}})
        return httpx.Response(200, json={"message": "ok", "data": {
            "paging": {"next_url": "https://russianwarship.rip/api/v2/statistics?offset=1"},
            "records": [RECORD]}})
    return httpx.Response(404)


def test_update_follows_paging_and_ingests(loaded_db: str, tmp_path: object) -> None:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    fetched = update.fetch(client, date(2026, 8, 22))
    assert len(fetched.batches) == 1  # the dataset URLs answer 404 here
    assert len(fetched.failures) == 3 and all("HTTP 404" in f for f in fetched.failures)
    obs = {o.category: o for o in fetched.batches[0].observations}
    assert obs["tanks"].total == 12295 and obs["tanks"].announced_change == 3


def test_update_result_lands_in_the_ledger(fresh_db: str) -> None:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    fetched = update.fetch(client, date(2026, 8, 22), sources=("russianwarship",))
    with Store(fresh_db) as store:
        store.ingest(fetched.batches, input="update")
    with Reader(fresh_db) as r:
        row = next(x for x in r.report(date(2026, 8, 23)) if x.category == "tanks")
    assert row.total == 12295 and row.announced_change == 3 and row.sources == ("russianwarship",)


def test_offline_is_reported_not_raised() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network", request=request)

    fetched = update.fetch(httpx.Client(transport=httpx.MockTransport(refuse)), None)
    assert not fetched.batches and all("offline" in f for f in fetched.failures)


def test_recorded_response_shape_is_the_api_one() -> None:
    batch = update.warship.read(json.dumps({"message": "ok", "data": RECORD}))
    assert {o.category for o in batch.observations} == {"personnel", "tanks", "afv"}
