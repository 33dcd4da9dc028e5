"""Alerts on flagged figures (issue 15): a webhook (JSON with a Slack-compatible `text`),
JSON lines to a file or stdout; the Atom feed /feeds/flags.atom reads the register itself.

    Config(verdicts, webhook, jsonl, ...)   what alerts, where; `policy()` is the hook the
                                            register calls in the verdict's transaction
    deliver(engine, config)                 send what the outbox holds, with retries

Delivery is at least once and, for a receiver that keeps the ids it has seen, exactly once:
every alert carries its outbox id (the `Idempotency-Key` header and `alert_id` in the body),
and the body is the same on every attempt. A JSON lines file is appended to only if it does
not hold that id yet, so a file gets each alert once even when a sender died between writing
and marking; stdout cannot be read back and may repeat a line after such a death. A webhook
is sent only to a public address (the checked fetcher's rules: no loopback, private or
link-local address, connecting to the address that was checked) unless local addresses are
allowed explicitly.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from attrition.errors import InvalidValueError, SourceError
from attrition.store import outbox

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

VERDICTS = ("supported", "rounded", "contradicted", "mislabeled", "wrong_date",
            "unverifiable")
WORDS = {"contradicted": "does not match the General Staff's figure",
         "mislabeled": "is the General Staff's figure for another category",
         "wrong_date": "is the General Staff's figure for another day",
         "supported": "matches the General Staff's figure",
         "rounded": "is a fair rounding of the General Staff's figure",
         "unverifiable": "cannot be checked against the General Staff's reports"}


class SendError(Exception):
    """A channel did not take an alert (it is tried again later)."""


def parse_verdicts(text: str | None) -> frozenset[str]:
    """`--alert-on` ("contradicted,mislabeled"): each a verdict, else a clear error."""
    if text is None:
        return frozenset(outbox.ALERT_ON)
    chosen = [v.strip() for v in text.split(",") if v.strip()]
    for v in chosen:
        if v not in VERDICTS:
            raise InvalidValueError(f"--alert-on: {v!r} is not a verdict; one of "
                                    f"{', '.join(VERDICTS)}")
    if not chosen:
        raise InvalidValueError(f"--alert-on: give one or more of {', '.join(VERDICTS)}")
    return frozenset(chosen)


def check_webhook(url: str, allow_local: bool) -> None:
    """Refuse a webhook address that is not http(s), or (unless `allow_local`) whose host is
    not a public address, before anything is sent."""
    from attrition.check.fetch import require_public

    if not url.startswith(("http://", "https://")):
        raise SourceError(f"--webhook: {url} is not an http(s) address")
    if not allow_local:
        try:
            require_public(url)
        except SourceError as exc:
            raise SourceError(f"--webhook: {exc} (--allow-local-webhook sends to local "
                              f"addresses)") from None


@dataclass(frozen=True)
class Config:
    verdicts: frozenset[str] = frozenset(outbox.ALERT_ON)
    webhook: str | None = None
    jsonl: str | None = None
    """A file to append JSON lines to, or "-" for stdout."""
    allow_local: bool = False
    base_url: str | None = None
    """Where the web service is published: alerts link to /claims/{id} there."""
    timeout: float = 10.0
    backoff: float = 30.0
    """Seconds before the first retry; doubled each time, up to `max_delay`."""
    max_delay: float = 3600.0
    max_failures: int = 8
    lease: float = outbox.LEASE
    mark_delay: float = 0.0
    """Seconds between sending and marking sent (tests widen the window a kill can hit)."""

    def channels(self) -> tuple[str, ...]:
        out = []
        if self.webhook:
            out.append(outbox.channel("webhook", self.webhook))
        if self.jsonl:
            out.append(outbox.channel("jsonl", self.jsonl if self.jsonl == "-"
                                      else str(Path(self.jsonl).resolve())))
        return tuple(out)

    def policy(self) -> outbox.Policy | None:
        """The register's hook, or None when no channel is configured."""
        chans = self.channels()
        return outbox.Policy(self.verdicts, chans) if chans else None

    def delay(self, failures: int) -> float:
        """Back-off before the next try: doubling from `backoff`, at most `max_delay`, less
        up to a quarter at random (senders that failed together do not retry together)."""
        import random

        base = min(self.backoff * 2.0 ** (failures - 1), self.max_delay)
        return float(base * (1 - random.random() / 4))


def permalink(base_url: str | None, claim_id: int) -> str | None:
    return f"{base_url.rstrip('/')}/claims/{claim_id}" if base_url else None


