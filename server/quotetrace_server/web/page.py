"""What the page shows of a VerifyResponse: typed results, diff pieces, safe links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client.client import claim_request
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


@dataclass(frozen=True)
class Claim:
    """What the form asks: the quote, the claimed speaker, and the printing filters (an
    outlet, a first and a last date), each as typed; empty means not given."""

    quote: str = ""
    speaker: str = ""
    outlet: str = ""
    date_from: str = ""
    date_to: str = ""

    @property
    def filtered(self) -> bool:
        return bool(self.outlet or self.date_from or self.date_to)

    def query(self) -> dict[str, str]:
        """The query string that asks this claim again (only the fields given)."""
        fields = {
            "q": self.quote,
            "speaker": self.speaker,
            "outlet": self.outlet,
            "from": self.date_from,
            "to": self.date_to,
        }
        return {k: v for k, v in fields.items() if v}

    def request(self) -> pb.VerifyRequest:
        return claim_request(
            self.quote,
            self.speaker or None,
            outlet=self.outlet or None,
            date_from=self.date_from or None,
            date_to=self.date_to or None,
        )


def claimreview_href(claim: Claim) -> str:
    return "claimreview.jsonld?" + urlencode(claim.query())


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
