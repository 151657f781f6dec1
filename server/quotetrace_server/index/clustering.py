"""When two printed quotations are the same utterance (variants of one thing said).

Each rule is a kind of edit reprinting does to wire copy. Rules that tolerate more
change ask for more agreement on who spoke, so that different sentences by the same
person stay apart and the same sentence pinned on different people still meets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotetrace_server.entities.lexicon import (
    COMMON_SPEECH_VERBS,
    LEMMA_FUNCTION_WORDS,
    REPORTING_NEGATIONS,
    REPORTING_PHRASES,
    REPORTING_WORDS,
)
from quotetrace_server.entities.normalize import words as text_words
from quotetrace_server.index.similarity import (
    best_window_similarity,
    condensed_coverage,
    diverging_ends,
    has_content_word,
    is_contiguous_run,
    sequence_similarity,
)

# A quotation this long printed identically elsewhere (or verbatim inside a longer one)
# is the same utterance whoever the attributor named: the disagreement is then an
# attribution question, not two sayings. Shorter wordings are stock phrases ("We will get
# through this together") that many people say: two named speakers, two sayings.
IDENTICAL_ANY_SPEAKER_MIN_WORDS = 8
# Lemma-level Indel similarity above which two full quotations are one (edited) text.
NEAR_IDENTICAL_MIN = 0.75
NEAR_IDENTICAL_MIN_WORDS = 3
# A fragment of at least this many words found verbatim in a longer quotation belongs
# to it even when one side is unattributed; shorter fragments need the same speaker.
CONTAINED_ANY_SPEAKER_MIN_WORDS = 4
# Fragment aligned with a window of a longer quotation by the same named speaker.
FUZZY_CONTAINED_MIN = 0.8
# A fuzzy fragment shorter than this keeps every content word of its own.
FUZZY_KEY_WORDS_MAX = 8
# A condensed printing of a remark by the same named speaker: words, clauses or whole
# sentences dropped, the rest kept in order. The shorter must keep this share of its words
# in order within a stretch of the longer at most CONDENSED_SPREAD times its length, and
# be long enough that such agreement is no accident (short ones have fuzzy-contained).
CONDENSED_MIN = 0.8
CONDENSED_MIN_WORDS = 8
CONDENSED_SPREAD = 2.5
# A short fragment (under CONDENSED_MIN_WORDS) cut with words dropped from a longer
# printing by the same named speaker ("in every store by Christmas"; an aside between
# dashes left out): every one of its lemmas, at least this many, in order within a stretch
# at most CONDENSED_SPREAD times its length, with SHORT_CONDENSED_CONTENT_WORDS content
# words among them so that "we will be there" does not fit everywhere.
SHORT_CONDENSED_MIN_WORDS = 4
SHORT_CONDENSED_CONTENT_WORDS = 2
# Below this many lemmas, near-identical texts may add or drop a content word but not swap
# one: in "We need a new hospital" / "We need a new bridge" the changed word is the remark.
NEAR_IDENTICAL_KEY_WORDS_MAX = 8
# Two printings cut from one long answer at different points ("S1 S2" / "S2 S3"), same
# named speaker: the end of one aligns with the start of the other at OVERLAP_MIN over at
# least OVERLAP_MIN_WORDS lemmas (a whole sentence, not a stock phrase) holding
# OVERLAP_CONTENT_WORDS content words.
OVERLAP_MIN = 0.8
OVERLAP_MIN_WORDS = 8
OVERLAP_CONTENT_WORDS = 3
# Quotation plus the reporter's lead-in words ("they would discuss"), same named speaker.
FRAMED_MIN = 0.8
# How far before a fragment's words in a longer quotation a reporting word is looked for
# ("told us the money ...", "I never said the plan takes ...").
REPORTED_LOOKBACK = 3
# A content word this long that differs from one in the other printing by one letter
# added, dropped or two swapped ("recruting" / "recruiting") is the same word misprinted.
TYPO_MIN_LETTERS = 7
# Links between whole texts; the others attach a fragment or a re-translation.
STRONG_LINKS = frozenset({"identical", "near-identical"})


# Square brackets in a quotation hold the editor's words, not the speaker's: "[the
# mayor]" for a pronoun, "[sic]", "[...]" for words cut. A bracket touching a letter is a
# letter changed by the cut ("[w]e", "[a]lso"): its letters are the speaker's word.
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class QuoteSketch:
    words: tuple[str, ...]  # normalised surface words
    lemmas: tuple[str, ...]  # lemma key of the words
    lead: tuple[str, ...]  # lemma key of up to 3 words before the opening mark
    speaker: int | None  # corpus speaker, None when unattributed


def spoken_words(norm: str) -> tuple[str, ...]:
    """The words of a normalised quotation that the speaker said: an editor's insertion
    in square brackets left out, a bracketed letter kept in its word. Printings of one
    remark are compared on these: one outlet writes "[the mayor] has broken every
    promise", another "he has broken every promise"."""
    opening, closing = norm.find("["), norm.find("]")
    if opening < 0 and closing < 0:
        return text_words(norm)
    # normalize() trims punctuation at the ends: "[the mayor] has ..." lost its "[",
    # "... nothing [sic]" its "]".
    if closing >= 0 and (opening < 0 or closing < opening):
        norm = "[" + norm
    if norm.rfind("[") > norm.rfind("]"):
        norm += "]"
    return text_words(_BRACKETED.sub(_unbracketed, norm))


