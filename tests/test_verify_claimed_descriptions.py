"""A claimed speaker given as a role or initials, not a name: never a misattribution of
the printed speaker (a null beats a wrong answer); a role the printings give them fits.

Sentences and names written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quotetrace_server.index import identity
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import Verdict, VerifyQuery
from quotetrace_server.verify.verifier import Verifier

from .factories import add_said

HARBOUR = "We will open the new harbour gates before the autumn tides come in"
FERRY = "Nobody on the island will pay more for the morning ferry this winter"


@pytest.fixture(scope="module")
def verifier() -> Iterator[Verifier]:
    store = SqliteStore(":memory:")
    add_said(store, HARBOUR, "Ines Halloran", aliases=("Portvale Mayor Ines Halloran", "Halloran"))
    add_said(store, FERRY, "Tomas Vendrell-Okafor", aliases=("Vendrell-Okafor",))
    yield Verifier(store)
    store.close()


@pytest.mark.parametrize(
    ("claim", "is_name"),
    [
        ("Ines Halloran", True),
        ("Mayor Halloran", True),
        ("Julie Marsh", True),
        ("NGO", True),
        ("the mayor", False),
        ("Mayor", False),
        ("Portvale mayor", False),
        ("shipping billionaire", False),
        ("chief executive of Velora Ports", False),
        ("U.S. Attorney for the Eastern District", False),
    ],
)
def test_a_role_is_a_description_not_a_name(claim: str, is_name: bool) -> None:
    assert identity.is_name(claim) is is_name


def test_a_role_the_printings_give_the_speaker_fits_them(verifier: Verifier) -> None:
    for claim in ("Portvale Mayor", "the mayor", "mayor of Portvale"):
        result = verifier.verify(VerifyQuery(HARBOUR, claim))
        assert result.verdict is Verdict.VERIFIED, (claim, result.explanation)


def test_a_role_the_printings_never_give_is_doubt_not_a_misattribution(
    verifier: Verifier,
) -> None:
    for claim in ("shipping billionaire", "mayor of Eastwick", "Harbour Commissioner"):
        result = verifier.verify(VerifyQuery(HARBOUR, claim))
        assert result.verdict is Verdict.UNATTRIBUTED, (claim, result.explanation)
        assert "description, not a name" in result.explanation


def test_initials_of_the_printed_speaker_are_doubt_not_a_misattribution(
    verifier: Verifier,
) -> None:
    result = verifier.verify(VerifyQuery(FERRY, "TVO"))
    assert result.verdict is Verdict.UNATTRIBUTED
    assert "initials of Tomas Vendrell-Okafor" in result.explanation


def test_another_persons_name_is_still_a_misattribution(verifier: Verifier) -> None:
    for claim in ("Marta Oyelaran", "TQX"):
        assert verifier.verify(VerifyQuery(FERRY, claim)).verdict is Verdict.MISATTRIBUTED
