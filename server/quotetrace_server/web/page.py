"""What the page shows of a VerifyResponse: typed results, diff pieces, safe links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from quotetrace_client.results import DiffOp, DiffSegment, Occurrence, Variant, VerifyResult
from quotetrace_server.index.model import outlet_label

LINK_SCHEMES = frozenset({"http", "https"})


def safe_link(url: str) -> str | None:
    """`url` when it may be an href (http or https with a host), else None.

    Escaping alone does not make a corpus URL safe to link: `javascript:` and `data:`
    URLs run when clicked. Others are shown as text.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in LINK_SCHEMES and parts.netloc:
        return url.strip()
    return None


@dataclass(frozen=True)
class DiffPiece:
    """A run of words: "same" in both, "query" only (the printing lacks it), "printed" only."""

    kind: str
    text: str


def diff_pieces(diff: tuple[DiffSegment, ...]) -> list[DiffPiece]:
    pieces: list[DiffPiece] = []
    for segment in diff:
        if segment.op is DiffOp.EQUAL:
            pieces.append(DiffPiece("same", segment.query_text or segment.variant_text))
            continue
        if segment.op in (DiffOp.DELETE, DiffOp.REPLACE) and segment.query_text:
            pieces.append(DiffPiece("query", segment.query_text))
        if segment.op in (DiffOp.INSERT, DiffOp.REPLACE) and segment.variant_text:
            pieces.append(DiffPiece("printed", segment.variant_text))
    return pieces


@dataclass(frozen=True)
class Printing:
    """One printing of a wording, as a row of the page."""

    occurrence: Occurrence
    link: str | None

    @property
    def outlet(self) -> str:
        """The outlet as the verifier counts it: the outlet, "via <wire>", "(unstated)"."""
        return outlet_label(self.occurrence.outlet or None, self.occurrence.wire_credits)


@dataclass(frozen=True)
class Wording:
    variant: Variant
    pieces: list[DiffPiece]
    printings: list[Printing]


def wordings(result: VerifyResult) -> list[Wording]:
    return [
        Wording(
            v,
            diff_pieces(v.diff),
            [Printing(o, safe_link(o.url)) for o in v.occurrences],
        )
        for v in result.variants
    ]


def claimreview_href(quote: str, speaker: str) -> str:
    query = {"q": quote, **({"speaker": speaker} if speaker else {})}
    return "claimreview.jsonld?" + urlencode(query)


@dataclass(frozen=True)
class OutletRow:
    """An outlet and every printing of the utterance it ran, earliest first."""

    name: str
    printings: list[Printing]


def outlet_rows(result: VerifyResult) -> list[OutletRow]:
    """The outlets in the response's order, each with its printings across all wordings."""
    by_outlet: dict[str, list[Printing]] = {o.name: [] for o in result.outlets}
    for variant in result.variants:
        for occ in variant.occurrences:
            printing = Printing(occ, safe_link(occ.url))
            by_outlet.setdefault(printing.outlet, []).append(printing)
    return [
        OutletRow(name, sorted(printings, key=lambda p: p.occurrence.date or "9999"))
        for name, printings in by_outlet.items()
    ]
