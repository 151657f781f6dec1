"""A remark printed as quotations split by its attribution, and claims that carry one.

News prints one remark as two quotations with the attribution between them
('“S1,” she said. “S2.”' or '“S1,” she said, “and S2.”'). Each quotation is a printing
of its own, so a claim quoting the whole remark "S1 S2" matches neither; yet every word
of it is printed, adjacent, by one speaker. A claim may also keep such an attribution
inside it ('"S1," she said, "S2"') or after it ("S1, he said"): those words are the
claimant's, not the speaker's.

Only an attribution may stand between the pieces: a few words holding a speech verb, in
one paragraph, with no sentence of the reporter's and no other quotation, so that two
remarks a report sets side by side with its own words between them are never joined.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from quotetrace_server.attribution.cues import ACCORDING_TO, speech_verb_base
from quotetrace_server.attribution.model import QuoteKind
from quotetrace_server.entities.lexicon import (
    DASH_MARKS,
    HONORIFICS,
    NAME_PARTICLES,
    PERSON_PRONOUNS,
    TITLE_ABBREVIATIONS,
)
from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.index.model import StoredQuote
from quotetrace_server.index.store import QuoteStore
from quotetrace_server.verify.editorial import without_insertions
from quotetrace_server.verify.model import Difference, DifferenceKind
from quotetrace_server.verify.wording import Comparison, compare

# An attribution between two pieces of one remark is at most this many words
# ("said Dr Ana Ruiz, the harbour board's chair, speaking at a briefing on Monday").
ATTRIBUTION_MAX_WORDS = 25
# A claim's own attribution after its words ("..., he said") is at most this many words.
TRAILING_MAX_WORDS = 4
# Pieces joined on each side of the printing a claim matched, and articles looked at.
JOIN_MAX_PIECES = 3
JOIN_MAX_ARTICLES = 10
# The words a printing must share with the claim at its end (or start) for the claim to
# be looked for across it and its neighbours: a filter on words before any read.
JOIN_EDGE_WORDS = 2
# Quotations of one article read to find a printing's neighbours.
JOIN_MAX_QUOTES = 500

_MARKS = "\"“”„‟‘’‚‛'«»‹›「」『』"
_EDGE = _MARKS + " \t\r\n.,;:!?-()" + DASH_MARKS
# A quotation mark that is not an apostrophe inside a word (the union’s, O'Brien).
_STRAY_MARK = re.compile(rf"(?<![^\W\d_])[{_MARKS}]|[{_MARKS}](?![^\W\d_])")
_SENTENCE_END = re.compile(r"(\S+)[.!?]\s+(?=\S)")
_QUOTED = re.compile(
    r"“([^”]+)”|\"([^\"]+)\"|‘([^’]+)’(?![^\W\d_])|(?<![^\W\d_])'([^']+)'(?![^\W\d_])"
    # The marks of other languages' house styles: « », „ “, ‹ ›, 「 」, 『 』.
    r"|«([^»]+)»|„([^“”]+)[“”]|‹([^›]+)›|「([^」]+)」|『([^』]+)』"
)
# A headline's attribution before the quotation: a name and a colon ('Ruiz: "S1"').
_HEADLINE_NAME = re.compile(r"^\s*(?P<name>[^\W\d_][\w.'’-]*(?:\s+[\w.'’-]+){0,4})\s*:\s*$")
_TRAILING = re.compile(r"^(?P<words>.+?)[,;]\s*(?P<tail>[^,;]+?)[.!?]?$", re.DOTALL)


@dataclass(frozen=True)
class Joined:
    """Printings of one article that the claim runs across, in text order."""

    pieces: tuple[StoredQuote, ...]


def is_attribution(between: str, *, may_be_empty: bool = True) -> bool:
    """The text between two quotations (marks included) is only their attribution: at most
    ATTRIBUTION_MAX_WORDS words with a speech verb, no paragraph break, no sentence of
    its own and no other quotation; or nothing but punctuation."""
    inner = between.strip(_EDGE)
    if not inner:
        return may_be_empty and "\n" not in between
    if "\n" in between or _STRAY_MARK.search(inner):
        return False
    tokens = inner.split()
    if len(tokens) > ATTRIBUTION_MAX_WORDS or _has_sentence_break(inner):
        return False
    return any(speech_verb_base(t.strip(_EDGE).lower()) is not None for t in tokens)


def is_headline_name(text: str) -> bool:
    """The text before a quotation is a headline's attribution: a name of at most five
    words, each capitalised (or a name particle), then a colon ('Dr Ruiz: "…"')."""
    match = _HEADLINE_NAME.match(text)
    if match is None:
        return False
    return all(
        w[:1].isupper() or w.casefold() in NAME_PARTICLES for w in match.group("name").split()
    )


def _has_sentence_break(text: str) -> bool:
    """A full stop (or ? !) inside the text that ends a sentence, not an abbreviation
    ("Dr. Ruiz", "J. Ruiz")."""
    for match in _SENTENCE_END.finditer(text):
        token = match.group(1).lower().lstrip(_EDGE)
        if len(token) <= 1 or token in HONORIFICS or f"{token}." in TITLE_ABBREVIATIONS:
            continue
        if token in HONORIFICS or token + "." in HONORIFICS:
            continue
        return True
    return False


def claimants_words_removed(claim: str) -> str | None:
    """The claim without the words it marks as its own: an attribution around or between
    quoted pieces ('"S1," she said, "S2"' -> "S1 S2"; 'X said: "S1"' -> "S1"), a trailing
    one ("S1, he said", "S1, according to X" -> "S1"),
    [bracketed] insertions between two words (verify.editorial); None when it has none."""
    out = without_insertions(claim, inner_only=True) or claim
    out = _quoted_pieces(out) or _without_trailing_attribution(out) or out
    return out if out != claim else None


def compare_printed(claim: str, printed: str) -> Comparison:
    """compare(), and where that fails, compare() with the printing's bracketed
    insertions left out (verify.editorial)."""
    same = compare(claim, printed)
    if same.equivalent:
        return same
    plain = without_insertions(printed)
    if plain is None:
        return same
    without = compare(claim, plain)
    if not without.equivalent:
        return same
    # Brackets are the marks that set the outlet's words apart: listed as punctuation.
    insertions = tuple(
        Difference(DifferenceKind.PUNCTUATION, "", f"[{inside}]")
        for inside in re.findall(r"\[([^\[\]]*)\]", printed)
        if f"[{inside}]" not in claim
    )
    return Comparison(True, without.differences + insertions)


def _quoted_pieces(claim: str) -> str | None:
    spans = [
        (m.start(), m.end(), next(g for g in m.groups() if g is not None))
        for m in _QUOTED.finditer(claim)
    ]
    if not spans:
        return None
    before, after = claim[: spans[0][0]], claim[spans[-1][1] :]
    if len(spans) == 1 and not (before + after).strip(_EDGE):
        return None  # a claim in quotation marks, nothing more
    between = [claim[a[1] : b[0]] for a, b in itertools.pairwise(spans)]
    if not all(is_attribution(text) for text in between):
        return None
    if not (is_attribution(before) or is_headline_name(before)) or not is_attribution(after):
        return None
    return " ".join(piece.strip() for _, _, piece in spans)


def _without_trailing_attribution(claim: str) -> str | None:
    """ "S1, he said" -> "S1": a speech verb (or "according to") and a pronoun or a
    capitalised name after the claim's last comma."""
    match = _TRAILING.match(claim.strip().strip(_MARKS + " "))
    if match is None:
        return None
    tail = match.group("tail").split()
    if not 2 <= len(tail) <= TRAILING_MAX_WORDS:
        return None
    if tuple(t.lower() for t in tail[: len(ACCORDING_TO)]) == ACCORDING_TO:
        tail = ["said", *tail[len(ACCORDING_TO) :]]  # "according to X" cites X as "X said"
    verbs = [t for t in tail if speech_verb_base(t.lower()) is not None]
    others = [t for t in tail if t not in verbs]
    if len(verbs) != 1 or not others:
        return None
    if not all(t.lower() in PERSON_PRONOUNS or t[:1].isupper() for t in others):
        return None
    return match.group("words").strip()


