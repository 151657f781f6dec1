"""Names without NER: titles stripped, variants unified, bare surnames to the salient bearer."""

from __future__ import annotations

import pytest

from quotetrace_server.entities.finder import ArticleNames, find_entities, normalise_name
from quotetrace_server.entities.model import Entity, EntityKind
from quotetrace_server.nlp.model import ParsedText, Sentence, Token
from quotetrace_server.nlp.pipeline import NlpPipeline


@pytest.fixture(scope="module")
def nlp(models_dir: str) -> NlpPipeline:
    return NlpPipeline.shared(models_dir)


@pytest.fixture(scope="module")
def seed_names(nlp: NlpPipeline, seed_texts: dict[str, str]) -> dict[str, ArticleNames]:
    """Each seed parsed once for the module (stanza parsing is the slow part)."""
    return {name: find_entities(nlp.parse(text)) for name, text in seed_texts.items()}


def entities_of(nlp: NlpPipeline, text: str) -> ArticleNames:
    return find_entities(nlp.parse(text))


def entity_named(names: ArticleNames, name: str) -> Entity:
    matches = [e for e in names.entities.entities if e.name == name]
    assert matches, [e.name for e in names.entities.entities]
    return matches[0]


def entity_of_mention(names: ArticleNames, surface: str) -> Entity:
    for mention in names.entities.mentions:
        if mention.text == surface:
            return names.entities.entities[mention.entity]
    raise AssertionError(f"no mention {surface!r}")


def test_hyphen_and_space_variants_normalise_alike() -> None:
    assert normalise_name("Kim Jong-un") == normalise_name("Kim Jong Un") == "kim jong un"


def test_titles_are_stripped_and_kept_as_aliases(seed_names: dict[str, ArticleNames]) -> None:
    names = seed_names["000_9ee7ddbbf47ce182.txt"]
    putin = entity_named(names, "Vladimir Putin")
    assert putin.kind == EntityKind.PERSON
    assert {"Russian President Vladimir Putin", "Putin"} <= set(putin.aliases)
    jo = entity_named(names, "Jo Chun Ryong")
    assert "Munitions Industry Department Director Jo Chun Ryong" in jo.aliases


def test_honorific_and_hyphenated_forms_join_one_person(
    seed_names: dict[str, ArticleNames],
) -> None:
    names = seed_names["002_f8b77b186fc46e03.txt"]
    kim = entity_named(names, "Kim Jong-un")
    assert {"Mr. Kim", "North Korean leader Kim Jong-un"} <= set(kim.aliases)
    assert entity_of_mention(names, "Mr. Kim") == kim
    assert entity_named(names, "Kim Myong-sik") != kim


def test_bare_surname_goes_to_the_most_salient_bearer(seed_names: dict[str, ArticleNames]) -> None:
    names = seed_names["001_2a18783046106177.txt"]
    kim = entity_named(names, "Kim Jong Un")
    assert entity_of_mention(names, "Kim") == kim
    jack = entity_named(names, "Jack Kim")
    assert "Kim" not in jack.aliases


def test_mention_offsets_cover_their_surface(
    seed_names: dict[str, ArticleNames], seed_texts: dict[str, str]
) -> None:
    for name, text in seed_texts.items():
        for mention in seed_names[name].entities.mentions:
            assert text[mention.start : mention.end] == mention.text


def test_organisation_head_words_make_organisations(nlp: NlpPipeline) -> None:
    names = entities_of(nlp, "The White House warned on Monday. The Foreign Ministry agreed.")
    kinds = {e.name: e.kind for e in names.entities.entities}
    assert kinds["White House"] == EntityKind.ORGANIZATION
    assert kinds["Foreign Ministry"] == EntityKind.ORGANIZATION


def test_single_capitalised_word_is_a_person_only_with_evidence(nlp: NlpPipeline) -> None:
    names = entities_of(nlp, "Moscow agreed. Ms. Okafor disagreed, and Okafor left.")
    people = [e for e in names.entities.entities if e.kind == EntityKind.PERSON]
    assert [p.name for p in people] == ["Okafor"]
    assert names.genders[names.entities.entities.index(people[0])] == "female"


def test_headline_capitals_do_not_make_names(nlp: NlpPipeline) -> None:
    text = (
        "Kim Jong Un, Putin Discuss Satellite Program Amid Arms Deal Speculations\n\n"
        "North Korean leader Kim Jong Un met Russian President Vladimir Putin."
    )
    names = entities_of(nlp, text)
    assert sorted(e.name for e in names.entities.entities if e.kind == EntityKind.PERSON) == [
        "Kim Jong Un",
        "Vladimir Putin",
    ]


def test_ner_person_tag_makes_a_single_word_a_person() -> None:
    text = "Zorro smiled."
    tokens = (
        Token("Zorro", 0, 5, ner="S-PERSON"),
        Token("smiled", 6, 12, ner="O"),
        Token(".", 12, 13, ner="O"),
    )
    parsed = ParsedText(text, (Sentence(0, 13, tokens),), ("tokenize", "ner"))
    (entity,) = find_entities(parsed).entities.entities
    assert (entity.name, entity.kind) == ("Zorro", EntityKind.PERSON)
