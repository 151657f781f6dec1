"""Words as a reader sees them: hyphenated parts glued back, possessive endings folded in.

Stanza splits "Jae-myung" into three tokens and "Lee’s" into two words; names are easier to
find when each of those is one unit that remembers it was possessive.
"""

from __future__ import annotations

from dataclasses import dataclass

from quotetrace_server.entities.lexicon import HYPHEN_MARKS, HYPHENATED_PARTICLES
from quotetrace_server.nlp.model import ParsedText, Token

HYPHENS = frozenset(HYPHEN_MARKS)
POSSESSIVE_ENDINGS = frozenset({"’s", "'s", "’", "'", "’S", "'S"})


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int
    sentence: int  # index of the stanza sentence
    initial: bool  # first word of its sentence (capitalised for that reason alone)
    possessive: bool = False
    lemma: str | None = None
    upos: str | None = None
    head_token: int | None = None  # index (in the sentence) of the first token of this word
    ner: str | None = None

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_punct(self) -> bool:
        return not any(c.isalnum() for c in self.text)

    @property
    def capitalised(self) -> bool:
        """Starts with a capital, or is a name part behind a glued particle ("al-Masri")."""
        if self.text[:1].isupper():
            return True
        cut = next((i for i, c in enumerate(self.text) if c in HYPHENS), -1)
        if cut <= 0:
            return False
        particle, rest = self.text[:cut], self.text[cut + 1 :]
        return particle.lower() in HYPHENATED_PARTICLES and rest[:1].isupper()

    @property
    def is_acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def words_of(parsed: ParsedText) -> list[Word]:
    """Every word of the text in order, sentence by sentence."""
    words: list[Word] = []
    for sentence_index, sentence in enumerate(parsed.sentences):
        words.extend(_words_of_sentence(parsed.text, sentence_index, sentence.tokens))
    return words


def _words_of_sentence(text: str, sentence_index: int, tokens: tuple[Token, ...]) -> list[Word]:
    groups = _group_glued_tokens(tokens)
    words: list[Word] = []
    seen_word = False
    for first, last, possessive in groups:
        start, end = tokens[first].start, tokens[last].end
        surface = text[start:end]
        if possessive:
            end = tokens[last - 1].end
            surface = text[start:end]
        elif len(surface) > 2 and surface[-2:] in POSSESSIVE_ENDINGS and surface[-3].isalpha():
            # A possessive the tokenizer left attached ("Lee’s" as one word).
            possessive = True
            end -= 2
            surface = text[start:end]
        word = Word(
            text=surface,
            start=start,
            end=end,
            sentence=sentence_index,
            initial=not seen_word and any(c.isalnum() for c in surface),
            possessive=possessive,
            lemma=tokens[first].lemma if first == last or possessive else None,
            upos=tokens[first].upos,
            head_token=first,
            ner=tokens[first].ner,
        )
        if any(c.isalnum() for c in surface):
            seen_word = True
        words.append(word)
    return words


def _group_glued_tokens(tokens: tuple[Token, ...]) -> list[tuple[int, int, bool]]:
    """(first, last, possessive) token index groups forming one word each."""
    groups: list[tuple[int, int, bool]] = []
    index = 0
    while index < len(tokens):
        first = last = index
        # Glue pieces joined by a hyphen with no space around it (Jae-myung, Secretary-General).
        while last + 1 < len(tokens) and _glued_by_hyphen(tokens[last], tokens[last + 1]):
            last += 1
        while last > first and tokens[last].text in HYPHENS:
            last -= 1  # a dangling hyphen is punctuation, not part of the word
        possessive = False
        if (
            last + 1 < len(tokens)
            and tokens[last + 1].text in POSSESSIVE_ENDINGS
            and tokens[last + 1].start == tokens[last].end
            and tokens[last].text[-1:].isalpha()
        ):
            last += 1
            possessive = True
        groups.append((first, last, possessive))
        index = last + 1
    return groups


def _glued_by_hyphen(left: Token, right: Token) -> bool:
    if right.start != left.end or not left.text or not right.text:
        return False
    return left.text[-1] in HYPHENS or right.text[0] in HYPHENS
