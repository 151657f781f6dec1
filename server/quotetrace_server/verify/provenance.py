"""Provenance: when and where each wording of a quotation was printed, earliest first.

The *first appearance* of a wording (or of the utterance) is its earliest dated printing;
printings on the same day keep article order (the order the corpus received them). An
undated printing is never a first appearance: nothing shows it came first. The timeline
lists every printing, dated ones by date, undated ones after them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from quotetrace_server.index.model import QuoteDetail
from quotetrace_server.verify.model import Printing


def chronological(details: Sequence[QuoteDetail]) -> list[QuoteDetail]:
    """Printings by date, undated last; ties (and the undated) in article order."""
    order = sorted(
        range(len(details)), key=lambda i: (details[i].date is None, details[i].date or "", i)
    )
    return [details[i] for i in order]


def first_dated(details: Sequence[QuoteDetail]) -> QuoteDetail | None:
    dated = [d for d in chronological(details) if d.date]
    return dated[0] if dated else None


def printing(detail: QuoteDetail, variant_of: Mapping[str, int], text: str, cut: bool) -> Printing:
    q = detail.quote
    return Printing(
        date=detail.date,
        outlet=q.outlet,
        wire_credits=detail.wire_credits,
        url=detail.url,
        title=detail.title,
        article_id=q.article_id,
        quote_id=q.quote_id,
        speaker=q.speaker,
        text=text,
        text_truncated=cut,
        variant_index=variant_of.get(q.quote_id, 0),
    )
