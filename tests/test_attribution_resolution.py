"""Stage 2 of attribution (resolve.py) and the classes of error it closes, pinned with
sentences written for these tests: pronouns, definite descriptions, acronyms, apposition,
headline echoes, continuations across captions, scare terms and junk speakers."""

from __future__ import annotations

import pytest

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.attribution.model import AttributedQuote, QuoteKind
from quotetrace_server.entities.lexicon import is_speaker_name
from quotetrace_server.nlp.pipeline import NlpPipeline


@pytest.fixture(scope="module")
def attributor(models_dir: str) -> Attributor:
    return Attributor(NlpPipeline.shared(models_dir))


def quote(attributor: Attributor, text: str, start_of_quote: str) -> AttributedQuote:
    quotes = attributor.attribute(text).quotes
    return next(q for q in quotes if q.text.startswith(start_of_quote))


def test_pronoun_two_paragraphs_after_the_name_finds_her(attributor: Attributor) -> None:
    text = (
        "Ana Ruiz chairs the harbour board.\n\n"
        "The board met on Tuesday to review the budget.\n\n"
        "It was the third meeting this year.\n\n"
        "“We cannot keep borrowing,” she said."
    )
    q = quote(attributor, text, "We cannot")
    assert (q.speaker, q.sieve, q.resolution) == ("Ana Ruiz", "pronoun", "pronoun_recent")


def test_pronoun_prefers_the_sentence_subject_over_an_earlier_speaker(
    attributor: Attributor,
) -> None:
    text = (
        "“Leave the coast tonight,” Mayor Ines Duarte said.\n\n"
        "Governor Paulo Brandt, meanwhile, declared an emergency, and he warned that the "
        "track could shift.\n\n"
        "“The storm has slowed down,” he explained."
    )
    assert quote(attributor, text, "The storm").speaker == "Paulo Brandt"


def test_pronoun_in_a_leading_clause_points_forward(attributor: Attributor) -> None:
    text = (
        "Tomas Berg was sentenced on Friday.\n\n"
        "Even as she praised his plan as “bold,” Judge Marta Ilves rejected the appeal."
    )
    q = quote(attributor, text, "bold")
    assert (q.speaker, q.resolution) == ("Marta Ilves", "pronoun_cataphora")


def test_definite_description_resolves_by_the_title_the_article_gave(
    attributor: Attributor,
) -> None:
    text = "Gov. Paula Grant spoke on Monday.\n\n“Leave now,” the governor said."
    q = quote(attributor, text, "Leave now")
    assert (q.speaker, q.speaker_mention, q.resolution) == (
        "Paula Grant",
        "the governor",
        "nominal_role",
    )


def test_role_given_in_apposition_resolves_the_description(attributor: Attributor) -> None:
    text = (
        "Saluting the fans is Rolf Anders, the coach of the city club, after the game.\n\n"
        "“We gave everything,” the coach said."
    )
    assert quote(attributor, text, "We gave").speaker == "Rolf Anders"


def test_nationality_description_is_the_article_s_person(attributor: Attributor) -> None:
    text = (
        "Lars Holm arrived at the club in 2015 and won the league twice.\n\n"
        "“I am tired,” said the 41-year-old Dane."
    )
    q = quote(attributor, text, "I am tired")
    assert (q.speaker, q.resolution) == ("Lars Holm", "nominal_salient")


def test_acronym_is_the_organisation_it_spells(attributor: Attributor) -> None:
    text = (
        "The Northern Weather Office (NWO) issued a warning on Monday.\n\n"
        "“The storm is growing,” the NWO said."
    )
    assert quote(attributor, text, "The storm").speaker == "Northern Weather Office"


def test_according_to_covers_every_quotation_of_its_sentence(attributor: Attributor) -> None:
    text = (
        "The Coastal Rescue Agency said the sea was rough.\n\n"
        "The waves are “dangerous” and “rising fast,” according to the agency."
    )
    for start in ("dangerous", "rising fast"):
        q = quote(attributor, text, start)
        assert (q.speaker, q.resolution) == ("Coastal Rescue Agency", "nominal_org")


def test_person_named_after_an_organisation_title_speaks(attributor: Attributor) -> None:
    text = "The fine is a “warning” to others, Harbour Council for Trade CEO Lina Moss told us."
    assert quote(attributor, text, "warning").speaker == "Lina Moss"


def test_apposition_title_is_not_the_speaker(attributor: Attributor) -> None:
    text = "“Rates will fall,” Omar Reyes, Chief Rates Strategist at Bolt Bank, said in a note."
    assert quote(attributor, text, "Rates will").speaker == "Omar Reyes"


def test_inverted_cue_reaches_the_name_over_coordinated_titles(attributor: Attributor) -> None:
    text = "“Prices are falling,” said Acme founder and chief executive Ana Ruiz."
    assert quote(attributor, text, "Prices").speaker == "Ana Ruiz"


def test_participle_after_a_comma_takes_the_main_subject(attributor: Attributor) -> None:
    text = "Coach Tom Berg has said he will leave Northtown FC, saying he is “worn out”."
    assert quote(attributor, text, "worn out").speaker == "Tom Berg"


