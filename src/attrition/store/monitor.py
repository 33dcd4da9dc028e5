"""Reading the register for the monitor (/monitor, /claims/{id}, /feeds/flags.atom): the
checked articles and their claims, a tally per outlet, one claim with its history, and the
flags (a claim's flagged verdict, when it was first given).

Only the newest version of an article (the same address, re-checked after an edit) is listed
and counted; older versions stay reachable through their claims' pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from attrition.store import schema

WRONG = ("contradicted", "mislabeled", "wrong_date")
"""The verdicts counted as wrong in the tally (and flagged in the feed by default)."""


@dataclass(frozen=True)
class Filters:
    outlet: str | None = None
    verdict: str | None = None
    start: date | None = None
    end: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "verdict": self.verdict,
                "from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}


def _day() -> Any:
    """An article's date: when it was published (its first 10 characters, an ISO date), or
    when it was found."""
    a = schema.articles
    return sa.func.substr(sa.func.coalesce(a.c.published, a.c.found), 1, 10)


def _newest() -> Any:
    """The article is its address's newest checked version."""
    a = schema.articles
    b = a.alias("newer")
    return sa.and_(a.c.status == "checked", ~sa.exists().where(
        b.c.address == a.c.address, b.c.status == "checked", b.c.version > a.c.version))


def _where(f: Filters, with_verdict: bool = True) -> list[Any]:
    a, c = schema.articles, schema.claims
    cond = [_newest()]
    if f.outlet:
        cond.append(a.c.outlet == f.outlet)
    if f.start:
        cond.append(_day() >= f.start.isoformat())
    if f.end:
        cond.append(_day() <= f.end.isoformat())
    if with_verdict and f.verdict:
        cond.append(sa.exists().where(c.c.article_id == a.c.id, c.c.verdict == f.verdict))
    return cond


def articles(engine: Engine, f: Filters, limit: int = 50, offset: int = 0
             ) -> tuple[list[dict[str, Any]], int]:
    """The newest checked articles that pass the filters (newest first), each with its
    claims (only those of the verdict asked, when one is), and how many pass in all."""
    a, c = schema.articles, schema.claims
    cond = _where(f)
    cols = (a.c.id, a.c.address, a.c.outlet, a.c.title, a.c.published, a.c.language,
            a.c.version, a.c.checked_at, _day().label("day"))
    with engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(a).where(*cond))
                    .scalar() or 0)
        rows = [dict(r) for r in conn.execute(
            sa.select(*cols).where(*cond).order_by(sa.desc("day"), a.c.id.desc())
            .limit(limit).offset(offset)).mappings()]
        ids = [r["id"] for r in rows]
        q = sa.select(c.c.id, c.c.article_id, c.c.position, c.c.text, c.c.verdict,
                      c.c.actual, c.c.value, c.c.category).where(c.c.article_id.in_(ids))
        if f.verdict:
            q = q.where(c.c.verdict == f.verdict)
        claims: dict[int, list[dict[str, Any]]] = {}
        for cr in conn.execute(q.order_by(c.c.article_id, c.c.position)).mappings():
            claims.setdefault(cr["article_id"], []).append(dict(cr))
    for r in rows:
        r["claims"] = claims.get(r["id"], [])
        r["summary"] = {}
        for cl in r["claims"]:
            r["summary"][cl["verdict"]] = r["summary"].get(cl["verdict"], 0) + 1
    return rows, total


def tally(engine: Engine, f: Filters) -> list[dict[str, Any]]:
    """Per outlet (within the outlet and date filters): articles, figures checked, those
    that could be checked (not unverifiable), those wrong, and the share wrong of those that
    could be checked."""
    a, c = schema.articles, schema.claims
    wrong = sa.func.sum(sa.case((c.c.verdict.in_(WRONG), 1), else_=0))
    checkable = sa.func.sum(sa.case((c.c.verdict != "unverifiable", 1), else_=0))
    q = (sa.select(a.c.outlet, sa.func.count(sa.distinct(a.c.id)), sa.func.count(c.c.id),
                   checkable, wrong)
         .select_from(a.outerjoin(c, c.c.article_id == a.c.id))
         .where(*_where(f, with_verdict=False)).group_by(a.c.outlet))
    with engine.connect() as conn:
        got = conn.execute(q).all()
    out = []
    for outlet, n_articles, figures, able, bad in got:
        able, bad = int(able or 0), int(bad or 0)
        out.append({"outlet": outlet, "articles": int(n_articles), "figures": int(figures),
                    "checkable": able, "wrong": bad,
                    "share_wrong": round(bad / able, 4) if able else None})
    out.sort(key=lambda r: (-(r["share_wrong"] or 0), -r["figures"], str(r["outlet"])))
    return out


