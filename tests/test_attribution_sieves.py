"""Each attribution sieve on small made-up news paragraphs (no seed names)."""

from __future__ import annotations

import pytest

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.attribution.model import AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.nlp.pipeline import NlpPipeline


@pytest.fixture(scope="module")
def attributor(models_dir: str) -> Attributor:
    return Attributor(NlpPipeline.shared(models_dir))


def quote(attributor: Attributor, text: str, words: str) -> AttributedQuote:
    for q in attributor.attribute(text).quotes:
        if q.text.startswith(words):
            return q
    raise AssertionError(f"no quotation starting {words!r}")


def test_trailing_cue_after_quote_names_the_speaker(attributor: Attributor) -> None:
    q = quote(attributor, "“We will rebuild the bridge,” Maria Gonzalez said on Monday.", "We will")
    assert (q.speaker, q.kind, q.cue, q.sieve) == (
        "Maria Gonzalez",
        QuoteKind.DIRECT,
        "said",
        "cue_trailing",
    )
    assert q.speaker_kind == EntityKind.PERSON


def test_inverted_cue_skips_affiliation_and_appositive(attributor: Attributor) -> None:
    text = (
        "“Prices will fall,” said Tomas Berg of the Baltic Policy Institute, a think tank in Riga."
    )
    q = quote(attributor, text, "Prices")
    assert (q.speaker, q.sieve) == ("Tomas Berg", "cue_inverted")


def test_speaker_before_appositive_wins_over_the_object_of_told(attributor: Attributor) -> None:
    text = (
        "The plan is risky, Ana Lima, a researcher who runs the Delta Foundation, told AFP.\n\n"
        "“Nobody has tested it,” she said."
    )
    q = quote(attributor, text, "Nobody")
    assert (q.speaker, q.sieve, q.speaker_mention) == ("Ana Lima", "pronoun", "she")


def test_pronoun_resolves_to_previous_paragraphs_subject(attributor: Attributor) -> None:
    text = (
        "Prime Minister Oskar Varga spoke to farmers on Tuesday.\n\n"
        "“The harvest will be late,” he said."
    )
    q = quote(attributor, text, "The harvest")
    assert (q.speaker, q.sieve) == ("Oskar Varga", "pronoun")


def test_pronoun_does_not_cross_gender_known_from_honorific(attributor: Attributor) -> None:
    text = (
        "Ms. Dana Holt met Mr. Paul Reed. Mr. Reed thanked Ms. Holt.\n\n“It went well,” she said."
    )
    q = quote(attributor, text, "It went")
    assert q.speaker == "Dana Holt"


def test_title_stripped_and_surname_resolved_to_full_name(attributor: Attributor) -> None:
    text = (
        "Finance Minister Helena Marsh presented the budget.\n\n"
        "Mr. Lund asked questions. “There is no money left,” Marsh said."
    )
    q = quote(attributor, text, "There is")
    assert q.speaker == "Helena Marsh"
    assert "Finance Minister Helena Marsh" in q.speaker_aliases


def test_colon_introduction_gives_the_clause_subject(attributor: Attributor) -> None:
    text = "After the vote, Jonas Weber wrote in the guest book: “A historic day.”"
    q = quote(attributor, text, "A historic")
    assert (q.speaker, q.kind) == ("Jonas Weber", QuoteKind.DIRECT)


def test_partial_quote_takes_the_nearest_cue_before_it(attributor: Attributor) -> None:
    text = "Lena Park said the deal was fine and Omar Haddad said it was “a disaster” for workers."
    q = quote(attributor, text, "a disaster")
    assert (q.speaker, q.kind) == ("Omar Haddad", QuoteKind.PARTIAL)


def test_organisation_speaks(attributor: Attributor) -> None:
    text = "The White House warned that the country would “face consequences” soon."
    q = quote(attributor, text, "face")
    assert (q.speaker, q.speaker_kind, q.sieve) == (
        "White House",
        EntityKind.ORGANIZATION,
        "organisation",
    )


def test_bare_organisation_noun_is_no_speaker_unless_the_article_names_one(
    attributor: Attributor,
) -> None:
    q = quote(attributor, "“Two drones were shot down,” the army said.", "Two drones")
    assert (q.speaker, q.speaker_mention) == (None, "the army")
    text = (
        "The Northland Army confirmed the strike on Monday.\n\n"
        "“Two drones were shot down,” the army said."
    )
    q = quote(attributor, text, "Two drones")
    assert (q.speaker, q.speaker_kind, q.resolution) == (
        "Northland Army",
        EntityKind.ORGANIZATION,
        "nominal_org",
    )


def test_qualified_organisation_noun_still_speaks(attributor: Attributor) -> None:
    text = "“Two drones were shot down,” the Northland military said."
    q = quote(attributor, text, "Two drones")
    assert (q.speaker, q.speaker_kind) == ("Northland military", EntityKind.ORGANIZATION)


