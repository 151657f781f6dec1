"""Attribution structures of English news that the gold sets barely cover, one behaviour per
test, on sentences written for these tests (names and outlets invented)."""

from __future__ import annotations

import pytest

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.attribution.model import AttributedQuote
from quotetrace_server.entities.finder import find_entities
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.nlp.pipeline import NlpPipeline


@pytest.fixture(scope="module")
def nlp(models_dir: str) -> NlpPipeline:
    return NlpPipeline.shared(models_dir)


@pytest.fixture(scope="module")
def attributor(nlp: NlpPipeline) -> Attributor:
    return Attributor(nlp)


def quote(attributor: Attributor, text: str, words: str) -> AttributedQuote:
    for q in attributor.attribute(text).quotes:
        if q.text.startswith(words):
            return q
    raise AssertionError(f"no quotation starting {words!r}")


# --- names -------------------------------------------------------------------------------


def test_lower_case_particles_stay_inside_a_name(attributor: Attributor) -> None:
    text = "“The appeal is hopeless,” said Joost van den Heuvel, who advises the growers."
    assert quote(attributor, text, "The appeal").speaker == "Joost van den Heuvel"
    text = "Lucía de la Fuente, a nurse in the valley, said the ward was “full every night.”"
    assert quote(attributor, text, "full every").speaker == "Lucía de la Fuente"


def test_a_surname_with_its_particle_joins_the_full_name(nlp: NlpPipeline) -> None:
    text = "Henrike von Stauffen sold the mill in May.\n\nLater von Stauffen moved to the coast."
    names = find_entities(nlp.parse(text))
    people = [e for e in names.entities.entities if e.kind == EntityKind.PERSON]
    assert [p.name for p in people] == ["Henrike von Stauffen"]
    assert "von Stauffen" in people[0].aliases


def test_a_name_behind_a_glued_particle_is_a_name_not_the_outlet_told(
    attributor: Attributor,
) -> None:
    text = "“The clinic has no insulin left,” Samira el-Haddad, its director, told the Valley Post."
    q = quote(attributor, text, "The clinic")
    assert q.speaker == "Samira el-Haddad"


def test_role_words_before_a_name_are_titles_not_name_parts(attributor: Attributor) -> None:
    text = "“The books are open to anyone,” Treasurer Dalia Morcombe said."
    assert quote(attributor, text, "The books").speaker == "Dalia Morcombe"
    text = "Sheriff Orrin Blackwood said the road would stay “closed until the ice melts.”"
    assert quote(attributor, text, "closed until").speaker == "Orrin Blackwood"


# --- organisations -----------------------------------------------------------------------


def test_a_capitalised_kind_of_organisation_alone_names_nobody(attributor: Attributor) -> None:
    text = "Police said the driver had been “travelling well over the limit.”"
    assert quote(attributor, text, "travelling").speaker is None


def test_a_capitalised_kind_of_organisation_is_the_one_named_before(
    attributor: Attributor,
) -> None:
    text = (
        "The Harbour Police closed the pier on Sunday.\n\n“Nobody should swim here,” Police said."
    )
    assert quote(attributor, text, "Nobody").speaker == "Harbour Police"


def test_an_organisation_name_may_open_with_an_ed_word(attributor: Attributor) -> None:
    text = "United Ferryworkers Union said on Monday that the strike was “only the start.”"
    assert quote(attributor, text, "only the").speaker == "United Ferryworkers Union"


def test_the_company_is_the_only_organisation_the_article_named(attributor: Attributor) -> None:
    text = (
        "Pellworth Airlines cancelled 80 flights on Friday.\n\n"
        "“We apologise to every passenger,” the company said."
    )
    assert quote(attributor, text, "We apologise").speaker == "Pellworth Airlines"


def test_the_company_among_two_organisations_is_nobody(attributor: Attributor) -> None:
    text = (
        "Pellworth Airlines bought Corran Airways on Friday.\n\n"
        "“This is a good fit,” the company said."
    )
    assert quote(attributor, text, "This is").speaker is None
