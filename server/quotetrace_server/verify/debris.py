"""Words around a pasted claim that are not the speaker's: social-media debris and a
source credit.

A claim copied from a post carries marks of the post: "RT @handle:", @mentions and
#hashtags before or after the quotation, emoji, links. A claim copied from an article or a
feed may end with its source: "(Kestrel Wire)", " - The Harbour Gazette". None of them
is a word the speaker said; a claim that holds them is looked up again without them
(verify.verifier), and only when it was not found word for word as it came.

A hashtag or mention inside the quotation ("we are #1") stays: only runs of them at
the claim's edges are set aside.
"""

from __future__ import annotations

import re
import unicodedata

from quotetrace_server.entities.lexicon import (
    DASH_MARKS,
    FUNCTION_WORDS,
    NEGATIONS,
    ORG_NAME_JOINERS,
)

_RETWEET = re.compile(r"^\s*RT\s+@\w+:?\s*", re.IGNORECASE)
_LINK = re.compile(r"\s*\b(?:https?://|www\.)\S+\s*")
# Runs of @mentions, #hashtags and "via @x" at the start or at the end of the claim.
_TAG = r"(?:(?:via\s+)?[@#]\w+)"
_LEADING_TAGS = re.compile(rf"^\s*(?:{_TAG}[\s:,]*)+")
_TRAILING_TAGS = re.compile(rf"(?:[\s,]*{_TAG})+\s*$")
# A source credit: a parenthesis of capitalised words at the very end ("(Kestrel Wire)",
# "(AFP)"), or a dash then capitalised words ("- The Harbour Gazette").
_CREDIT_WORDS = r"(?:The\s+)?[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|&|and)){0,4}"
_PAREN_CREDIT = re.compile(rf"\s*\(\s*{_CREDIT_WORDS}\s*\)\s*$")
_DASH_CREDIT = re.compile(rf"\s+[-{DASH_MARKS}]+\s*{_CREDIT_WORDS}\s*$")
# Characters that hint at debris; a claim without any of them is returned untouched fast.
_HINTS = re.compile(rf"[@#(\-{DASH_MARKS}]|https?:|www\.|RT\b|[^\x00-\u2000]")


def _is_pictograph(char: str) -> bool:
    """An emoji or pictograph, a variation selector or joiner between them."""
    if char in "\u200d\ufe0e\ufe0f":
        return True
    category = unicodedata.category(char)
    return category == "So" or (category == "Sk" and "\U0001f3fb" <= char <= "\U0001f3ff")


def _credit_removed(match: re.Match[str]) -> str:
    """ "" for a source credit; the words kept when they read as speech ("- Not Ever")."""
    names = [w.casefold() for w in re.findall(r"[\w'’.&-]+", match.group(0))]
    spoken = [w for w in names if w not in ORG_NAME_JOINERS and w in FUNCTION_WORDS | NEGATIONS]
    return match.group(0) if spoken else ""


def without_debris(claim: str) -> str | None:
    """``claim`` without social-media debris at its edges, emoji, links and a trailing
    source credit; None when it holds none of them (or nothing would be left)."""
    if not _HINTS.search(claim):
        return None
    text = "".join(" " if _is_pictograph(c) else c for c in claim)
    text = _LINK.sub(" ", _RETWEET.sub("", text))
    previous = None
    while previous != text:  # tags, then a credit, then tags before it, ...
        previous = text
        text = _TRAILING_TAGS.sub("", _LEADING_TAGS.sub("", text))
        text = _DASH_CREDIT.sub(_credit_removed, _PAREN_CREDIT.sub(_credit_removed, text))
    text = " ".join(text.split())
    if not text or text == " ".join(claim.split()):
        return None
    return text
