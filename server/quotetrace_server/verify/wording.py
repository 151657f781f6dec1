"""Is the query the same words as a printed wording, and how does it differ from it?

Some differences do not change what was said, and the verdict does not count them as an
alteration (issue 13): the query is *equivalent* to a printed wording when it is that
wording, or a contiguous run of its whole words, up to

- **case** ("putin" / "Putin");
- **punctuation**: marks inside or around a word ("issues" / "issues,", "Thats" / "That's",
  "hair-splitting" / "hair splitting"); typographic forms (curly vs straight quotes, NFKC
  compatibility characters) are not even differences;
- **contraction**: an English contraction and its expansion ("I'm" / "I am", "won't" /
  "will not", "can't" / "cannot"); the table below, not a guess: "'s" expands only after a
  pronoun or "there/here/that/what/..." (after a name it is a possessive), "'d" to
  "would" or "had";
- **spelling**: at most MAX_SPELLING_SLIPS words at Damerau-Levenshtein distance 1 from the
  printed word, both of at least MIN_SLIP_LETTERS letters, no digits, and not both English
  words (pyspellchecker's dictionary): "fihgt" / "fight" is a slip, "tread" / "treat" is a
  different word. A spelling *variant* is not a slip and has no limit: a UK and a US
  spelling ("organise" / "organize", "programme" / "program") and a number as a figure or
  in words ("12" / "twelve", "5%" / "five per cent" / "5 percent"), the forms a house
  style chooses.

Any other difference is a changed **word**. The comparison is an alignment of whole words
(dynamic programming over query and printed word positions, cheapest in spelling slips,
then in differences), so its work is bounded by the two lengths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from quotetrace_server.entities.lexicon import (
    CONTRACTION_SUFFIXES,
    IRREGULAR_CONTRACTIONS,
    PER_CENT,
    PERCENT_WORDS,
    S_CONTRACTION_HOSTS,
)
from quotetrace_server.entities.normalize import fold_typography, strip_punctuation
from quotetrace_server.entities.numbers import may_start_amount, number_figure
from quotetrace_server.index.similarity import us_spelling
from quotetrace_server.verify.amounts import MAX_AMOUNT_WORDS, same_amount_runs
from quotetrace_server.verify.model import Difference, DifferenceKind, DiffOp, DiffSegment
from quotetrace_server.verify.written_forms import in_house_order, may_restyle, written_forms

MAX_SPELLING_SLIPS = 1
MIN_SLIP_LETTERS = 5

_NOT_WORD = re.compile(r"[\W_]+")
# The sign for "and", a token of its own that edge trimming would empty: kept as "and".
AMPERSAND = "&"
_SPLITS = re.compile(r"[^\w']+")


@dataclass(frozen=True)
class Word:
    """One whitespace token: its word with typographic forms folded (edge punctuation
    off), the punctuation before and after it, its comparison key (case folded, letters
    and digits only), and the token as the text has it (what a difference shows)."""

    shown: str
    lead: str
    trail: str
    key: str
    raw: str

    @property
    def raw_word(self) -> str:
        return strip_punctuation(self.raw) or self.raw


@dataclass(frozen=True)
class Comparison:
    """How a query relates to one printed wording."""

    equivalent: bool  # the same words, up to the differences listed (none a WORD)
    differences: tuple[Difference, ...]

    @property
    def spelling_slips(self) -> int:
        return sum(is_slip(d) for d in self.differences)


@lru_cache(maxsize=1024)  # a printed wording is compared with query after query
def tokens(text: str) -> tuple[Word, ...]:
    out: list[Word] = []
    raws = text.split()
    folded = fold_typography(text).split()
    if len(folded) != len(raws):  # NFKC changed a token boundary: fold token by token
        folded = [fold_typography(raw) for raw in raws]
    for raw, token in zip(raws, folded, strict=True):
        shown = strip_punctuation(token)
        if token == AMPERSAND:  # "trade & security": the sign is the word "and"
            out.append(Word(token, "", "", "and", raw))
            continue
        if not shown:
            continue
        at = token.find(shown)
        key = _NOT_WORD.sub("", shown.casefold()) or shown.casefold()
        out.append(Word(shown, token[:at], token[at + len(shown) :], key, raw))
    return tuple(out)


@lru_cache(maxsize=4096)
def expansions(word: str) -> tuple[tuple[str, ...], ...]:
    """The words a contraction stands for ("we'll" -> ("we", "will")); () for any other."""
    folded = word.casefold()
    if "'" not in folded:
        return ()
    if folded in IRREGULAR_CONTRACTIONS:
        return (IRREGULAR_CONTRACTIONS[folded],)
    for suffix, meanings in CONTRACTION_SUFFIXES:
        stem = folded.removesuffix(suffix)
        if stem == folded or not stem.isalpha():
            continue
        if suffix == "'s" and stem not in S_CONTRACTION_HOSTS:
            return ()
        return tuple((stem, m) for m in meanings)
    return ()


@cache
def _dictionary() -> frozenset[str] | None:
    """English words known to pyspellchecker (shipped with it; nothing downloads)."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def is_english_word(key: str) -> bool:
    words = _dictionary()
    return words is not None and key in words


