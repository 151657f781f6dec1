"""`--claimreview` is schema.org ClaimReview JSON-LD as Google's Fact Check markup reads it.

The JSON Schema in tests/claimreview.schema.json is written from the schema.org definitions
(ClaimReview, Claim, Rating, Organization, Person, CreativeWork) and Google's required
properties; it admits schema.org property names only, plus the one `quotetrace` object.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client.claimreview import Reviewer, claimreview
from quotetrace_client.cli import main
from quotetrace_server.api.server import RunningServer

SCHEMA = json.loads((Path(__file__).parent / "claimreview.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# The example of Google's "Fact check (ClaimReview) structured data" page (developers.google.com/
# search/docs/appearance/structured-data/factcheck), written out from memory of that page: the
# page itself could not be fetched here. Its shape (numbers as strings, one appearance object
# rather than a list, a logo ImageObject) is what matters for the schema.
GOOGLE_EXAMPLE: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://example.com/news/science/worldisflat.html",
    "claimReviewed": "The world is flat",
    "itemReviewed": {
        "@type": "Claim",
        "author": {
            "@type": "Organization",
            "name": "Square World Society",
            "sameAs": "https://example.flatworlders.com/we-know-that-the-world-is-flat",
        },
        "datePublished": "2016-06-20",
        "appearance": {
            "@type": "OpinionNewsArticle",
            "url": "https://example.com/news/a122121",
            "headline": "Square Earth - Flat earthers for the Internet age",
            "datePublished": "2016-06-22",
            "author": {"@type": "Person", "name": "T. Tellar"},
            "image": "https://example.com/photos/1x1/photo.jpg",
            "publisher": {
                "@type": "Organization",
                "name": "Skeptical News",
                "logo": {"@type": "ImageObject", "url": "https://example.com/logo.jpg"},
            },
        },
    },
    "author": {"@type": "Organization", "name": "Example.com science watch"},
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": "1",
        "bestRating": "5",
        "worstRating": "1",
        "alternateName": "False",
    },
}

CAMEL = re.compile(r"^(@[a-z]+|[a-z][a-zA-Z0-9]*)$")


def errors(document: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def keys(node: object) -> list[str]:
    if isinstance(node, dict):
        return [k for k in node] + [k for v in node.values() for k in keys(v)]
    if isinstance(node, list):
        return [k for v in node for k in keys(v)]
    return []


def occurrence(article: str, date: str, url: str, outlet: str = "") -> pb.Occurrence:
    return pb.Occurrence(
        article_id=article, date=date, url=url, outlet=outlet, title=f"t {article}", start=1, end=9
    )


def response(
    verdict: pb.Verdict, *, kind: pb.SpeakerKind = pb.SPEAKER_KIND_PERSON
) -> pb.VerifyResponse:
    return pb.VerifyResponse(
        verdict=verdict,
        confidence=0.8,
        explanation="why",
        speakers=[
            pb.Speaker(name="Ann Example", aliases=["Ann Example", "Ms. Example"], kind=kind)
        ],
        variants=[
            pb.Variant(
                text="we go on",
                exact_match=True,
                occurrences=[
                    occurrence("a1", "2024-03-02", "https://news.example/a1", "Example Post"),
                    occurrence("a1", "2024-03-02", "https://news.example/a1", "Example Post"),
                ],
            ),
            pb.Variant(
                text="we will go on",
                occurrences=[
                    occurrence("a2", "2024-03-01", "https://wire.example/a2"),
                    occurrence("a3", "", ""),
                ],
            ),
        ],
    )


REVIEWER = Reviewer(
    name="Desk", url="https://desk.example/", review_url="https://desk.example/r/{id}"
)


def test_the_google_documentation_example_validates_and_survives_a_json_round_trip() -> None:
    assert errors(GOOGLE_EXAMPLE) == []
    assert json.loads(json.dumps(GOOGLE_EXAMPLE)) == GOOGLE_EXAMPLE


@pytest.mark.parametrize(
    "broken",
    [
        {"claimant": "Someone"},  # not a schema.org property (what the old output had)
        {"claim_id": "c1"},  # snake_case, outside the extension object
        {"reviewRating": {"@type": "Rating", "ratingValue": 1}},  # no alternateName
        {"@type": "Review"},
        {"url": None},
        {"itemReviewed": {"@type": "Claim", "author": {"@type": "Person"}}},  # nameless
        {"quotetrace": {"claimId": "c1", "verdict": "VERIFIED", "confidence": 1, "claim_id": 1}},
    ],
)
def test_the_schema_rejects_what_is_not_claimreview(broken: dict[str, Any]) -> None:
    assert errors(GOOGLE_EXAMPLE | broken) != []


def test_a_review_is_claimreview_with_every_printing_and_the_first_dated_one() -> None:
    request = pb.VerifyRequest(quote="we go on", claimed_speaker="Ms. Example")
    review = claimreview("c/1", request, response(pb.VERDICT_VERIFIED), REVIEWER, line=4)
    assert errors(review) == []
    assert review["url"] == "https://desk.example/r/c%2F1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
    assert review["author"] == {"@type": "Organization", "name": "Desk", "url": REVIEWER.url}
    claim = review["itemReviewed"]
    assert claim["author"] == {"@type": "Person", "name": "Ms. Example"}
    # one appearance per article (a1 printed it twice), with url, outlet and date as known
    assert [w.get("url") for w in claim["appearance"]] == [
        "https://news.example/a1",
        "https://wire.example/a2",
        None,
    ]
    assert claim["appearance"][0]["publisher"] == {"@type": "Organization", "name": "Example Post"}
    assert claim["firstAppearance"]["identifier"] == "a2"  # 2024-03-01, the earliest date
    assert claim["datePublished"] == "2024-03-01"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Accurate quote",
        "ratingExplanation": "why",
    }
    assert review["quotetrace"]["claimId"] == "c/1" and review["quotetrace"]["line"] == 4
    assert all(CAMEL.match(k) for k in keys(review)), sorted(set(keys(review)))


@pytest.mark.parametrize("verdict", [pb.VERDICT_NOT_FOUND, pb.VERDICT_UNATTRIBUTED])
def test_no_record_and_no_speaker_are_unverifiable_not_false(verdict: pb.Verdict) -> None:
    review = claimreview(None, pb.VerifyRequest(quote="q"), response(verdict), Reviewer())
    assert errors(review) == []
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Unverifiable"
    assert "ratingValue" not in rating and "worstRating" not in rating
    assert review["url"].startswith("urn:quotetrace:claim:")
    assert "author" not in review["itemReviewed"]  # no speaker was claimed


def test_not_found_lists_no_appearances() -> None:
    answer = response(pb.VERDICT_NOT_FOUND)
    review = claimreview(None, pb.VerifyRequest(quote="q"), answer, REVIEWER)
    assert "appearance" not in review["itemReviewed"]


def test_misattributed_is_the_bottom_of_the_scale_and_altered_the_middle() -> None:
    request = pb.VerifyRequest(quote="q", claimed_speaker="Someone Else")
    low = claimreview("x", request, response(pb.VERDICT_MISATTRIBUTED), REVIEWER)["reviewRating"]
    mid = claimreview("x", request, response(pb.VERDICT_ALTERED), REVIEWER)["reviewRating"]
    assert (low["ratingValue"], low["alternateName"]) == (1, "Misattributed")
    assert (mid["ratingValue"], mid["alternateName"]) == (3, "Altered quote")


def test_an_organisation_the_corpus_knows_is_an_organization() -> None:
    request = pb.VerifyRequest(quote="q", claimed_speaker="ann example")
    answer = response(pb.VERDICT_VERIFIED, kind=pb.SPEAKER_KIND_ORGANIZATION)
    author = claimreview("x", request, answer, REVIEWER)["itemReviewed"]["author"]
    assert author == {"@type": "Organization", "name": "ann example"}


@pytest.fixture()
def server_flag(seeded_server: RunningServer) -> list[str]:
    return ["--server", f"127.0.0.1:{seeded_server.port}"]


def test_batch_claimreview_output_validates_and_a_review_verifies_again(
    capsys: pytest.CaptureFixture[str], server_flag: list[str], tmp_path: Path
) -> None:
    claims = tmp_path / "claims.jsonl"
    lines = [
        {"id": "c1", "quote": "That’s why we came here", "speaker": "Putin"},
        {"id": "c2", "quote": "That’s why we came here", "speaker": "Kim Jong Un"},
        {"id": "c3", "quote": "Purple lanterns hum beneath the quiet harbour", "speaker": "Kim"},
        GOOGLE_EXAMPLE,  # someone else's review, checked against the corpus
    ]
    claims.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    flags = ["--claimreview", "--org-name", "Desk", "--review-url", "https://desk.example/{id}"]
    code = main([*server_flag, "verify", "--file", str(claims), *flags])
    out = capsys.readouterr().out
    reviews = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    for review in reviews:
        assert errors(review) == [], review
    assert [r["quotetrace"]["verdict"] for r in reviews] == [
        "VERIFIED",
        "MISATTRIBUTED",
        "NOT_FOUND",
        "NOT_FOUND",
    ]
    assert reviews[3]["claimReviewed"] == "The world is flat"
    assert reviews[3]["itemReviewed"]["author"]["name"] == "Square World Society"
    assert reviews[3]["quotetrace"]["claimId"] == GOOGLE_EXAMPLE["url"]
    assert reviews[0]["itemReviewed"]["appearance"], "a verified quote lists its printings"
    assert reviews[0]["itemReviewed"]["firstAppearance"]["datePublished"] == "2023-09-13"

    # our own output, fed back as claims, is the same claims again
    claims.write_text(out, encoding="utf-8")
    assert main([*server_flag, "verify", "--file", str(claims), *flags]) == 0
    again = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [
        (r["claimReviewed"], r["itemReviewed"].get("author"), r["quotetrace"]["claimId"])
        for r in again
    ] == [
        (r["claimReviewed"], r["itemReviewed"].get("author"), r["quotetrace"]["claimId"])
        for r in reviews
    ]
    assert [r["quotetrace"]["verdict"] for r in again] == [
        r["quotetrace"]["verdict"] for r in reviews
    ]


def test_a_single_quote_review_validates_and_names_the_reviewer_from_the_environment(
    capsys: pytest.CaptureFixture[str], server_flag: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTETRACE_ORG_NAME", "Env Desk")
    monkeypatch.setenv("QUOTETRACE_ORG_URL", "https://env-desk.example/")
    quote = ["verify", "That’s why we came here", "--speaker", "Putin", "--claimreview"]
    assert main([*server_flag, *quote]) == 0
    review = json.loads(capsys.readouterr().out)
    assert errors(review) == []
    assert review["author"] == {
        "@type": "Organization",
        "name": "Env Desk",
        "url": "https://env-desk.example/",
    }
    assert review["url"].startswith("urn:quotetrace:claim:")
    assert "line" not in review["quotetrace"] and review["quotetrace"]["claimId"] is None
    assert review["reviewRating"]["alternateName"] == "Accurate quote"