def test_unnamed_official_leaves_speaker_empty(attributor: Attributor) -> None:
    text = "A senior official said the talks were “productive” and would resume."
    q = quote(attributor, text, "productive")
    assert (q.speaker, q.kind, q.sieve) == (None, QuoteKind.PARTIAL, "unnamed_speaker")


def test_according_to_names_the_source(attributor: Attributor) -> None:
    text = "The road will reopen “within days,” according to Mayor Ingrid Solberg."
    q = quote(attributor, text, "within days")
    assert (q.speaker, q.cue) == ("Ingrid Solberg", "according to")


def test_second_quote_without_cue_continues_the_speaker(attributor: Attributor) -> None:
    text = "“We are ready,” said Kofi Mensah. “Nothing will stop us.”\n\n“The vote is on Friday.”"
    quotes = attributor.attribute(text).quotes
    assert [(q.kind, q.speaker) for q in quotes] == [
        (QuoteKind.DIRECT, "Kofi Mensah"),
        (QuoteKind.CONTINUATION, "Kofi Mensah"),
        (QuoteKind.CONTINUATION, "Kofi Mensah"),
    ]


def test_multi_paragraph_quote_continues_across_paragraphs(attributor: Attributor) -> None:
    text = (
        "Economist Rhea Patel said the reform “will take years to pay off.\n\n"
        "“In the meantime, families will struggle.”"
    )
    first, second = attributor.attribute(text).quotes
    assert (first.kind, first.speaker) == (QuoteKind.PARTIAL, "Rhea Patel")
    assert (second.kind, second.speaker) == (QuoteKind.CONTINUATION, "Rhea Patel")


def test_heading_in_quotes_is_a_term(attributor: Attributor) -> None:
    text = "The match ended late.\n\n‘Heroes’\n\nFans waited outside."
    q = quote(attributor, text, "Heroes")
    assert (q.kind, q.speaker) == (QuoteKind.TERM, None)


def test_quoted_word_without_cue_or_speaker_is_a_term(attributor: Attributor) -> None:
    text = "Guests ate a plate of “borscht” soup before the concert began."
    q = quote(attributor, text, "borscht")
    assert (q.kind, q.speaker) == (QuoteKind.TERM, None)


def test_word_two_people_called_each_other_is_a_term(attributor: Attributor) -> None:
    text = "Anna Berg and Lars Holm called each other “partners” at dinner."
    q = quote(attributor, text, "partners")
    assert (q.kind, q.speaker) == (QuoteKind.TERM, None)


def test_single_quoted_word_from_a_speaker_is_partial(attributor: Attributor) -> None:
    text = "Spokesman Ivo Rask said relations were “excellent” this year."
    q = quote(attributor, text, "excellent")
    assert (q.kind, q.speaker) == (QuoteKind.PARTIAL, "Ivo Rask")


def test_participle_opening_the_sentence_takes_the_main_subject(attributor: Attributor) -> None:
    text = "Calling the plan “a big mistake,” former minister Pia Nyberg urged a new vote."
    q = quote(attributor, text, "a big mistake")
    assert q.speaker == "Pia Nyberg"


def test_coordinated_verb_takes_the_clause_subject(attributor: Attributor) -> None:
    text = "Coach Rui Costa arrived by bus on Sunday and said the team was “hungry”."
    q = quote(attributor, text, "hungry")
    assert (q.speaker, q.sieve) == ("Rui Costa", "clause_subject")


def test_nested_quotation_stays_inside_the_outer_one(attributor: Attributor) -> None:
    text = "“He told me ‘never again’ and left,” Sara Lind said."
    quotes = attributor.attribute(text).quotes
    assert [q.text for q in quotes] == ["He told me ‘never again’ and left,"]


def test_every_quote_records_its_sieve_and_a_bounded_confidence(attributor: Attributor) -> None:
    text = "“Yes,” Ben Ode said. A “so-called” plan. “Maybe.”"
    for q in attributor.attribute(text).quotes:
        assert q.sieve
        assert 0.0 <= q.confidence <= 1.0


def test_definite_description_resolves_to_the_titled_person(attributor: Attributor) -> None:
    text = (
        "Health Minister Anna Kowalski visited the hospital on Monday.\n\n"
        "“We need more nurses,” the minister told reporters."
    )
    q = quote(attributor, text, "We need")
    assert (q.speaker, q.sieve) == ("Anna Kowalski", "definite_description")


def test_indefinite_description_stays_unnamed(attributor: Attributor) -> None:
    text = (
        "Health Minister Anna Kowalski visited the hospital on Monday.\n\n"
        "“We need more nurses,” a minister told reporters."
    )
    q = quote(attributor, text, "We need")
    assert (q.speaker, q.sieve) == (None, "unnamed_speaker")