def is_spelling_slip(query_key: str, printed_key: str) -> bool:
    """One letter added, dropped, changed or two swapped in a longish word, where the two
    forms are not both dictionary words (that would be a different word)."""
    if query_key == printed_key:
        return False
    if min(len(query_key), len(printed_key)) < MIN_SLIP_LETTERS:
        return False
    if not (query_key.isalpha() and printed_key.isalpha()):
        return False
    if DamerauLevenshtein.distance(query_key, printed_key, score_cutoff=1) > 1:
        return False
    return not (is_english_word(query_key) and is_english_word(printed_key))


@lru_cache(maxsize=4096)
def variant_form(text: str) -> tuple[str, ...]:
    """The words of ``text`` with each spelling a house style chooses folded: figures for
    number words, US for UK spellings, "percent" for "per cent", none after a figure,
    "and" for "&", and ordinals, ranges, measures and dates as verify.written_forms
    writes them."""
    out: list[str] = []
    for token in text.split():
        word = strip_punctuation(token.casefold())
        key = _NOT_WORD.sub("", word)
        if token == AMPERSAND:
            out.append("and")
            continue
        if not key:
            continue
        if key == PER_CENT[1] and out and out[-1] == PER_CENT[0]:
            out[-1] = "percent"
            continue
        written = written_forms(word)  # before the figure: "5-10" is no "510"
        if written is not None:
            out += written
            continue
        figure = key if key.isdigit() else number_figure(word)
        if figure is None and key not in PERCENT_WORDS:
            unit = written_forms(us_spelling(key), out[-1] if out else "")
            if unit is not None:  # "twelve kilometres": "12 km"
                out += unit
                continue
        out.append(figure or ("percent" if key in PERCENT_WORDS else us_spelling(key)))
    return in_house_order(
        [w for k, w in enumerate(out) if not (w == "percent" and k and out[k - 1].isdigit())]
    )


def is_spelling_variant(query_text: str, printed_text: str) -> bool:
    """Two writings of the same words that differ only in the spelling a house style
    chooses ("organise" / "organize", "twelve" / "12", "5%" / "five per cent")."""
    # Words of the same letters are not variants of each other ("well" / "we'll").
    return _letters(query_text) != _letters(printed_text) and variant_form(
        query_text
    ) == variant_form(printed_text)


def _letters(text: str) -> tuple[str, ...]:
    keys = (_NOT_WORD.sub("", word.casefold()) for word in text.split())
    return tuple(k for k in keys if k)


def is_slip(difference: Difference) -> bool:
    """A SPELLING difference that is a one-letter slip, not a spelling variant."""
    return difference.kind is DifferenceKind.SPELLING and not is_spelling_variant(
        difference.query_text, difference.variant_text
    )


# --- alignment ----------------------------------------------------------------------------

_Cost = tuple[int, int]  # (spelling slips, differences)
_Step = tuple[int, int, Difference | None]  # words taken from query, from printing; what differs


def compare(query: str, printed: str, *, anchored: bool = False) -> Comparison:
    """Whether ``query`` is ``printed`` (or, unless ``anchored``, a contiguous run of its
    whole words) up to case, punctuation, contractions and spelling slips, and the
    differences of the cheapest such alignment; not equivalent otherwise."""
    q, p = tokens(query), tokens(printed)
    if not q:
        return Comparison(False, ())
    best = _align(q, p, anchored)
    if best is None:
        return Comparison(False, ())
    return Comparison(True, best)


