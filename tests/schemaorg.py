"""A validator of the schema.org shape of ClaimReview JSON-LD, written from the definitions at
schema.org (ClaimReview, Review, Claim, CreativeWork, Rating, Organization, Thing) and the
properties Google's fact-check markup requires; no network.

`problems(doc)` lists what is wrong (empty when the document is valid): an unknown type, a
property its type does not have, a value outside the property's range, a required property
missing, a rating outside its stated scale.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

THING = {"name": "Text", "alternateName": "Text", "url": "URL", "description": "Text",
         "sameAs": "URL", "identifier": "Text", "image": "URL"}
CREATIVE_WORK = {**THING, "author": "Organization|Person", "datePublished": "Date|DateTime",
                 "headline": "Text", "publisher": "Organization|Person",
                 "inLanguage": "Text", "dateModified": "Date|DateTime"}
# schema.org/Review: itemReviewed (Thing), reviewRating (Rating), reviewBody (Text)
REVIEW = {**CREATIVE_WORK, "itemReviewed": "Thing", "reviewRating": "Rating",
          "reviewBody": "Text", "reviewAspect": "Text"}
TYPES: dict[str, dict[str, str]] = {
    # schema.org/ClaimReview: claimReviewed (Text), subtype of Review
    "ClaimReview": {**REVIEW, "claimReviewed": "Text"},
    # schema.org/Claim: appearance, firstAppearance (CreativeWork), claimInterpreter
    "Claim": {**CREATIVE_WORK, "appearance": "CreativeWork",
              "firstAppearance": "CreativeWork", "claimInterpreter": "Organization|Person"},
    "CreativeWork": CREATIVE_WORK,
    "NewsArticle": CREATIVE_WORK,
    # schema.org/Rating: ratingValue, bestRating, worstRating (Number or Text),
    # ratingExplanation (Text), author, reviewAspect
    "Rating": {**THING, "ratingValue": "Number|Text", "bestRating": "Number|Text",
               "worstRating": "Number|Text", "ratingExplanation": "Text",
               "author": "Organization|Person", "reviewAspect": "Text"},
    "Organization": {**THING},
    "Person": {**THING},
}
SUBTYPES = {"Thing": set(TYPES), "CreativeWork": {"CreativeWork", "NewsArticle", "Claim",
                                                  "ClaimReview"}}
# Google's fact-check markup: ClaimReview needs claimReviewed, reviewRating and url (the
# review's page); reviewRating needs alternateName.
REQUIRED = {"ClaimReview": {"claimReviewed", "reviewRating", "author", "datePublished"},
            "Rating": {"alternateName"}, "Organization": {"name"}}


def _is(value: Any, range_: str) -> bool:
    for kind in range_.split("|"):
        if kind == "Text" and isinstance(value, str) and value.strip():
            return True
        if kind == "URL" and isinstance(value, str) and re.match(r"https?://\S+$", value):
            return True
        if kind == "Number" and isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if kind in ("Date", "DateTime") and isinstance(value, str):
            try:
                (date if kind == "Date" else datetime).fromisoformat(value)
                return True
            except ValueError:
                pass
        if isinstance(value, dict) and value.get("@type") in SUBTYPES.get(kind, {kind}):
            return True
    return False


def problems(doc: Any, path: str = "$", *, need_url: bool = False) -> list[str]:
    if not isinstance(doc, dict):
        return [f"{path}: not an object"]
    kind = doc.get("@type")
    if kind not in TYPES:
        return [f"{path}: unknown @type {kind!r}"]
    out = []
    if path == "$" and doc.get("@context") not in ("https://schema.org", "http://schema.org"):
        out.append(f"{path}: @context is not schema.org")
    required = set(REQUIRED.get(kind, ())) | ({"url"} if need_url and kind == "ClaimReview"
                                               else set())
    out += [f"{path}: {kind} lacks {p}" for p in sorted(required - set(doc))]
    for key, value in doc.items():
        if key.startswith("@"):
            continue
        range_ = TYPES[kind].get(key)
        if range_ is None:
            out.append(f"{path}.{key}: {kind} has no property {key!r}")
        elif not _is(value, range_):
            out.append(f"{path}.{key}: {value!r} is not a {range_}")
        elif isinstance(value, dict):
            out += problems(value, f"{path}.{key}")
    if kind == "Rating" and "ratingValue" in doc:
        lo, hi, v = doc.get("worstRating"), doc.get("bestRating"), doc["ratingValue"]
        if not (isinstance(lo, int) and isinstance(hi, int)):
            out.append(f"{path}: a ratingValue without its scale (worstRating, bestRating)")
        elif not lo <= v <= hi:
            out.append(f"{path}.ratingValue: {v} is outside {lo}..{hi}")
    return out
