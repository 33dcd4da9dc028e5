"""schema.org ClaimReview for each checked figure: what search engines and fact-check
aggregators read (https://schema.org/ClaimReview, https://schema.org/Rating).

The rating scale is stated in every review (worstRating 1, bestRating 5, and in words in
`ratingExplanation`). It rates how a figure stands against the General Staff's reports, not
whether the losses happened: a supported figure "matches the General Staff's figure (an
official claim, not independently confirmed)", never "true".
"""

from __future__ import annotations

from datetime import date
from typing import Any

WORST, BEST = 1, 5
SCALE = (f"Scale {WORST} to {BEST}: {BEST} = matches the General Staff's figure, 4 = a fair "
         f"rounding of it, 2 = the figure of another day or category, {WORST} = does not "
         f"match; no rating = cannot be checked. It rates agreement with the General Staff's "
         f"reports (official Ukrainian claims, not independently confirmed), not whether the "
         f"losses happened.")
OFFICIAL = "an official claim, not independently confirmed"

RATINGS: dict[str, tuple[int | None, str]] = {
    "supported": (5, f"matches the General Staff's figure ({OFFICIAL})"),
    "rounded": (4, f"a fair rounding of the General Staff's figure ({OFFICIAL})"),
    "wrong_date": (2, "the General Staff's figure for another day"),
    "mislabeled": (2, "the General Staff's figure for another category"),
    "contradicted": (1, "does not match the General Staff's figure"),
    "unverifiable": (None, "cannot be checked against the General Staff's reports"),
}
"""verdict -> (ratingValue, the verdict in words)."""

ORYX_WORDS = {
    "supported": "matches Oryx's count of visually confirmed losses (a floor, not a total)",
    "rounded": "a fair rounding of Oryx's count of visually confirmed losses",
    "contradicted": "does not match Oryx's count of visually confirmed losses",
}

PUBLISHER = {"@type": "Organization", "name": "attrition"}


def verdict_words(claim: dict[str, Any]) -> str:
    """The verdict in words, with the ledger's value where the figure differs from it."""
    verdict = claim["verdict"]
    oryx = claim.get("attributed_to") not in (None, "General Staff")
    words = (ORYX_WORDS.get(verdict) if oryx else None) or RATINGS[verdict][1]
    actual = claim.get("actual")
    if verdict == "contradicted" and actual is not None:
        words += f" (the ledger has {actual:,})"
    return words


def review(claim: dict[str, Any], article: dict[str, Any], *, url: str | None = None,
           reviewed: date | None = None, outlet: str | None = None,
           title: str | None = None, published: str | None = None) -> dict[str, Any]:
    """The ClaimReview of one claim of a check document (`claim` is an item of its
    `claims`, `article` its `article`). `url`: the claim's permalink, when it has one."""
    verdict = claim["verdict"]
    value, _ = RATINGS[verdict]
    rating: dict[str, Any] = {"@type": "Rating", "name": verdict,
                              "alternateName": verdict_words(claim),
                              "worstRating": WORST, "bestRating": BEST,
                              "ratingExplanation": f"{claim['why'] or claim['reading']}. {SCALE}"}
    if value is not None:
        rating["ratingValue"] = value
    item: dict[str, Any] = {"@type": "Claim",
                            "datePublished": published or article["date"]}
    address = article.get("url") or (article.get("source")
                                      if str(article.get("source", "")).startswith(
                                          ("http://", "https://")) else None)
    if outlet:
        item["author"] = {"@type": "Organization", "name": outlet}
    if address:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": address}
        if title:
            appearance["headline"] = title
        if outlet:
            appearance["publisher"] = {"@type": "Organization", "name": outlet}
        item["appearance"] = appearance
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim["sentence"],
        "itemReviewed": item,
        "reviewRating": rating,
        "reviewBody": f"{claim['text']}: {claim['reading']}. {claim['note']}",
        "author": PUBLISHER,
        "datePublished": (reviewed or date.today()).isoformat(),
    }
    if url:
        out["url"] = url
    return out


def reviews(doc: dict[str, Any], *, urls: list[str | None] | None = None,
            reviewed: date | None = None, outlet: str | None = None,
            title: str | None = None, published: str | None = None
            ) -> list[dict[str, Any]]:
    """One ClaimReview per claim of a check document, in its order (`urls`: each claim's
    permalink or None; the others: what the article's header or the register says)."""
    return [review(c, doc["article"], url=urls[i] if urls else None, reviewed=reviewed,
                   outlet=outlet, title=title, published=published)
            for i, c in enumerate(doc["claims"])]