def _align(q: Sequence[Word], p: Sequence[Word], anchored: bool) -> tuple[Difference, ...] | None:
    # frontier[i][j] = (cost, differences): query words [0, i) aligned, ending before
    # printed word j. Steps always take at least one word from each side.
    _State = tuple[_Cost, tuple[Difference, ...]]
    frontier: list[dict[int, _State]] = [{} for _ in range(len(q) + 1)]
    starts = [0] if anchored else _starts(q[0], p)
    frontier[0] = {j: ((0, 0), ()) for j in starts}
    for i in range(len(q)):
        for j, (cost, diffs) in sorted(frontier[i].items()):
            for dq, dp, diff in _steps(q, p, i, j):
                slips = cost[0] + (diff is not None and is_slip(diff))
                if slips > MAX_SPELLING_SLIPS:
                    continue
                new_cost = (slips, cost[1] + (diff is not None))
                new_diffs = (*diffs, diff) if diff is not None else diffs
                if i + dq == len(q) and anchored and j + dp != len(p):
                    continue
                old = frontier[i + dq].get(j + dp)
                if old is None or new_cost < old[0]:
                    frontier[i + dq][j + dp] = (new_cost, new_diffs)
        frontier[i] = {}  # done with: free it
    done = frontier[len(q)]
    if not done:
        return None
    return min(done.items(), key=lambda d: (d[1][0], d[0]))[1][1]


def _starts(first: Word, p: Sequence[Word]) -> list[int]:
    """Printed positions where an alignment of the query's first word can start: a word
    with its key, a possible slip of it, the start of its expansion or of its parts, or a
    printed word that is itself a contraction or a compound (a superset; _steps decides).
    Found through the printing's vocabulary, so a long printing costs one dict pass."""
    heads = {first.key}
    for expansion in expansions(first.shown):
        heads |= {expansion[0], "".join(expansion)}
    heads |= set(_parts(first.shown)[:1])
    by_key: dict[str, list[int]] = {}
    for j, word in enumerate(p):
        by_key.setdefault(word.key, []).append(j)
    form = variant_form(first.shown)
    keys = {
        k
        for k in by_key
        if k in heads or is_spelling_slip(first.key, k) or variant_form(k)[:1] == form[:1]
    }
    starts = {j for k in keys for j in by_key[k]}
    starts |= {j for j, word in enumerate(p) if "'" in word.shown or _parts(word.shown)[1:]}
    if may_start_amount(first.shown):  # "two hundred" / "200": an amount written otherwise
        starts |= {j for j, word in enumerate(p) if may_start_amount(word.shown)}
    if may_restyle(first.key):  # "March 3" / "3 March": a date written otherwise
        starts |= {j for j, word in enumerate(p) if may_restyle(word.key)}
    return sorted(starts)


def _steps(q: Sequence[Word], p: Sequence[Word], i: int, j: int) -> list[_Step]:
    """Every way query word i can pair with printed words from j on."""
    steps: list[_Step] = []
    if j >= len(p):
        return steps
    a, b = q[i], p[j]
    edges = (i == 0, i == len(q) - 1)
    if a.key == b.key and not _is_homograph(a.shown, b.shown) and _same_amount(a, b):
        steps.append((1, 1, _form_difference(a, b, edges)))
    elif (is_spelling_variant(a.shown, b.shown) and _same_amount(a, b)) or is_spelling_slip(
        a.key, b.key
    ):
        steps.append((1, 1, Difference(DifferenceKind.SPELLING, a.raw_word, b.raw_word)))
    steps += _percent_steps(q, p, i, j, query_side=True)
    steps += _percent_steps(p, q, j, i, query_side=False)
    steps += _contraction_steps(q, p, i, j, query_side=True)
    steps += _contraction_steps(p, q, j, i, query_side=False)
    steps += _split_steps(q, p, i, j, query_side=True)
    steps += _split_steps(p, q, j, i, query_side=False)
    if may_start_amount(a.shown) and may_start_amount(b.shown):
        steps += _amount_steps(q, p, i, j)
    if may_restyle(a.key) or may_restyle(b.key):
        steps += _restyled_steps(q, p, i, j)
    return steps


# The most words a date, a range or a measure is written in ("five to ten per cent").
MAX_RESTYLED_WORDS = 5