def _unbracketed(found: re.Match[str]) -> str:
    text, start, end = found.string, found.start(), found.end()
    touches_letter = (start > 0 and text[start - 1].isalnum()) or (
        end < len(text) and text[end].isalnum()
    )
    return found.group(1) if touches_letter else " "


def _speakers_compatible(a: QuoteSketch, b: QuoteSketch) -> bool:
    return a.speaker is None or b.speaker is None or a.speaker == b.speaker


def _same_named_speaker(a: QuoteSketch, b: QuoteSketch) -> bool:
    return a.speaker is not None and a.speaker == b.speaker


def link_reason(a: QuoteSketch, b: QuoteSketch) -> str | None:
    """Why ``a`` and ``b`` are one utterance, or None when they are not."""
    reason = _link_reason(a, b)
    if reason is None or reason in STRONG_LINKS:
        return reason
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if _reported_inside(short, long):
        return None
    return reason


def _reported_inside(short: QuoteSketch, long: QuoteSketch) -> bool:
    """``short``'s words stand in ``long`` as words reported by its speaker, not said:
    after a negated reporting word ("I never said the plan takes money ...": a denial),
    or after any reporting word or phrase when two named speakers differ ("The minister
    told us the money is on its way", "As the minister put it, ...", said the mayor: the
    minister's words in the mayor's mouth). A speaker's own "as I said, ..." still links
    to the remark it repeats."""
    n = len(short.words)
    others = long.speaker is not None and short.speaker is not None
    others = others and long.speaker != short.speaker
    first = short.words[0]
    for i in range(1, len(long.words) - n + 1):
        if long.words[i] != first or long.words[i : i + n] != short.words:
            continue
        for j in range(max(0, i - REPORTED_LOOKBACK), i):
            if _reports_at(long.words, j, i) and (others or _negated(long.words, j)):
                return True
    return False


def _reports_at(words: tuple[str, ...], at: int, reported: int) -> bool:
    # "told us the money ...", or a phrase ending right before the reported words ("As
    # the minister put it, every child ...").
    return words[at] in REPORTING_WORDS or (
        at + 2 == reported and (words[at], words[at + 1]) in REPORTING_PHRASES
    )


def _negated(words: tuple[str, ...], at: int) -> bool:
    # "never said", "did not say", "didn't say", "have not said": one or two words back.
    return any(w in REPORTING_NEGATIONS for w in words[max(0, at - 2) : at])