def outlets(engine: Engine) -> list[str]:
    a = schema.articles
    with engine.connect() as conn:
        return [str(r[0]) for r in conn.execute(
            sa.select(a.c.outlet).where(a.c.status == "checked", a.c.outlet.is_not(None))
            .distinct().order_by(a.c.outlet))]


def claim(engine: Engine, claim_id: int) -> dict[str, Any] | None:
    """One claim with its article (without the text) and its verdict's history."""
    a, c, vc = schema.articles, schema.claims, schema.verdict_changes
    with engine.connect() as conn:
        row = conn.execute(sa.select(c).where(c.c.id == claim_id)).mappings().first()
        if row is None:
            return None
        art = conn.execute(sa.select(*[x for x in a.c if x.name not in (
            "body", "claimed_by", "claimed_at", "entry_hash")])
            .where(a.c.id == row["article_id"])).mappings().first()
        history = [dict(r) for r in conn.execute(
            sa.select(vc).where(vc.c.claim_id == claim_id).order_by(vc.c.id)).mappings()]
    out = dict(row)
    for key in ("evidence", "rule_ids"):
        try:
            out[key] = json.loads(out[key]) if out[key] else []
        except ValueError:
            out[key] = []
    return {"claim": out, "article": dict(art) if art else {}, "history": history}


def flags(engine: Engine, verdicts: tuple[str, ...] = WRONG, limit: int = 100
          ) -> list[dict[str, Any]]:
    """Each (claim, flagged verdict) once, with when the claim first had it (its first
    judgement, or the re-judgement that gave it), newest first."""
    a, c, vc = schema.articles, schema.claims, schema.verdict_changes
    first = (sa.select(c.c.id.label("claim_id"), c.c.verdict.label("verdict"),
                       sa.func.coalesce(a.c.checked_at, c.c.judged_at).label("at"))
             .join(a, a.c.id == c.c.article_id)
             .where(c.c.verdict.in_(verdicts)))
    # a claim re-judged into a flagged verdict: flagged when the change was recorded
    changed = (sa.select(vc.c.claim_id, vc.c.new_verdict.label("verdict"),
                         vc.c.at.label("at")).where(vc.c.new_verdict.in_(verdicts)))
    # a claim first judged flagged and changed since: flagged at its first check
    earlier = (sa.select(vc.c.claim_id, vc.c.old_verdict.label("verdict"),
                         sa.func.coalesce(a.c.checked_at, c.c.judged_at).label("at"))
               .join(c, c.c.id == vc.c.claim_id).join(a, a.c.id == c.c.article_id)
               .where(vc.c.old_verdict.in_(verdicts)))
    events = sa.union_all(first, changed, earlier).subquery()
    q = (sa.select(events.c.claim_id, events.c.verdict, sa.func.min(events.c.at).label("at"))
         .group_by(events.c.claim_id, events.c.verdict)
         .order_by(sa.desc("at"), events.c.claim_id.desc()).limit(limit))
    with engine.connect() as conn:
        found = [dict(r) for r in conn.execute(q).mappings()]
        ids = [f["claim_id"] for f in found]
        details = {r["id"]: dict(r) for r in conn.execute(
            sa.select(c.c.id, c.c.text, c.c.sentence, c.c.verdict.label("current"),
                      c.c.actual, c.c.reading, c.c.why, a.c.address, a.c.outlet,
                      a.c.title, a.c.published)
            .join(a, a.c.id == c.c.article_id).where(c.c.id.in_(ids))).mappings()}
    return [{**f, **details.get(f["claim_id"], {})} for f in found]



def claim_ids(engine: Engine, content_hash: str) -> list[int] | None:
    """The claim ids, in order, of the newest checked article with this text (None when the
    register holds none)."""
    a, c = schema.articles, schema.claims
    with engine.connect() as conn:
        art = conn.execute(sa.select(a.c.id).where(
            a.c.content_hash == content_hash, a.c.status == "checked")
            .order_by(a.c.id.desc()).limit(1)).first()
        if art is None:
            return None
        return [int(r[0]) for r in conn.execute(
            sa.select(c.c.id).where(c.c.article_id == art[0]).order_by(c.c.position))]