def test_in_the_words_of_names_the_speaker(attributor: Attributor) -> None:
    text = "Good things come to those who work. Or, in the words of Mira Kovac, “Luck is earned.”"
    assert quote(attributor, text, "Luck").speaker == "Mira Kovac"


def test_headline_quotation_takes_the_speaker_of_the_body_that_repeats_it(
    attributor: Attributor,
) -> None:
    text = (
        "‘Never again this storm’: Harbour chief’s stark warning\n\n"
        "Port director Nils Aalto said on Monday that the town would see "
        "“never again this storm” if the wall was built."
    )
    q = quote(attributor, text, "Never again")
    assert (q.speaker, q.sieve) == ("Nils Aalto", "echo")


def test_continuation_carries_over_a_photo_caption(attributor: Attributor) -> None:
    text = (
        "Coach Rolf Anders said: “We will fight for every point this season.\n\n"
        "Rolf Anders at the training ground (Photo: Agency)\n\n"
        "“I love this club and I love the city.”"
    )
    q = quote(attributor, text, "I love")
    assert (q.speaker, q.kind) == ("Rolf Anders", QuoteKind.CONTINUATION)


def test_pronoun_i_and_nationalities_are_never_speakers(attributor: Attributor) -> None:
    q = quote(attributor, "“I said no,” I told him.", "I said")
    assert q.speaker is None
    assert not is_speaker_name("I")
    assert not is_speaker_name("German")
    assert not is_speaker_name("Chief Strategist")
    assert not is_speaker_name("agency")
    assert is_speaker_name("Ana Ruiz")
    assert is_speaker_name("Coastal Rescue Agency")


def test_label_in_the_writer_s_noun_phrase_is_a_term(attributor: Attributor) -> None:
    text = "The agency also has an online “road map” for employers, the board said."
    assert quote(attributor, text, "road map").kind == QuoteKind.TERM
    text = "Prices rose after what analysts call “shrinkflation” in shops."
    assert quote(attributor, text, "shrinkflation").kind == QuoteKind.TERM


def test_a_person_s_evaluative_word_stays_a_partial_quotation(attributor: Attributor) -> None:
    text = "The ruling offers a “crucial” lesson to others, union leader Ana Ruiz told reporters."
    q = quote(attributor, text, "crucial")
    assert (q.speaker, q.kind) == ("Ana Ruiz", QuoteKind.PARTIAL)
    text = "Judge Marta Ilves condemned the banker as a ‘thief’ and closed the case."
    q = quote(attributor, text, "thief")
    assert (q.speaker, q.kind) == ("Marta Ilves", QuoteKind.PARTIAL)


def test_weekday_before_a_surname_is_not_part_of_the_name(attributor: Attributor) -> None:
    text = (
        "Judge Marta Ilves heard the case.\n\n"
        "In court on Thursday Ilves, who also sits on the appeals panel, tore into him.\n\n"
        "She criticised his ‘lack of remorse’."
    )
    assert quote(attributor, text, "lack of").speaker == "Marta Ilves"


def test_every_quotation_records_its_two_stages(attributor: Attributor) -> None:
    text = "“Prices are falling,” the minister said. Finance Minister Ana Ruiz spoke later."
    q = quote(attributor, text, "Prices")
    # Nobody titled "minister" before the mention, one after: resolved forward.
    assert (q.sieve, q.resolution, q.speaker) == (
        "definite_description",
        "nominal_role",
        "Ana Ruiz",
    )
    assert q.mention_start is not None and text[q.mention_start :].startswith("the minister")
    assert q.cue_start is not None and text[q.cue_start :].startswith("said")


def test_a_pronoun_that_fits_two_people_joined_by_and_names_nobody(
    attributor: Attributor,
) -> None:
    text = (
        "Magnus Ellery-Strand and Jonas Pietrowski-Hale both sat the exam twice.\n\n"
        "“The second time was easier,” he said."
    )
    q = quote(attributor, text, "The second time")
    assert (q.speaker, q.sieve) == (None, "unnamed_speaker")


def test_a_possessive_in_a_leading_clause_tells_the_main_subjects_gender(
    attributor: Attributor,
) -> None:
    text = (
        "In her first week as director, Anouk Verhaegen-Dal hired a curator, Bertrand Oyama-Kirk. "
        "“I have wanted this job since school,” he said."
    )
    assert quote(attributor, text, "I have wanted").speaker == "Bertrand Oyama-Kirk"


def test_the_vicar_is_the_person_the_article_gave_that_clergy_title(
    attributor: Attributor,
) -> None:
    text = (
        "“The roof comes first,” said the Rev. Ottoline Bray-Hastings, the vicar of Marrowby. "
        "Her churchwarden, Silas Penhallow, disagreed: “The heating comes first.”\n\n"
        "“We will argue about it at the vestry meeting,” the vicar said."
    )
    q = quote(attributor, text, "We will argue")
    assert (q.speaker, q.resolution) == ("Ottoline Bray-Hastings", "nominal_role")
