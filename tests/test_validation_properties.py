"""Request validators over arbitrary Unicode: a clean value or INVALID_ARGUMENT, nothing else."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_server.api import validation
from quotetrace_server.config import Limits
from quotetrace_server.errors import InvalidArgument

LIMITS = Limits(max_quote_chars=300)
any_text = st.text(st.characters(codec=None), max_size=400)
dates = st.one_of(st.just(""), st.dates().map(str), st.text(max_size=12))


def is_clean(text: str) -> bool:
    return all(unicodedata.category(c) not in ("Cc", "Cs") or c in "\t\n\r" for c in text)


@settings(max_examples=400, deadline=None)
@given(quote=any_text, speaker=any_text, variants=st.integers(0, 300), start=dates, end=dates)
def test_verify_query_accepts_exactly_the_clean_requests(
    quote: str, speaker: str, variants: int, start: str, end: str
) -> None:
    request = pb.VerifyRequest(
        quote=quote.encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        claimed_speaker=speaker.encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        max_variants=variants,
        date_range=pb.DateRange(start_date=start, end_date=end),
    )
    try:
        query = validation.verify_query(request, LIMITS)
    except InvalidArgument as error:
        assert error.message and "\n" not in error.message
        return
    assert query.quote == request.quote and query.quote.strip()
    assert len(query.quote) <= LIMITS.max_quote_chars and is_clean(query.quote)
    assert 1 <= query.max_variants <= LIMITS.max_variants
    assert not (query.date_from and query.date_to) or query.date_from <= query.date_to


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(codec=None), max_size=200))
def test_first_bad_character_finds_every_control_character_and_lone_surrogate(text: str) -> None:
    found = validation.first_bad_character(text)
    if is_clean(text):
        assert found is None
    else:
        assert found is not None
        position, what = found
        assert not is_clean(text[position]) and is_clean(text[:position])
        assert what.startswith(("control character", "lone surrogate"))


@given(token=st.text(max_size=40))
def test_page_tokens_are_either_decoded_or_refused(token: str) -> None:
    try:
        offset = validation.decode_page_token(token)
    except InvalidArgument as error:
        assert error.message
    else:
        assert offset >= 0


@given(offset=st.integers(0, 10**9))
def test_page_token_round_trips(offset: int) -> None:
    assert validation.decode_page_token(validation.encode_page_token(offset)) == offset
