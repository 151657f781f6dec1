"""Quotation marks found on raw text: pairing, apostrophes, nesting, paragraph resets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrace_server.quotes.finder import find_quotes, paragraph_spans


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


def top_level(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text) if q.depth == 0]


def test_curly_straight_and_guillemet_pairs_are_found() -> None:
    text = 'He said “one,” then "two" and «three».'
    assert quoted(text) == ["one,", "two", "three"]


def test_span_is_the_text_inside_the_marks_including_trailing_punctuation() -> None:
    text = "“We’ll talk about all the issues, without haste. There is time,” Putin said."
    (span,) = find_quotes(text)
    assert text[span.start : span.end] == (
        "We’ll talk about all the issues, without haste. There is time,"
    )
    assert span.closed


def test_apostrophes_are_not_quote_marks() -> None:
    text = (
        "We’ll meet at five o’clock. Pyongyangs’s involvement and Russia's ties matter; "
        "the Smiths’ house dates from the ’90s."
    )
    assert find_quotes(text) == ()


def test_single_quotes_nested_in_double_quotes_get_depth_one() -> None:
    text = "“He told me ‘never again’ and left,” she said."
    spans = find_quotes(text)
    assert [(text[s.start : s.end], s.depth) for s in spans] == [
        ("He told me ‘never again’ and left,", 0),
        ("never again", 1),
    ]


def test_curly_opening_closed_by_straight_mark_still_pairs() -> None:
    text = '“None of them appeared to have any significant capability."'
    assert quoted(text) == ["None of them appeared to have any significant capability."]


def test_unclosed_double_quote_runs_to_the_end_of_its_paragraph_only() -> None:
    text = (
        "Kim and Putin “may conduct an exchange (or wheat).\n\n"
        "“Tactically, they both gain.”\n\n"
        "Later, officials said “nothing” more."
    )
    spans = find_quotes(text)
    assert [(text[s.start : s.end], s.closed) for s in spans] == [
        ("may conduct an exchange (or wheat).", False),
        ("Tactically, they both gain.", True),
        ("nothing", True),
    ]


def test_unbalanced_mark_does_not_swallow_later_paragraphs() -> None:
    text = "A stray ” mark and a stray “ opener\nNext line says “hello” plainly."
    assert "hello" in top_level(text)
    assert all("\n" not in q for q in quoted(text))


def test_forgotten_closing_mark_ends_at_the_next_opening_mark() -> None:
    text = "Kim and Putin “may conduct an exchange. Later, “Tactically, they both gain.” he said."
    spans = find_quotes(text)
    assert [(text[s.start : s.end], s.closed, s.depth) for s in spans] == [
        ("may conduct an exchange. Later,", False, 0),
        ("Tactically, they both gain.", True, 0),
    ]


def test_unclosed_single_mark_is_dropped_as_a_probable_apostrophe() -> None:
    text = "Rock 'n roll and ‘half a thought"
    assert quoted(text) == []


def test_heading_in_single_quotes_is_found() -> None:
    text = "Some text.\n\n‘Comrades’\n\nPutin and Kim called each other “comrades” at lunch."
    assert quoted(text) == ["Comrades", "comrades"]


def test_curly_opener_typed_as_closer_closes() -> None:
    text = "“Enough,“ he said."
    assert quoted(text) == ["Enough,"]


def test_paragraph_spans_skip_blank_lines() -> None:
    text = "one\n\n  \ntwo\nthree"
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["one", "two", "three"]


WRAPPED = (
    "The minister spoke to reporters outside the building on Monday morning\n"
    "and said the plan was “a turning point for the whole region, and one we\n"
    "have waited for since the war ended,” before leaving for the airport in\n"
    "a convoy of black cars that had waited for most of the morning outside.\n"
    "\n"
    "Critics were not convinced by the speech and said the “turning point”\n"
    "was a slogan, not a policy, and that nothing had changed on the ground.\n"
)


def test_hard_wrapped_text_keeps_quotations_across_line_ends() -> None:
    assert [WRAPPED[a:b].count("\n") for a, b in paragraph_spans(WRAPPED)] == [3, 1]
    assert quoted(WRAPPED) == [
        "a turning point for the whole region, and one we\nhave waited for since the war ended,",
        "turning point",
    ]


def test_seed_article_quotes_are_found_without_spurious_apostrophes(
    seed_texts: dict[str, str],
) -> None:
    text = seed_texts["004_943f27995bdec5c1.txt"]
    assert top_level(text) == [
        "an old friend is better than two new ones.",
        "this is why we’ve come to Vostochny Cosmodrome.",
        "discuss all topics.",
        "the hegemonic forces",
    ]


MARKS = "“”‘’\"'«»‹› \n"
texty = st.text(
    alphabet=st.one_of(st.sampled_from(list(MARKS) + list("abc.,")), st.characters()),
    max_size=200,
)


@settings(max_examples=400)
@given(texty)
def test_spans_are_inside_the_text_and_never_cross_a_paragraph(text: str) -> None:
    paragraphs = paragraph_spans(text)
    for span in find_quotes(text):
        assert 0 < span.start < span.end <= len(text)
        inside = text[span.start : span.end]
        assert inside == inside.strip()
        assert any(a <= span.start and span.end <= b for a, b in paragraphs)


@settings(max_examples=300)
@given(texty)
def test_spans_are_nested_or_disjoint(text: str) -> None:
    spans = find_quotes(text)
    for a in spans:
        for b in spans:
            if a is b:
                continue
            disjoint = a.end <= b.start or b.end <= a.start
            nested = (a.start <= b.start and b.end <= a.end) or (
                b.start <= a.start and a.end <= b.end
            )
            assert disjoint or nested


def test_a_low_opening_mark_pairs_with_either_high_closing_mark() -> None:
    assert quoted("Sie sagte: „Wir bleiben“, und „nicht hier”.") == ["Wir bleiben", "nicht hier"]


def test_a_quotation_broken_over_lines_closes_on_a_later_line() -> None:
    text = 'The notice read "Keep out,\nno exceptions.\nBy order." and nothing more.'
    assert quoted(text) == ["Keep out,\nno exceptions.\nBy order."]
    text = "She wrote 'Back soon,\nwait for me.' on the door."
    assert quoted(text) == ["Back soon,\nwait for me."]


def test_a_line_that_opens_a_new_quotation_starts_a_new_paragraph() -> None:
    text = "“The roads are shut.\n“Stay home,” the mayor said."
    assert [(q.closed, text[q.start : q.end]) for q in find_quotes(text)] == [
        (False, "The roads are shut."),
        (True, "Stay home,"),
    ]


def test_a_blank_line_ends_a_quotation_left_open() -> None:
    text = "“The roads are shut.\n\nIt is over,” she said."
    assert quoted(text)[0] == "The roads are shut."


def test_a_plural_possessive_on_the_next_line_does_not_close_a_single_quotation() -> None:
    text = "'We go at dawn.\nThe players’ bus leaves first.\nThen the fans.' he said."
    assert all("\n" not in span for span in quoted(text))