def joined_printings(
    store: QuoteStore, claim: str, printed: Sequence[StoredQuote]
) -> Joined | None:
    """Printings, adjacent in one article and said by one speaker with only their
    attribution between them, whose words the claim runs across (a contiguous run of
    their joined words, up to case, punctuation, contractions and spelling slips, that
    no single one of them holds). Looks beside each of ``printed`` (in at most
    JOIN_MAX_ARTICLES articles)."""
    seen: set[str] = set()
    claimed = words(normalize(claim))
    for quote in printed:
        if quote.article_id in seen or quote.speaker_id is None:
            continue
        if not _may_continue(claimed, words(normalize(quote.text))):
            continue
        seen.add(quote.article_id)
        if len(seen) > JOIN_MAX_ARTICLES:
            break
        pieces = _run_around(store, quote)
        if len(pieces) < 2:
            continue
        joined = " ".join(p.text for p in pieces)
        if not compare_printed(claim, joined).equivalent:
            continue
        if any(compare_printed(claim, p.text).equivalent for p in pieces):
            continue  # one printing holds it: nothing is joined
        return Joined(tuple(pieces))
    return None


def _may_continue(claim: Sequence[str], printed: Sequence[str]) -> bool:
    """The claim may run on past this printing's end or start: its last JOIN_EDGE_WORDS
    words are in the claim before the claim's end, or its first ones after the claim's
    start. A look at the words alone, before any read of the article."""
    k = min(JOIN_EDGE_WORDS, len(printed))
    if k == 0 or len(claim) <= k:
        return False
    head, tail = tuple(printed[:k]), tuple(printed[-k:])
    return any(tuple(claim[i : i + k]) == tail for i in range(len(claim) - k)) or any(
        tuple(claim[i : i + k]) == head for i in range(1, len(claim) - k + 1)
    )


def _run_around(store: QuoteStore, quote: StoredQuote) -> list[StoredQuote]:
    """The printing and its same-speaker neighbours joined to it by an attribution only."""
    article = store.get_article(quote.article_id)
    if article is None:
        return []
    quotes, _ = store.list_quotes(article_id=quote.article_id, limit=JOIN_MAX_QUOTES)
    at = next((i for i, q in enumerate(quotes) if q.quote_id == quote.quote_id), None)
    if at is None:
        return []
    text = article.text

    def joins(a: StoredQuote, b: StoredQuote) -> bool:
        return (
            a.speaker_id == b.speaker_id
            and QuoteKind.TERM not in (a.kind, b.kind)
            and b.start >= a.end
            and is_attribution(text[a.end : b.start])
        )

    start = at
    while at - start < JOIN_MAX_PIECES and start > 0 and joins(quotes[start - 1], quotes[start]):
        start -= 1
    end = at
    while (
        end - at < JOIN_MAX_PIECES and end + 1 < len(quotes) and joins(quotes[end], quotes[end + 1])
    ):
        end += 1
    return quotes[start : end + 1]
