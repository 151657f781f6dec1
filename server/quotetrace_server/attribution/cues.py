"""Speech cues: verbs (and a few nouns) that tell the reader someone said something."""

from __future__ import annotations

from functools import lru_cache

from quotetrace_server.entities.lexicon import (
    IRREGULAR_VERB_BASES,
    SPEECH_VERBS,
    inflection_bases,
    word_set,
)

# Forms of speech verbs that no regular ending undoes: the irregular verbs' ("said",
# "told", "wrote": lexicon.IRREGULAR_VERB_BASES), a doubled last consonant ("admitted",
# "snapped"), and "read", a cue in its bare form although it is one of NOUN_LIKE_VERBS.
IRREGULAR_FORMS: dict[str, str] = {
    form: base for form, base in IRREGULAR_VERB_BASES.items() if base in SPEECH_VERBS
} | {
    "saying": "say",
    "admitted": "admit",
    "admitting": "admit",
    "quipped": "quip",
    "quipping": "quip",
    "snapped": "snap",
    "snapping": "snap",
    "read": "read",
}

SPEECH_NOUNS = word_set(
    """
    statement statements remarks remark speech interview proverb toast words message
    comments comment tweet post saying quote declaration announcement answer reply response
    paraphrase warning plea
    """
)

# Nouns for what someone said or thought, that a following sentence can credit to its
# source: "“…” That was the view of Ana Ruiz.", "The warning came from …".
SOURCE_NOUNS = SPEECH_NOUNS | word_set(
    "view verdict assessment conclusion reaction advice complaint opinion diagnosis"
)

# Verbs whose bare and -s forms are more often nouns ("state media", "a report"): only their
# -ed and -ing forms count as cues unless a POS tag says verb.
NOUN_LIKE_VERBS = word_set(
    """
    state post report call question answer comment charge read toast quote counter brand
    label demand estimate forecast joke remark tweet praise promise pledge continue claim
    note stress hint vow caution
    """
)

ACCORDING_TO = ("according", "to")
IN_THE_WORDS_OF = ("in", "the", "words", "of")


@lru_cache(maxsize=4096)
def speech_verb_base(word: str, lemma: str | None = None, upos: str | None = None) -> str | None:
    """Base form if `word` is a form of a speech verb ("stressed" -> "stress"), else None."""
    if upos is not None and upos not in ("VERB", "AUX"):
        return None
    if lemma and lemma.lower() in SPEECH_VERBS:
        return lemma.lower()
    lower = word.lower()
    if lower in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[lower]
    for base in (lower, *inflection_bases(lower)):
        if base in SPEECH_VERBS:
            if base in NOUN_LIKE_VERBS and upos is None and not lower.endswith(("ed", "ing")):
                return None
            return base
    return None


def is_speech_noun(word: str) -> bool:
    return word.lower() in SPEECH_NOUNS
