"""schema.org ClaimReview (JSON-LD) for a verified quote, as Google's Fact Check markup reads it.

One review per claim:

- ``@context`` / ``@type``: ``https://schema.org`` / ``ClaimReview``.
- ``url``: the page of the review, from a template (``--review-url``, ``{id}`` and ``{line}``
  filled in); without one it is a ``urn:quotetrace:claim:...`` placeholder to replace.
- ``datePublished``: the day the review was made (UTC); ``author``: the reviewing
  organisation (``--org-name``, ``--org-url``).
- ``claimReviewed``: the quote as the caller has it.
- ``itemReviewed``: a ``Claim`` whose ``author`` is the claimed speaker (a ``Person``, or an
  ``Organization`` when the corpus knows that name as one), whose ``appearance`` lists every
  article that printed the utterance (``url`` when known, ``headline``, ``datePublished``,
  the outlet as ``publisher``, wire services as ``creditText``, the article id as
  ``identifier``; the listed variants' printings, then the rest of the response's timeline)
  and whose ``firstAppearance`` is the response's ``first_appearance``: the utterance's
  earliest dated printing, the same notion as ``quotetrace timeline``. A NOT_FOUND claim
  has no appearances: nothing close enough was printed.
- ``reviewRating``: the scale below.
- ``quotetrace``: the service's own answer (verdict, confidence, speakers, variants with
  their printings, ...), the protobuf JSON mapping in lowerCamelCase, plus ``claimId`` and,
  in a batch, ``line``. It is the one key that is not a schema.org property.

Rating scale (``worstRating`` 1, ``bestRating`` 5):

==============  ===========  =================
verdict         ratingValue  alternateName
==============  ===========  =================
VERIFIED        5            Accurate quote
ALTERED         3            Altered quote
MISATTRIBUTED   1            Misattributed
UNATTRIBUTED    (none)       Unverifiable
NOT_FOUND       (none)       Unverifiable
==============  ===========  =================

UNATTRIBUTED and NOT_FOUND say that the corpus cannot settle the claim, not that it is
false: their rating carries no ``ratingValue`` (nor a scale), so a consumer that maps
numbers onto true/false has nothing to map; ``ratingExplanation`` says why.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote as url_quote

from google.protobuf.json_format import MessageToDict

from quotetrace.v1 import quotetrace_pb2 as pb

SCHEMA_CONTEXT = "https://schema.org"
BEST_RATING, WORST_RATING = 5, 1
UNVERIFIABLE = "Unverifiable"
# verdict -> (ratingValue or None for "unverifiable", alternateName)
RATINGS: dict[int, tuple[int | None, str]] = {
    pb.VERDICT_VERIFIED: (5, "Accurate quote"),
    pb.VERDICT_ALTERED: (3, "Altered quote"),
    pb.VERDICT_MISATTRIBUTED: (1, "Misattributed"),
    pb.VERDICT_UNATTRIBUTED: (None, UNVERIFIABLE),
    pb.VERDICT_NOT_FOUND: (None, UNVERIFIABLE),
}
PLACEHOLDER_URL = "urn:quotetrace:claim:{id}"


@dataclass(frozen=True)
class Reviewer:
    """Who publishes the reviews, and where."""

    name: str = "quotetrace"
    url: str | None = None
    review_url: str | None = None  # template: {id} (URL-quoted) and {line}
    date: str = field(default_factory=lambda: datetime.now(UTC).date().isoformat())


def verdict_name(verdict: int) -> str:
    return str(pb.Verdict.Name(verdict)).removeprefix("VERDICT_") if verdict else "UNSPECIFIED"


def claim_key(claim_id: str | None, line: int | None, request: pb.VerifyRequest) -> str:
    """A stable key for the review URL: the caller's id, else the line, else a hash."""
    if claim_id:
        return claim_id
    if line is not None:
        return f"line-{line}"
    digest = hashlib.sha256(f"{request.quote}\0{request.claimed_speaker}".encode()).hexdigest()
    return digest[:16]


def rating(response: pb.VerifyResponse) -> dict[str, Any]:
    value, label = RATINGS.get(response.verdict, (None, UNVERIFIABLE))
    result: dict[str, Any] = {"@type": "Rating"}
    if value is not None:
        result |= {"ratingValue": value, "bestRating": BEST_RATING, "worstRating": WORST_RATING}
    result["alternateName"] = label
    if response.explanation:
        result["ratingExplanation"] = response.explanation
    return result