def test_name_in_apposition_to_an_unnamed_subject_is_the_speaker(attributor: Attributor) -> None:
    text = "“We were told to leave,” said one resident, Olga Petrenko, 62."
    q = quote(attributor, text, "We were")
    assert q.speaker == "Olga Petrenko"


def test_lone_surname_is_a_person_and_a_place_name_an_organisation(
    attributor: Attributor,
) -> None:
    text = (
        "Talks were held in Vilnius on Friday.\n\n"
        "“It was a mistake,” Johnson admitted. Vilnius said the talks were “useful”."
    )
    johnson = quote(attributor, text, "It was")
    vilnius = quote(attributor, text, "useful")
    assert (johnson.speaker, johnson.speaker_kind) == ("Johnson", EntityKind.PERSON)
    assert (vilnius.speaker, vilnius.speaker_kind) == ("Vilnius", EntityKind.ORGANIZATION)


def test_so_called_marks_a_term_even_with_a_cue(attributor: Attributor) -> None:
    text = "The so-called “peace dividend” never arrived, economists say."
    q = quote(attributor, text, "peace dividend")
    assert (q.kind, q.speaker, q.sieve) == (QuoteKind.TERM, None, "marked_term")


def test_parenthetical_between_subject_and_verb_is_skipped(attributor: Attributor) -> None:
    text = "Senator John Smith (D-Calif.) said the bill was “dead on arrival.”"
    q = quote(attributor, text, "dead")
    assert (q.speaker, q.sieve) == ("John Smith", "cue_subject")


def test_capitalised_plural_subject_is_unnamed(attributor: Attributor) -> None:
    q = quote(attributor, "Residents told the BBC the water was “undrinkable”.", "undrinkable")
    assert (q.speaker, q.sieve) == (None, "unnamed_speaker")


def test_a_transcript_label_names_the_speaker_and_a_questioners_label_nobody(
    attributor: Attributor,
) -> None:
    text = (
        "ANCHOR: “Where were you when the lights went out?”\n\n"
        "CORMAC DELACY-BRUNT: “On the tram, between two stops.”\n\n"
        "Interviewer: “And then?”\n\n"
        "DR. DELACY-BRUNT: “Then we walked.”"
    )
    asked = quote(attributor, text, "Where were")
    assert (asked.speaker, asked.sieve) == (None, "transcript_label")
    assert asked.resolution == "label_role"
    named = quote(attributor, text, "On the tram")
    assert (named.speaker, named.resolution) == ("CORMAC DELACY-BRUNT", "label_as_written")
    assert quote(attributor, text, "And then").speaker is None
    assert quote(attributor, text, "Then we walked").speaker == "DELACY-BRUNT"


def test_an_all_capital_label_is_the_person_the_article_names_so(attributor: Attributor) -> None:
    text = (
        "Beatrix Oyelaran-Holm drove the night tram for eleven years.\n\n"
        "BEATRIX OYELARAN-HOLM: “Nobody ever thanked the driver.”\n\n"
        "MS. OYELARAN-HOLM: “Except once.”"
    )
    q = quote(attributor, text, "Nobody ever")
    assert (q.speaker, q.resolution) == ("Beatrix Oyelaran-Holm", "label_name")
    assert quote(attributor, text, "Except once").speaker == "Beatrix Oyelaran-Holm"


def test_answer_labels_are_the_interviewee_and_titled_labels_the_named_person(
    attributor: Attributor,
) -> None:
    text = (
        "Cosimo Ferrante-Lowe restores church organs in the hills above Lucca.\n\n"
        "Q. “How long does one organ take?”\n\n"
        "A. “A year, if the pipes behave.”\n\n"
        "MR. FERRANTE-LOWE: “They rarely behave.”"
    )
    assert quote(attributor, text, "How long").speaker is None
    answer = quote(attributor, text, "A year")
    assert (answer.speaker, answer.resolution) == ("Cosimo Ferrante-Lowe", "label_answer")
    assert quote(attributor, text, "They rarely").speaker == "Cosimo Ferrante-Lowe"


def test_a_partial_quotation_after_another_named_subject_is_not_carried_on(
    attributor: Attributor,
) -> None:
    text = (
        "“The tracks will be ready by spring,” said the rail minister, Odalys Kerrigan-Vane. "
        "The engineer in charge, Bastien Moreau-Lyle, put the delay at “nine months at least.”"
    )
    q = quote(attributor, text, "nine months")
    assert q.speaker == "Bastien Moreau-Lyle"
    assert q.sieve != "previous_quote"


def test_a_quotation_paragraph_after_a_paragraph_about_one_person_is_that_persons(
    attributor: Attributor,
) -> None:
    text = (
        "Radomir Kestel-Oduya has kept bees on the dyke for thirty summers and lost half of "
        "his hives last winter.\n\n"
        "“I will start again in April. Bees forgive you quicker than people.”"
    )
    q = quote(attributor, text, "I will start")
    assert (q.speaker, q.sieve) == ("Radomir Kestel-Oduya", "introduced_speaker")