def _link_reason(a: QuoteSketch, b: QuoteSketch) -> str | None:
    if not a.words or not b.words:
        return None
    if a.words == b.words:
        if len(a.words) >= IDENTICAL_ANY_SPEAKER_MIN_WORDS or (
            _speakers_compatible(a, b) and has_content_word(a.lemmas)
        ):
            return "identical"
        return None
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if (
        len(short.words) >= IDENTICAL_ANY_SPEAKER_MIN_WORDS
        and has_content_word(short.lemmas)
        and is_contiguous_run(short.words, long.words)
    ):
        return "contained"
    if not _speakers_compatible(a, b):
        return None
    if len(short.words) < CONTAINED_ANY_SPEAKER_MIN_WORDS and not has_content_word(short.lemmas):
        # "of the", "is": a fragment of function words fits inside anything.
        return _near_identical(a, b)
    if is_contiguous_run(short.words, long.words) and (
        len(short.words) >= CONTAINED_ANY_SPEAKER_MIN_WORDS or _same_named_speaker(a, b)
    ):
        return "contained"
    if _near_identical(a, b):
        return "near-identical"
    if not _same_named_speaker(a, b):
        return None
    if (
        len(short.lemmas) >= 2
        and _keeps_key_words(short.lemmas, long.lemmas)
        and best_window_similarity(short.lemmas, long.lemmas) >= FUZZY_CONTAINED_MIN
        # Two remarks opening (or closing) with one phrase, each with its own end.
        and not diverging_ends(short.lemmas, long.lemmas)
    ):
        return "fuzzy-contained"
    if _condensed(short.lemmas, long.lemmas) or _short_condensed(short.lemmas, long.lemmas):
        return "condensed"
    if _framed_match(a, b):
        return "same-frame"
    if overlap_words(a.lemmas, b.lemmas):
        return "overlap"
    return None


def link_weight(reason: str, a: QuoteSketch, b: QuoteSketch) -> int:
    """How many words a link of ``reason`` between ``a`` and ``b`` shares: the shorter
    side, except for overlapping cuts, which share only the overlap. A printing that runs
    two remarks together goes with the one it holds more of."""
    if reason == "overlap":
        return overlap_words(a.lemmas, b.lemmas)
    return min(len(a.words), len(b.words))


