"""Vocabulary that more than one stage reads lives once in entities.lexicon, and the
stages read it alike: contractions (index.similarity's lemma key and verify.wording),
pronouns that name nobody (entities.lexicon.is_speaker_name and verify.verifier), month
names (ingest.metadata's dates and entities.finder's names), speech verb forms
(attribution.cues, entities.lexicon, the lemma key), dashes (index.names,
verify.debris). Where a reader has always read less, the difference is a named subset.
Every sentence and name here is invented."""

from __future__ import annotations

from string import ascii_letters

import pytest

from quotetrace_server.attribution.cues import speech_verb_base
from quotetrace_server.entities.lexicon import (
    COMMON_SPEECH_VERBS,
    DASH_MARKS,
    HYPHEN_MARKS,
    IRREGULAR_VERB_BASES,
    KEY_UNEXPANDED_CONTRACTIONS,
    MONTH_NUMBERS,
    MONTHS_AND_DAYS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    WEEKDAYS,
    inflection_bases,
    is_inverted_speech_verb,
    is_speaker_name,
)
from quotetrace_server.index.names import name_key
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.ingest.metadata import stated_date
from quotetrace_server.verify.debris import without_debris
from quotetrace_server.verify.verifier import names_its_speaker
from quotetrace_server.verify.wording import expansions


@pytest.mark.parametrize(
    "contraction",
    ["we'll", "they’re", "you've", "I'm", "won't", "can't", "let's", "she's", "we'd", "isn't"],
)
def test_the_clustering_key_reads_a_contraction_as_verify_first_reads_it(
    contraction: str,
) -> None:
    first_reading = expansions(contraction.replace("’", "'"))[0]
    assert lemma_key((contraction.casefold(),)) == lemma_key(first_reading)


@pytest.mark.parametrize("contraction", [*sorted(KEY_UNEXPANDED_CONTRACTIONS), "nobody's"])
def test_the_forms_the_key_leaves_unexpanded_are_the_named_ones(contraction: str) -> None:
    first_reading = expansions(contraction)[0]
    assert lemma_key((contraction,)) != lemma_key(first_reading)


def test_a_possessive_is_no_contraction_for_either_reader() -> None:
    assert expansions("Varga's") == ()
    assert lemma_key(("varga's",)) != lemma_key(("varga", "is"))


@pytest.mark.parametrize("pronoun", sorted(SUBJECT_PRONOUNS))
def test_a_pronoun_names_no_speaker_at_any_stage(pronoun: str) -> None:
    assert not is_speaker_name(pronoun.capitalize())
    assert not names_its_speaker(pronoun)


def test_a_dateline_month_is_read_from_the_one_month_list() -> None:
    assert frozenset(MONTH_NUMBERS) | WEEKDAYS == MONTHS_AND_DAYS
    assert stated_date(["Port Elvan, Sept. 3, 2025"]) == "2025-09-03"
    assert stated_date(["14 Feb 2024"]) == "2024-02-14"


@pytest.mark.parametrize(("form", "base"), [("said", "say"), ("told", "tell"), ("wrote", "write")])
def test_an_irregular_speech_verb_is_read_from_the_one_verb_table(form: str, base: str) -> None:
    assert IRREGULAR_VERB_BASES[form] == base
    assert speech_verb_base(form) == base
    assert lemma_key((form,)) == (base,)


@pytest.mark.parametrize(("word", "base"), [("Replies", "reply"), ("Adds", "add")])
def test_an_inverted_cue_and_a_cue_verb_undo_the_same_endings(word: str, base: str) -> None:
    assert base in inflection_bases(word.lower())
    assert is_inverted_speech_verb(word)
    assert speech_verb_base(word.lower()) == base


def test_the_clustering_lead_verbs_are_speech_verbs() -> None:
    assert COMMON_SPEECH_VERBS <= SPEECH_VERBS


def test_a_dash_is_read_alike_by_the_name_key_and_the_credit_reader() -> None:
    assert {*HYPHEN_MARKS, *DASH_MARKS}.isdisjoint(ascii_letters)
    for dash in DASH_MARKS:
        assert name_key(f"Ilse{dash}Varga") == "ilse varga"
        assert without_debris(f"We will rebuild the pier {dash} The Tollbridge Post") == (
            "We will rebuild the pier"
        )
