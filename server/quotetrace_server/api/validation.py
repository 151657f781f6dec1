"""Request checks: each returns clean values or raises errors.InvalidArgument.

Messages name the field, the problem and the limit, so a caller can fix the request.
Text in any script, emoji included, is valid; control characters (other than tab
and newlines) are not, and neither are strings that are not valid UTF-8.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_server.config import Limits
from quotetrace_server.errors import InvalidArgument
from quotetrace_server.ingest.html import HTML_CONTENT_TYPE
from quotetrace_server.ingest.metadata import normalized_date
from quotetrace_server.verify.model import VerifyQuery

_ALLOWED_CONTROLS = frozenset({"\t", "\n", "\r"})
_ARTICLE_ID = re.compile(r"^[0-9a-f]{16}$")
MAX_PAGE_TOKEN_DIGITS = 15  # far beyond any corpus; far below 2**63
_PAGE_TOKEN = re.compile(rf"o:(0|[1-9][0-9]{{0,{MAX_PAGE_TOKEN_DIGITS - 1}}})")


def invalid(message: str) -> InvalidArgument:
    return InvalidArgument(message)


def first_bad_character(
    text: str, allowed: frozenset[str] = _ALLOWED_CONTROLS
) -> tuple[int, str] | None:
    """Position and description of the first control character (other than those
    `allowed`) or lone surrogate, if any."""
    for position, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cs":
            return position, f"lone surrogate U+{ord(char):04X}"
        if category == "Cc" and char not in allowed:
            return position, f"control character U+{ord(char):04X}"
    return None


def checked_text(
    field: str, text: str, max_chars: int, *, required: bool = True, one_line: bool = False
) -> str:
    """`text` if it is within `max_chars` and clean; `one_line` also refuses tab and newlines."""
    if required and not text.strip():
        raise invalid(f"{field} is empty")
    if len(text) > max_chars:
        raise invalid(f"{field} is {len(text)} characters; the limit is {max_chars}")
    if bad := first_bad_character(text, allowed=frozenset() if one_line else _ALLOWED_CONTROLS):
        position, what = bad
        raise invalid(f"{field} contains a {what} at character {position}")
    return text


def check_wire_credits(credits: Sequence[str], limits: Limits) -> None:
    """Each credit one clean line of at most max_credit_chars; at most max_wire_credits."""
    if len(credits) > limits.max_wire_credits:
        raise invalid(
            f"article.wire_credits has {len(credits)} credits; the limit is "
            f"{limits.max_wire_credits}"
        )
    for number, credit in enumerate(credits):
        checked_text(
            f"article.wire_credits[{number}]", credit, limits.max_credit_chars, one_line=True
        )


def checked_date(field: str, value: str) -> str | None:
    """The date as YYYY-MM-DD (see ingest.metadata.normalized_date); None when empty."""
    if not value:
        return None
    try:
        return normalized_date(value)
    except ValueError as error:
        raise invalid(f"{field} {error}") from None


def verify_query(request: pb.VerifyRequest, limits: Limits) -> VerifyQuery:
    quote = checked_text("quote", request.quote, limits.max_quote_chars)
    speaker = checked_text(
        "claimed_speaker", request.claimed_speaker, limits.max_speaker_chars, required=False
    )
    if request.max_variants > limits.max_variants:
        raise invalid(f"max_variants is {request.max_variants}; the limit is {limits.max_variants}")
    date_from = checked_date("date_range.start_date", request.date_range.start_date)
    date_to = checked_date("date_range.end_date", request.date_range.end_date)
    if date_from and date_to and date_from > date_to:
        raise invalid(f"date_range starts ({date_from}) after it ends ({date_to})")
    outlet = checked_text("outlet", request.outlet, limits.max_speaker_chars, required=False)
    return VerifyQuery(
        quote=quote,
        claimed_speaker=speaker.strip() or None,
        max_variants=request.max_variants or limits.default_variants,
        outlet=outlet.strip() or None,
        date_from=date_from,
        date_to=date_to,
    )


# What Article.text may hold: article text ("" = text/plain) or an HTML page.
ARTICLE_CONTENT_TYPES = ("", "text/plain", HTML_CONTENT_TYPE)


def check_article(message: pb.Article, limits: Limits) -> None:
    """Raise unless the article is within limits and its text and metadata are clean."""
    size = len(message.text.encode("utf-8", "surrogatepass"))
    if message.content_type == HTML_CONTENT_TYPE:
        limit, name = limits.max_page_bytes, "an HTML page's limit"
    else:
        limit, name = limits.max_article_bytes, "the limit"
    if size > limit:
        raise invalid(
            f"article text is {size} bytes of UTF-8; {name} is {limit}: split it into"
            " shorter articles"
        )
    checked_text("article.text", message.text, limit)
    for field in ("title", "outlet", "byline", "url", "source_name"):
        checked_text(f"article.{field}", getattr(message, field), 1_000, required=False)
    check_wire_credits(message.wire_credits, limits)
    checked_date("article.date", message.date)
    if message.content_type not in ARTICLE_CONTENT_TYPES:
        raise invalid(
            f"article.content_type {message.content_type[:100]!r} is not one of "
            + ", ".join(repr(t) for t in ARTICLE_CONTENT_TYPES)
        )


def article_id(value: str) -> str:
    if not _ARTICLE_ID.match(value):
        raise invalid(f"article_id {value!r} is not an article id (16 lowercase hex digits)")
    return value


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int


def page(page_size: int, page_token: str, limits: Limits) -> Page:
    if page_size > limits.max_page_size:
        raise invalid(f"page_size is {page_size}; the limit is {limits.max_page_size}")
    return Page(offset=decode_page_token(page_token), limit=page_size or limits.default_page_size)


def encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_page_token(token: str) -> int:
    """The offset in a token from encode_page_token; INVALID_ARGUMENT for anything else.

    Strict: base64url of "o:" and at most MAX_PAGE_TOKEN_DIGITS digits, so a forged
    offset can neither fail to parse nor overflow SQLite's 64-bit integers.
    """
    if not token:
        return 0
    try:
        decoded = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        decoded = ""
    match = _PAGE_TOKEN.fullmatch(decoded)
    if match is None or encode_page_token(int(match[1])) != token:
        raise invalid("page_token is not a token returned by ListQuotes")
    return int(match[1])