def overlap_words(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Lemmas in the longest stretch where the end of one text aligns with the start of
    the other (OVERLAP_MIN), or 0 below OVERLAP_MIN_WORDS."""
    return max(_end_overlap(a, b), _end_overlap(b, a))


def _end_overlap(head: tuple[str, ...], tail: tuple[str, ...]) -> int:
    # The stretch is anchored on its first and last words (the first of ``tail``, the
    # last of ``head``) so that only a few suffix/prefix lengths are compared.
    if min(len(head), len(tail)) < OVERLAP_MIN_WORDS:
        return 0
    starts = [k for k in range(OVERLAP_MIN_WORDS, len(head) + 1) if head[-k] == tail[0]]
    ends = [j for j in range(OVERLAP_MIN_WORDS, len(tail) + 1) if tail[j - 1] == head[-1]]
    best = 0
    for k in starts:
        for j in ends:
            if abs(k - j) > max(2, k // 5) or min(k, j) <= best:
                continue
            suffix, prefix = head[-k:], tail[:j]
            if (
                sum(w not in LEMMA_FUNCTION_WORDS for w in suffix) >= OVERLAP_CONTENT_WORDS
                and sequence_similarity(suffix, prefix) >= OVERLAP_MIN
            ):
                best = min(k, j)
    return best


def links_nothing(sketch: QuoteSketch) -> bool:
    """Whether ``link_reason(sketch, other)`` is None for every other quotation.

    True of a single function word ("a", "is"): "identical" needs
    IDENTICAL_ANY_SPEAKER_MIN_WORDS words or a content word; any other text has at least
    as many words, so every other rule takes ``sketch`` (the first argument) as the
    shorter side, and a short side without a content word is only ever near-identical,
    which needs NEAR_IDENTICAL_MIN_WORDS lemmas. Such a quotation gets an utterance of
    its own without a search for candidates (an article of thousands of "a" in quotation
    marks would otherwise search once per mark).
    """
    return (
        len(sketch.words) <= 1
        and len(sketch.lemmas) < NEAR_IDENTICAL_MIN_WORDS
        and not has_content_word(sketch.lemmas)
    )


def _near_identical(a: QuoteSketch, b: QuoteSketch) -> str | None:
    shortest = min(len(a.lemmas), len(b.lemmas))
    if (
        shortest >= NEAR_IDENTICAL_MIN_WORDS
        and sequence_similarity(a.lemmas, b.lemmas) >= NEAR_IDENTICAL_MIN
        and (shortest >= NEAR_IDENTICAL_KEY_WORDS_MAX or _same_content_words(a.lemmas, b.lemmas))
    ):
        return "near-identical"
    return None


def _same_content_words(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    # A word added ("exactly") or dropped leaves one side's content words inside the
    # other's; a word swapped for another does not.
    content_a = {w for w in a if w not in LEMMA_FUNCTION_WORDS}
    content_b = {w for w in b if w not in LEMMA_FUNCTION_WORDS}
    if content_a <= content_b or content_b <= content_a:
        return True
    # One word misprinted on one side ("recruting"): read as its twin, then compare.
    only_a, only_b = content_a - content_b, content_b - content_a
    if len(only_a) != 1 or len(only_b) != 1:
        return False
    return one_typo_apart(next(iter(only_a)), next(iter(only_b)))


def one_typo_apart(x: str, y: str) -> bool:
    """``x`` and ``y`` differ by one letter added or dropped, or two neighbouring letters
    swapped, and are long enough (TYPO_MIN_LETTERS) that no other word is that close
    ("county" / "country" are two words; "recruting" is "recruiting" misprinted)."""
    if min(len(x), len(y)) < TYPO_MIN_LETTERS or x.isdigit() or y.isdigit():
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and x[diff[0]] == y[diff[1]]
            and (x[diff[1]] == y[diff[0]])
        )
    if abs(len(x) - len(y)) != 1:
        return False
    short, long = (x, y) if len(x) < len(y) else (y, x)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def _keeps_key_words(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    # In a fragment of a few words every content word is the point: "a new hospital" is
    # not "a new bridge" with one word changed. Longer fragments may differ in a content
    # word (a re-transcribed "anyone" for "anybody").
    if len(short) >= FUZZY_KEY_WORDS_MAX:
        return True
    held = set(long)
    return all(w in held for w in short if w not in LEMMA_FUNCTION_WORDS)


def _condensed(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return (
        len(short) >= CONDENSED_MIN_WORDS
        and condensed_coverage(short, long, CONDENSED_SPREAD, at_least=CONDENSED_MIN)
        >= CONDENSED_MIN
        # Two remarks opening (or closing) with one phrase, each with its own end.
        and not diverging_ends(short, long)
    )


def _short_condensed(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return (
        SHORT_CONDENSED_MIN_WORDS <= len(short) < CONDENSED_MIN_WORDS
        and sum(w not in LEMMA_FUNCTION_WORDS for w in short) >= SHORT_CONDENSED_CONTENT_WORDS
        and condensed_coverage(short, long, CONDENSED_SPREAD, at_least=1.0) >= 1.0
    )


def _framed_match(a: QuoteSketch, b: QuoteSketch) -> bool:
    # Reprints keep the reporter's lead-in while re-translating the quoted words:
    # 'They would discuss "all issues,"' / 'they would "discuss all topics."'. The quoted
    # words must still share half of the shorter quotation, and the lead-ins more than a
    # speech verb: every quotation of one speaker may follow "Novak said".
    shared = set(a.lemmas) & set(b.lemmas)
    if not a.lead or not b.lead or 2 * len(shared) < min(len(set(a.lemmas)), len(set(b.lemmas))):
        return False
    if not (set(a.lead) & set(b.lead)) - COMMON_SPEECH_VERBS:
        return False
    framed_a, framed_b = a.lead + a.lemmas, b.lead + b.lemmas
    short, long = (framed_a, framed_b) if len(framed_a) <= len(framed_b) else (framed_b, framed_a)
    return best_window_similarity(short, long) >= FRAMED_MIN