def speaker_entity(name: str, response: pb.VerifyResponse) -> dict[str, Any]:
    """The claimed speaker as schema.org Person, or Organization when the corpus says so."""
    folded = name.casefold()
    kind = "Person"
    for speaker in response.speakers:
        names = {speaker.name.casefold(), *(a.casefold() for a in speaker.aliases)}
        if folded in names and speaker.kind == pb.SPEAKER_KIND_ORGANIZATION:
            kind = "Organization"
    return {"@type": kind, "name": name}


def news_article(printed: pb.Occurrence | pb.Printing) -> dict[str, Any]:
    """A printing's article as a schema.org NewsArticle, with what is known of it."""
    work: dict[str, Any] = {"@type": "NewsArticle"}
    if printed.url:
        work["url"] = printed.url
    if printed.title:
        work["headline"] = printed.title
    if printed.date:
        work["datePublished"] = printed.date
    if printed.outlet:
        work["publisher"] = {"@type": "Organization", "name": printed.outlet}
    if printed.wire_credits:
        work["creditText"] = ", ".join(printed.wire_credits)
    if printed.article_id:
        work["identifier"] = printed.article_id
    return work


def appearances(response: pb.VerifyResponse) -> list[dict[str, Any]]:
    """One CreativeWork per article that printed the utterance: those of the listed
    variants in response order, then those only the timeline lists."""
    if response.verdict == pb.VERDICT_NOT_FOUND:
        return []
    works: dict[str, dict[str, Any]] = {}
    printings: list[pb.Occurrence | pb.Printing] = [
        occ for variant in response.variants for occ in variant.occurrences
    ]
    printings += list(response.timeline)
    for printed in printings:
        key = printed.article_id or printed.url or getattr(printed, "source_name", "")
        if key not in works:
            works[key] = news_article(printed)
    return list(works.values())


def first_appearance(
    response: pb.VerifyResponse, works: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The server's first appearance (the utterance's earliest dated printing, see the
    .proto); from an older server, the earliest dated work listed."""
    if response.verdict == pb.VERDICT_NOT_FOUND:
        return None
    if response.HasField("first_appearance"):
        return news_article(response.first_appearance)
    dated = [w for w in works if w.get("datePublished")]
    return min(dated, key=lambda w: str(w["datePublished"])) if dated else None


def service_record(
    claim_id: str | None, line: int | None, request: pb.VerifyRequest, response: pb.VerifyResponse
) -> dict[str, Any]:
    """The service's own answer, lowerCamelCase throughout."""
    record: dict[str, Any] = {"claimId": claim_id}
    if line is not None:
        record["line"] = line
    record["claimedSpeaker"] = request.claimed_speaker or None
    answer = MessageToDict(response)  # json_name: lowerCamelCase
    answer["verdict"] = verdict_name(response.verdict)
    answer.setdefault("confidence", response.confidence)
    record |= answer
    return record


def claimreview(
    claim_id: str | None,
    request: pb.VerifyRequest,
    response: pb.VerifyResponse,
    reviewer: Reviewer,
    *,
    line: int | None = None,
) -> dict[str, Any]:
    key = claim_key(claim_id, line, request)
    template = reviewer.review_url or PLACEHOLDER_URL
    url = template.replace("{id}", url_quote(key, safe="")).replace("{line}", str(line or ""))
    author: dict[str, Any] = {"@type": "Organization", "name": reviewer.name}
    if reviewer.url:
        author["url"] = reviewer.url
    claim: dict[str, Any] = {"@type": "Claim"}
    if request.claimed_speaker:
        claim["author"] = speaker_entity(request.claimed_speaker, response)
    works = appearances(response)
    if works:
        claim["appearance"] = works
    if (first := first_appearance(response, works)) is not None:
        claim["firstAppearance"] = first
        claim["datePublished"] = first["datePublished"]
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "datePublished": reviewer.date,
        "author": author,
        "claimReviewed": request.quote,
        "itemReviewed": claim,
        "reviewRating": rating(response),
        "quotetrace": service_record(claim_id, line, request, response),
    }


def claim_fields(review: dict[str, Any]) -> tuple[object, object, object]:
    """(quote, speaker, id) of a ClaimReview given as a batch line (ours or anyone's)."""
    item = review.get("itemReviewed")
    author = item.get("author") if isinstance(item, dict) else None
    if isinstance(author, list):
        author = author[0] if author else None
    speaker = author.get("name") if isinstance(author, dict) else author
    ours = review.get("quotetrace")
    claim_id = ours.get("claimId") if isinstance(ours, dict) else None
    return review.get("claimReviewed"), speaker, claim_id or review.get("url")
