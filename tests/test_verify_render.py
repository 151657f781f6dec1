"""The human output of `quotetrace verify`: each difference with its kind, what a filter
hides, the closest printing of a NOT_FOUND with its speaker, the first appearance."""

from __future__ import annotations

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client.render import difference_text, printing_line, verify_text


def test_each_difference_is_shown_with_its_kind() -> None:
    response = pb.VerifyResponse(
        verdict=pb.VERDICT_VERIFIED,
        confidence=0.9,
        variants=[
            pb.Variant(
                text="We’ll talk, without haste",
                equivalent=True,
                differences=[
                    pb.Difference(
                        kind=pb.DIFFERENCE_KIND_CONTRACTION,
                        query_text="We will",
                        variant_text="We’ll",
                    ),
                    pb.Difference(
                        kind=pb.DIFFERENCE_KIND_PUNCTUATION, query_text="talk", variant_text="talk,"
                    ),
                ],
            )
        ],
    )
    text = verify_text("We will talk without haste", response)
    assert "Variant 1 (same words, similarity 0.00): “We’ll talk, without haste”" in text
    assert "    differs: contraction “We will” → “We’ll”" in text
    assert "    differs: punctuation “talk” → “talk,”" in text


def test_a_word_dropped_shows_the_empty_side() -> None:
    dropped = pb.Difference(kind=pb.DIFFERENCE_KIND_WORD, query_text="urgent", variant_text="")
    assert difference_text(dropped) == "word “urgent” → ∅"


def test_not_found_shows_the_closest_printing_its_speaker_and_the_hidden_printings() -> None:
    response = pb.VerifyResponse(
        verdict=pb.VERDICT_NOT_FOUND,
        confidence=0.5,
        explanation="No printed quotation is close enough.",
        printings_outside_filter=3,
        closest=pb.Occurrence(
            text="The tides obey nobody",
            speaker="Ivo Brandt",
            outlet="Valley Courier",
            date="2024-04-10",
            url="https://news.example/chamber",
            cue="said",
        ),
        closest_similarity=0.62,
    )
    text = verify_text("the tides obey the minister", response)
    assert "Outside the filter: 3 printing(s)" in text
    assert "Closest printing (similarity 0.62): “The tides obey nobody” — Ivo Brandt" in text
    assert "      https://news.example/chamber" in text


def test_the_first_appearance_line_names_date_outlet_url_and_wording() -> None:
    first = pb.Printing(
        date="2024-03-02",
        outlet="Harbour Gazette",
        url="https://news.example/pier",
        text="The bridge opens",
        variant_index=2,
    )
    assert printing_line(first) == (
        "2024-03-02 · Harbour Gazette · https://news.example/pier · “The bridge opens” (variant 2)"
    )
    undated = pb.Printing(wire_credits=["AFP"], text="The bridge opens")
    assert printing_line(undated) == "(undated) · via AFP · (no URL) · “The bridge opens”"
    response = pb.VerifyResponse(verdict=pb.VERDICT_VERIFIED, first_appearance=first)
    assert f"First appearance: {printing_line(first)}" in verify_text("q", response)