def _restyled_steps(q: Sequence[Word], p: Sequence[Word], i: int, j: int) -> list[_Step]:
    """Runs from q[i] and p[j] on that write one number, range, measure or date in two
    house styles (verify.written_forms): "5-10%" / "five to ten per cent", "12km" /
    "twelve kilometres", "3 March" / "March 3". A run whose first or last words pair up
    as words of their own while the rest is alike too is left to the shorter steps: each
    difference lists no more words than it is."""
    steps: list[_Step] = []
    for n in range(1, min(MAX_RESTYLED_WORDS, len(q) - i) + 1):
        said = q[i : i + n]
        for m in range(1, min(MAX_RESTYLED_WORDS, len(p) - j) + 1):
            shown = p[j : j + m]
            if n == m == 1 or not _alike(said, shown) or _splits(said, shown):
                continue
            said_text = " ".join(w.raw_word for w in said)
            shown_text = " ".join(w.raw_word for w in shown)
            steps.append((n, m, Difference(DifferenceKind.SPELLING, said_text, shown_text)))
    return steps


def _alike(said: Sequence[Word], shown: Sequence[Word]) -> bool:
    """Two runs write the same words, in one house style or two, percentages alike."""
    if _has_percent(said) != _has_percent(shown):
        return False
    return variant_form(" ".join(w.raw_word for w in said)) == variant_form(
        " ".join(w.raw_word for w in shown)
    )


def _splits(said: Sequence[Word], shown: Sequence[Word]) -> bool:
    """The runs are alike word for word at their start or end and alike in the rest."""
    if len(said) < 2 or len(shown) < 2:
        return False
    return (_pair_up(said[0], shown[0]) and _alike(said[1:], shown[1:])) or (
        _pair_up(said[-1], shown[-1]) and _alike(said[:-1], shown[:-1])
    )


def _pair_up(a: Word, b: Word) -> bool:
    return variant_form(a.shown) == variant_form(b.shown)


def _has_percent(run: Sequence[Word]) -> bool:
    """The run writes a percentage: a "%" sign or the word ("percent", "per cent")."""
    return any("%" in w.trail or w.key in PERCENT_WORDS or w.key == PER_CENT[1] for w in run)


def _with_percent(word: Word) -> str:
    # A percent sign is part of the amount: "forty" is not "40%" (_percent_steps reads it).
    return word.shown + "%" if word.trail.startswith("%") else word.shown


def _amount_steps(q: Sequence[Word], p: Sequence[Word], i: int, j: int) -> list[_Step]:
    """One amount written two ways from q[i] and p[j] on (verify.amounts)."""
    steps: list[_Step] = []
    ahead = MAX_AMOUNT_WORDS
    query = [_with_percent(w) for w in q[i : i + ahead]]
    printed = [_with_percent(w) for w in p[j : j + ahead]]
    for n, m in same_amount_runs(query, printed):
        said = " ".join(w.raw_word for w in q[i : i + n])
        shown = " ".join(w.raw_word for w in p[j : j + m])
        steps.append((n, m, Difference(DifferenceKind.SPELLING, said, shown)))
    return steps


def _is_homograph(a: str, b: str) -> bool:
    """A contraction against the word its letters spell without the apostrophe ("we're" /
    "were", "we'll" / "well"): two different words, not a punctuation slip."""
    if ("'" in a) == ("'" in b):
        return False
    contraction, other = (a, b) if "'" in a else (b, a)
    return bool(expansions(contraction)) and is_english_word(_NOT_WORD.sub("", other.casefold()))


def _form_difference(a: Word, b: Word, edges: tuple[bool, bool]) -> Difference | None:
    """The difference between two words with one key: case, inner or edge punctuation.

    A query's first word's leading marks and last word's trailing marks are how a quote
    is quoted (quote marks, a full stop), and so is the case of its first letter: not
    differences.
    """
    if a.shown != b.shown:
        if edges[0] and _same_but_initial(a.shown, b.shown):
            return None  # a quote's first letter is capitalised or not where it is quoted
        if a.shown.casefold() == b.shown.casefold():
            return Difference(DifferenceKind.CASE, a.raw_word, b.raw_word)
        return Difference(DifferenceKind.PUNCTUATION, a.raw_word, b.raw_word)
    lead_differs = not edges[0] and _marks(a.lead) != _marks(b.lead)
    trail_differs = not edges[1] and _marks(a.trail) != _marks(b.trail)
    if lead_differs or trail_differs:
        return Difference(DifferenceKind.PUNCTUATION, a.raw, b.raw)
    return None