def _slack(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(alert: outbox.Alert, base_url: str | None = None) -> dict[str, Any]:
    """What a channel gets: the alert's body, its permalink and a one-paragraph `text` a
    Slack (or Mattermost, Teams) incoming webhook shows as it is."""
    body = alert.body
    claim, art = body["claim"], body.get("article") or {}
    link = permalink(base_url, claim["id"])
    value = body.get("ledger_value")
    words = WORDS.get(body["verdict"], body["verdict"])
    where = art.get("outlet") or art.get("address") or "an article"
    has = (f"the ledger has {value:,}" if body["verdict"] == "contradicted"
           and value is not None else "")
    why = body.get("why") or body.get("reading") or ""
    if has and why.strip().rstrip(".") == has:
        why = ""  # said already
    text = (f"Flagged ({body['verdict']}): \"{_slack(claim['text'])}\" {words}"
            + (f" ({has})" if has else "") + "." + (f" {_slack(why)}" if why else "")
            + f"\nIn {_slack(where)}"
            + (f": <{art['address']}|{_slack(art.get('title') or art['address'])}>"
               if art.get("address", "").startswith(("http://", "https://")) else "")
            + (f"\nEvidence: <{link}>" if link else "")
            + "\nThe General Staff's figures are official claims, not independently "
              "confirmed.")
    return {**body, "permalink": link, "text": text}


# -- channels -------------------------------------------------------------------------------


class Webhook:
    """POST the alert as JSON, with `Idempotency-Key: <outbox id>`. A 2xx answer is
    delivery; anything else (another status, a timeout, a refused connection) is retried."""

    def __init__(self, url: str, *, allow_local: bool, timeout: float) -> None:
        import httpx

        from attrition.check.fetch import pinned_transport

        check_webhook(url, allow_local)
        self.url = url
        # errors are kept in the outbox: they name the host, not the address (its secret)
        self.shown = f"webhook {urlsplit(url).netloc}"
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False,
            transport=None if allow_local else pinned_transport(),
            headers={"User-Agent": "attrition alerts", "Content-Type": "application/json"})

    def send(self, alert: outbox.Alert, body: dict[str, Any]) -> None:
        import httpx

        data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
        try:
            resp = self.client.post(self.url, content=data,
                                    headers={"Idempotency-Key": str(alert.id)})
        except httpx.TimeoutException:
            raise SendError(f"{self.shown}: no answer in time") from None
        except (httpx.HTTPError, SourceError) as exc:
            raise SendError(f"{self.shown}: {exc.__class__.__name__}") from None
        if not 200 <= resp.status_code < 300:
            raise SendError(f"{self.shown}: HTTP {resp.status_code}")

    def close(self) -> None:
        self.client.close()


class JsonLines:
    """One JSON object a line, to a file (appended; created if missing) or stdout."""

    def __init__(self, target: str) -> None:
        self.target = target
        if target != "-" and not Path(target).resolve().parent.is_dir():
            raise SourceError(f"--alerts-jsonl: the folder of {target} does not exist")

    def _holds(self, alert_id: int) -> bool:
        key = f'"alert_id": {alert_id},'
        try:
            with open(self.target, encoding="utf-8") as f:
                return any(line.startswith("{" + key) for line in f)
        except FileNotFoundError:
            return False

    def send(self, alert: outbox.Alert, body: dict[str, Any]) -> None:
        line = json.dumps({"alert_id": alert.id, **body}, ensure_ascii=False) + "\n"
        if self.target == "-":
            sys.stdout.write(line)
            sys.stdout.flush()
            return
        # taken before by a sender that may have written it and died before marking it
        if alert.tries > 1 and self._holds(alert.id):
            return
        try:
            with open(self.target, "a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise SendError(f"{self.target}: {exc.strerror or exc}") from None

    def close(self) -> None:
        pass


# -- delivery -------------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def open_channels(config: Config) -> dict[str, Webhook | JsonLines]:
    out: dict[str, Webhook | JsonLines] = {}
    if config.webhook:
        out[outbox.channel("webhook", config.webhook)] = Webhook(
            config.webhook, allow_local=config.allow_local, timeout=config.timeout)
    if config.jsonl:
        key = outbox.channel("jsonl", config.jsonl if config.jsonl == "-"
                             else str(Path(config.jsonl).resolve()))
        out[key] = JsonLines(config.jsonl)
    return out


def deliver(engine: Engine, config: Config, *, sender: str | None = None,
            wait: float = 0.0, on_sent: Callable[[dict[str, Any]], None] | None = None,
            channels: dict[str, Webhook | JsonLines] | None = None) -> Delivery:
    """Send every due alert on the configured channels. With `wait`, keep at it for up to
    that many seconds while alerts wait for a retry. `on_sent` gets each payload sent."""
    from attrition.store.register import worker_name

    sender = sender or worker_name()
    own = channels is None
    chans = open_channels(config) if channels is None else channels
    result = Delivery()
    deadline = time.monotonic() + wait
    try:
        while True:
            alert = outbox.take(engine, list(chans), sender, config.lease)
            if alert is None:
                due = outbox.next_due(engine, list(chans))
                left = deadline - time.monotonic()
                if due is None or left <= 0:
                    break
                until = (datetime.fromisoformat(due) - datetime.now(UTC)).total_seconds()
                time.sleep(min(max(until, 0.01), left))
                continue
            body = payload(alert, config.base_url)
            try:
                chans[alert.channel].send(alert, body)
            except SendError as exc:
                status = outbox.failed(engine, alert, str(exc), config.delay,
                                       config.max_failures)
                result.errors.append(str(exc))
                if status == "failed":
                    result.failed += 1
                elif status == "pending":
                    result.retrying += 1
                continue
            if config.mark_delay:
                time.sleep(config.mark_delay)
            outbox.sent(engine, alert)
            result.sent += 1
            if on_sent is not None:
                on_sent(body)
    finally:
        if own:
            for ch in chans.values():
                ch.close()
    return result
