"""The errors of quotetrace's contract: what a caller did wrong, or why it cannot be done now.

The engine, validation and the Verify workers raise these; the gRPC layer maps each
class to one status code in one place (api/status.py), and nothing here knows gRPC.
Each message is one line that names the field or thing and, where there is one, the
limit, so a caller can act on it.
"""

from __future__ import annotations

from typing import Self


class QuoteTraceError(Exception):
    """Base class: `message` is what the caller is told; `kind` names the class on the
    pipe to and from the Verify workers (the canonical code's name)."""

    kind = "UNKNOWN"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def prefixed(self, prefix: str) -> Self:
        """The same error with `prefix` before its message (e.g. "article 3: ")."""
        return type(self)(prefix + self.message)


class InvalidArgument(QuoteTraceError):
    """The request itself is wrong: a field missing, malformed or over its limit."""

    kind = "INVALID_ARGUMENT"


class NotFound(QuoteTraceError):
    """The article or speaker named does not exist."""

    kind = "NOT_FOUND"


class FailedPrecondition(QuoteTraceError):
    """The server cannot do this in its present state (e.g. no NLP models to ingest with)."""

    kind = "FAILED_PRECONDITION"


class Unavailable(QuoteTraceError):
    """Not now; retrying the call may succeed (e.g. a Verify worker died)."""

    kind = "UNAVAILABLE"


class DeadlineExceeded(QuoteTraceError):
    """The call's deadline passed, or its stream stayed idle too long; work stopped."""

    kind = "DEADLINE_EXCEEDED"


class Cancelled(QuoteTraceError):
    """The caller cancelled the call; work stopped."""

    kind = "CANCELLED"


class ResourceExhausted(QuoteTraceError):
    """Over a server-wide limit (calls in progress); retry later."""

    kind = "RESOURCE_EXHAUSTED"


class IndexDamaged(QuoteTraceError):
    """The index file is damaged: data cannot be read back (health turns NOT_SERVING)."""

    kind = "DATA_LOSS"


# By kind, for errors that cross a process boundary (the Verify workers send the kind).
BY_KIND: dict[str, type[QuoteTraceError]] = {
    cls.kind: cls
    for cls in (
        InvalidArgument,
        NotFound,
        FailedPrecondition,
        Unavailable,
        DeadlineExceeded,
        Cancelled,
        ResourceExhausted,
        IndexDamaged,
    )
}
