"""Name forms and speaker identity: which written names are one person (invented names)."""

from __future__ import annotations

import pytest

from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index import identity
from quotetrace_server.index.names import name_link, org_link, parse_name

P = EntityKind.PERSON
ORG = EntityKind.ORGANIZATION


def _link(a: str, b: str) -> str | None:
    fa, fb = parse_name(a), parse_name(b)
    assert fa is not None and fb is not None
    return name_link(fa, fb)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("I. Marovic", "Ilsa Marovic"),  # initial
        ("T.R. Velland", "TR Velland"),  # initials with and without points
        ("TR Velland", "Tomas Rune Velland"),
        ("Ilsa A. Marovic", "Ilsa Marovic"),  # middle initial on one side
        ("Dragan Zelenkoy", "Dragan Zelenkoi"),  # transliteration of the surname
        ("Dragan Zelenkoy", "Dragan Zelenkoyy"),
        ("Bhaskaranarayan Oduvil", "Baskaranarayan Oduvil"),  # transliterated given name
        ("Jörn Haldersen", "Jorn Haldersen"),  # diacritics
        ("Jörn Haldersen", "Joern Haldersen"),
        ("Sir Aldous Penhallow", "Aldous Penhallow"),  # titles
        ("Gov. Mira Castellane", "Mira Castellane"),
        ("Harbour District Judge Oren P. Talvik", "Oren Talvik"),
        ("Lin Bao-quan", "Lin Bao Quan"),  # hyphenation
        ("Ilsa van der Berk", "Ilsa Van der Berk"),  # surname particles
        ("Oren De Talvi", "Oren DeTalvi"),
        ("Karim al-Rashed", "Karim al Rashed"),
    ],
)
def test_forms_of_one_person_link(a: str, b: str) -> None:
    assert _link(a, b) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ilsa Marovic", "Ivo Marovic"),  # shared surname only
        ("Petra Bullworth", "Petra Bellworth"),  # close but different surnames
        ("Karel Dunmore", "Karla Dunmore"),
        ("Aleksander Voss", "Aleksandra Voss"),
        ("Jon Tarrant", "Joan Tarrant"),
        ("I. Zelenkoy", "Ivan Zelenkoi"),  # respelt surname and only an initial: too thin
        ("Marovic", "Ilsa Marovic"),  # a bare surname links only where it is unique
    ],
)
def test_different_or_thinly_linked_names_stay_apart(a: str, b: str) -> None:
    assert _link(a, b) is None


def test_descriptions_and_single_letters_are_no_names() -> None:
    assert parse_name("the judge") is None
    assert parse_name("The Mayor") is None
    assert parse_name("S") is None
    form = parse_name("Harbour manager Tomas Velland Jr.")
    assert form is not None and form.given == ("tomas",) and form.surname == "velland"


def test_acronym_and_full_name_of_an_organisation_link() -> None:
    assert org_link("NGO", "Northern Grid Office") is not None
    assert org_link("the NGO", "Northern Grid Office (NGO)") is not None
    assert org_link("Northern Grid Office", "The Northern Grid Office") is not None
    assert org_link("NGA", "Northern Grid Office") is None


def test_identity_link_is_strong_for_full_names_and_weak_for_a_surname() -> None:
    full = identity.link(P, ["Ilsa Marovic"], ["I. Marovic", "Mrs. Marovic"])
    assert full is not None and full.strong and "initial" in full.evidence
    bare = identity.link(P, ["Marovic"], ["Ilsa Marovic"])
    assert bare is not None and not bare.strong
    assert identity.link(P, ["Ivo Marovic"], ["Ilsa Marovic", "Marovic"]) is None


def test_claimed_names_match_any_form_of_the_speaker() -> None:
    forms = ["Dragan Zelenkoy", "President Zelenkoy", "Zelenkoy"]
    for claim in ["Zelenkoi", "Dragan Zelenkoyy", "President Dragan Zelenkoy", "D. Zelenkoi"]:
        assert identity.claim_link(claim, forms) is not None, claim
    assert identity.claim_link("Ivan Zelenkoy", forms) is None
    assert identity.claim_link("Marta Holm", forms) is None


def test_near_names_are_doubt_not_a_different_person() -> None:
    assert identity.claim_link("Petra Bellworth", ["Petra Bullworth"]) is None
    assert identity.near_name("Petra Bellworth", ["Petra Bullworth"]) == "Petra Bullworth"
    assert identity.near_name("Marta Holm", ["Petra Bullworth"]) is None


def test_canonical_name_is_the_fullest_plain_form() -> None:
    names = ["I. Marovic", "Mayor Ilsa Marovic", "Ilsa A. Marovic", "Ilsa Marovic", "Marovic"]
    assert identity.canonical_name(P, names, "I. Marovic") == "Ilsa Marovic"
    orgs = ["NGO", "Northern Grid Office (NGO)", "Northern Grid Office"]
    assert identity.canonical_name(ORG, orgs, "NGO") == "Northern Grid Office"


def test_an_acronym_answers_for_an_organisation_not_a_person() -> None:
    assert identity.claim_link("NGO", ["Northern Grid Office"], ORG) is not None
    assert identity.claim_link("IM", ["Ilsa Marovic"], P) is None


def test_surname_particles_belong_to_the_surname() -> None:
    bare = parse_name("Mrs. van der Berk")
    full = parse_name("Ilsa van der Berk")
    assert bare is not None and full is not None
    assert bare.surname == full.surname == "vanderberk" and full.given == ("ilsa",)
    lone = parse_name("Mac Berk")  # a capitalised particle alone is a given name
    assert lone is not None and lone.given == ("mac",)
    assert parse_name("al-Rashed") is not None


def test_dotted_acronyms_are_acronyms() -> None:
    assert org_link("N.G.O.", "Northern Grid Office") is not None
    assert org_link("the N.G.O.", "Northern Grid Office") is not None