def _same_amount(a: Word, b: Word) -> bool:
    """A percent sign is not punctuation: "5%" and "5" are different amounts, wherever in
    the quote the figure stands (a written-out "percent" is matched by _percent_steps)."""
    return a.trail.startswith("%") == b.trail.startswith("%")


def _same_but_initial(a: str, b: str) -> bool:
    return a[1:] == b[1:] and a[:1].casefold() == b[:1].casefold()


def _marks(edge: str) -> str:
    # Quote marks around a word are nesting, not wording: '"no"' and "'no'" match.
    return edge.replace('"', "").replace("'", "")


def _contraction_steps(
    short: Sequence[Word], long: Sequence[Word], s: int, t: int, *, query_side: bool
) -> list[_Step]:
    """A contraction at short[s] against its expansion from long[t] on (or against one
    word spelling the expansion solid, "can't" / "cannot")."""
    steps: list[_Step] = []
    word = short[s]
    for expansion in expansions(word.shown):
        n = len(expansion)
        run = long[t : t + n]
        if len(run) == n and tuple(w.key for w in run) == expansion:
            steps.append(_oriented(1, n, word, run, DifferenceKind.CONTRACTION, query_side))
        elif "".join(expansion) == long[t].key and "'" not in long[t].shown:
            solid = long[t : t + 1]
            steps.append(_oriented(1, 1, word, solid, DifferenceKind.CONTRACTION, query_side))
    return steps


def _percent_steps(
    short: Sequence[Word], long: Sequence[Word], s: int, t: int, *, query_side: bool
) -> list[_Step]:
    """A figure with its sign ("5%") against the figure and "percent" or "per cent"
    written out ("5 percent", "five per cent"), and "percent" against "per cent"."""
    word = short[s]
    sizes: tuple[int, ...]
    if word.trail.startswith("%"):
        said, sizes = f"{word.shown} percent", (2, 3)
    elif word.key in PERCENT_WORDS:
        said, sizes = word.shown, (2,)
    else:
        return []
    steps: list[_Step] = []
    for n in sizes:
        run = long[t : t + n]
        if len(run) == n and variant_form(said) == variant_form(" ".join(w.shown for w in run)):
            steps.append(_oriented(1, n, word, run, DifferenceKind.SPELLING, query_side))
    return steps


def _split_steps(
    short: Sequence[Word], long: Sequence[Word], s: int, t: int, *, query_side: bool
) -> list[_Step]:
    """One word joined by a hyphen or slash against its parts printed apart."""
    parts = _parts(short[s].shown)
    n = len(parts)
    run = long[t : t + n]
    if n < 2 or len(run) != n or tuple(w.key for w in run) != parts:
        return []
    return [_oriented(1, n, short[s], run, DifferenceKind.PUNCTUATION, query_side)]


@lru_cache(maxsize=4096)
def _parts(word: str) -> tuple[str, ...]:
    """The keys of a word's parts when split at hyphens, slashes and the like."""
    keys = (_NOT_WORD.sub("", part.casefold()) for part in _SPLITS.split(word))
    return tuple(k for k in keys if k)


def _oriented(
    one: int, many: int, word: Word, run: Sequence[Word], kind: DifferenceKind, query_side: bool
) -> _Step:
    joined = " ".join(w.raw_word for w in run)
    if query_side:
        return (one, many, Difference(kind, word.raw_word, joined))
    return (many, one, Difference(kind, joined, word.raw_word))


# --- differences of a wording that is not equivalent ---------------------------------------


def diff_differences(segments: Sequence[DiffSegment]) -> tuple[Difference, ...]:
    """The differences a word diff shows, each classified: a changed run that is the same
    words up to form (a contraction, a slip, punctuation) gets that kind, any other a WORD.
    Words the printing has before or after the query's are an excerpt, not a difference."""
    inner = list(segments)
    while inner and inner[0].op is DiffOp.INSERT:
        inner.pop(0)
    while inner and inner[-1].op is DiffOp.INSERT:
        inner.pop()
    out: list[Difference] = []
    for segment in inner:
        if segment.op is DiffOp.EQUAL:
            continue
        same = (
            compare(segment.query_text, segment.variant_text, anchored=True)
            if segment.query_text and segment.variant_text
            else Comparison(False, ())
        )
        if same.equivalent and same.differences:
            out += same.differences
        else:
            out.append(Difference(DifferenceKind.WORD, segment.query_text, segment.variant_text))
    return tuple(out)
