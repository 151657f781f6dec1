"""Batch verification of a JSONL file of claims, safe against mix-ups and bad claims.

Each non-blank line is a JSON object: ``{"id": ..., "quote": ..., "speaker": ...}`` (also
``claim``/``claim_id``/``claimed_speaker``/``claimant``), or a schema.org ClaimReview
(``claimReviewed``, ``itemReviewed.author.name``), so a review can be checked again.

How claims and verdicts are kept together:

- Every claim is sent under its *line number* as the wire ``claim_id``, unique by
  construction; the caller's id never travels, so two lines with the same id cannot be
  confused. An answer is accepted only if it echoes the line number of the next claim
  awaiting an answer; anything else stops the batch with an error (never a guess).
- A second line with an id already seen is an error for that line (reported, skipped);
  the first line with that id is verified. Ids are compared as strings (``1`` is ``"1"``).
- One claim the server rejects (a control character, an over-long quote) makes the server
  end the whole VerifyStream. The client then asks for that claim alone with Verify: a
  claim-level error (INVALID_ARGUMENT, OUT_OF_RANGE, RESOURCE_EXHAUSTED, ...) is reported
  for its line and skipped; an answer is kept. The batch then goes on with a new stream
  from the next claim, so a bad claim costs one extra call and one new stream.
- An error that is about the connection or the caller, not the claim (UNAVAILABLE,
  UNAUTHENTICATED, PERMISSION_DENIED, DEADLINE_EXCEEDED, CANCELLED, UNIMPLEMENTED), stops
  the batch; the lines not verified are counted as skipped with that reason.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client.claimreview import claim_fields
from quotetrace_client.client import QuoteTraceClient

# Statuses that say nothing about one claim: the batch cannot go on.
BATCH_WIDE = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.CANCELLED,
        grpc.StatusCode.UNIMPLEMENTED,
    }
)


@dataclass(frozen=True)
class Claim:
    line: int
    claim_id: str | None  # the caller's id, as a string; None when the line gave none
    request: pb.VerifyRequest


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str  # short, for the summary: "invalid JSON", "duplicate id", ...
    message: str  # the full line-level message
    claim_id: str | None = None


@dataclass(frozen=True)
class Answer:
    claim: Claim
    response: pb.VerifyResponse


class BatchStopped(Exception):
    """The batch cannot go on (connection, credentials, or a server that broke the pairing)."""

    def __init__(self, message: str, unanswered: list[Claim]) -> None:
        super().__init__(message)
        self.message = message
        self.unanswered = unanswered


@dataclass
class Summary:
    lines: int = 0
    blank: int = 0
    verified: Counter[str] = field(default_factory=Counter)  # verdict name -> claims
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> lines

    def text(self) -> str:
        verified = sum(self.verified.values())
        skipped = sum(self.skipped.values())
        parts = [f"{self.lines} line(s): {verified} claim(s) verified"]
        if self.verified:
            parts[0] += " (" + ", ".join(f"{n} {v}" for v, n in sorted(self.verified.items())) + ")"
        parts.append(
            f"{skipped} skipped"
            + (
                " (" + ", ".join(f"{n} {r}" for r, n in sorted(self.skipped.items())) + ")"
                if self.skipped
                else ""
            )
        )
        if self.blank:
            parts.append(f"{self.blank} blank")
        return ", ".join(parts)


RequestFactory = Callable[[str, str | None], pb.VerifyRequest]


def parse_claim(line: str) -> tuple[str, str | None, str | None]:
    """(quote, speaker, id) of one line, or ValueError saying what is wrong with it."""
    try:
        claim: Any = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(claim, dict):
        raise ValueError("not a claim: expected a JSON object")
    if claim.get("@type") == "ClaimReview":
        quote, speaker, claim_id = claim_fields(claim)
    else:
        quote = claim.get("quote", claim.get("claim"))
        speaker = claim.get("speaker") or claim.get("claimed_speaker") or claim.get("claimant")
        claim_id = claim.get("id", claim.get("claim_id"))
    if not isinstance(quote, str) or not quote.strip():
        raise ValueError('not a claim: missing "quote" (a non-empty string)')
    if speaker is not None and not isinstance(speaker, str):
        raise ValueError('not a claim: "speaker" must be a string')
    if claim_id is not None and (isinstance(claim_id, bool) or not isinstance(claim_id, str | int)):
        raise ValueError('not a claim: "id" must be a string or an integer')
    return quote, speaker or None, (str(claim_id) if claim_id not in (None, "") else None)


def read_claims(
    lines: list[str], make_request: RequestFactory, summary: Summary
) -> tuple[list[Claim], list[Skipped]]:
    """Claims to send, and the lines skipped (with why), in line order."""
    claims: list[Claim] = []
    skipped: list[Skipped] = []
    first_line_of: dict[str, int] = {}
    summary.lines = len(lines)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            summary.blank += 1
            continue
        try:
            quote, speaker, claim_id = parse_claim(line)
        except ValueError as error:
            reason = "invalid JSON" if str(error).startswith("invalid JSON") else "not a claim"
            skipped.append(Skipped(number, reason, str(error)))
            continue
        if claim_id is not None:
            if claim_id in first_line_of:
                message = f"duplicate id {claim_id!r} (first on line {first_line_of[claim_id]})"
                skipped.append(Skipped(number, "duplicate id", message, claim_id))
                continue
            first_line_of[claim_id] = number
        claims.append(Claim(number, claim_id, make_request(quote, speaker)))
    return claims, skipped


def status_line(error: grpc.RpcError) -> str:
    if isinstance(error, grpc.Call):
        return f"{error.code().name}: {error.details()}"
    return str(error)


def status_code(error: grpc.RpcError) -> grpc.StatusCode | None:
    return error.code() if isinstance(error, grpc.Call) else None


def verify_claims(
    client: QuoteTraceClient, claims: list[Claim], *, timeout: float | None = None
) -> Iterator[Answer | Skipped]:
    """An Answer or a Skipped for every claim, in order; BatchStopped if the batch cannot
    go on (its `unanswered` are the claims with neither)."""
    position = 0
    while position < len(claims):
        rest = claims[position:]
        try:
            stream = client.verify_stream(((str(c.line), c.request) for c in rest), timeout=timeout)
            for item in stream:
                expected = str(claims[position].line) if position < len(claims) else "none"
                if item.claim_id != expected:
                    if cancel := getattr(stream, "cancel", None):
                        cancel()
                    raise BatchStopped(
                        f"the server answered claim {item.claim_id!r} out of turn "
                        f"(expected {expected!r}); no answer after it is trusted",
                        claims[position:],
                    )
                yield Answer(claims[position], item.response)
                position += 1
            if position < len(claims):
                raise BatchStopped(
                    f"the server ended the batch with {len(claims) - position} claim(s) unanswered",
                    claims[position:],
                )
        except grpc.RpcError as error:
            if status_code(error) in BATCH_WIDE:
                raise BatchStopped(status_line(error), claims[position:]) from None
            # The stream stopped at claims[position]; ask for it alone to learn its fate.
            claim = claims[position]
            try:
                response = client.verify_request(claim.request)
            except grpc.RpcError as single:
                if status_code(single) in BATCH_WIDE:
                    raise BatchStopped(status_line(single), claims[position:]) from None
                message = f"rejected by the server: {status_line(single)}"
                yield Skipped(claim.line, "rejected by the server", message, claim.claim_id)
            else:
                yield Answer(claim, response)
            position += 1
