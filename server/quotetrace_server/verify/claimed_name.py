"""Does a claimed speaker name the printed speaker in another form of a given name?

A claim may give the speaker's familiar name ("Bill Ashgrove" for "William Ashgrove") or
another transliteration of it ("Mohammed Karimi" for "Muhammad Karimi"). The speaker
identity rules (index.identity) read two full names with one surname and different given
names as two people, which is right when merging speakers but makes such a claim a
misattribution. Here the claim alone is judged: the surname must be a spelling of the
speaker's, and each given name the same or in one group of forms of one name
(entities.lexicon.GIVEN_NAME_GROUPS).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from quotetrace_server.entities.lexicon import GIVEN_NAME_GROUPS
from quotetrace_server.index.identity import as_printed
from quotetrace_server.index.names import NameForm, parse_forms, parse_name, surname_variant


@cache
def _groups_of(given: str) -> frozenset[int]:
    return frozenset(i for i, group in enumerate(GIVEN_NAME_GROUPS) if given in group)


def same_given_name(a: str, b: str) -> bool:
    """Two given names that are forms of one ("bill" / "william"); lower-case keys."""
    return a == b or bool(_groups_of(a) & _groups_of(b))


def _forms_agree(claim: NameForm, printed: NameForm) -> bool:
    if printed.bare or not surname_variant(claim.surname, printed.surname):
        return False
    pairs = list(zip(claim.given, printed.given, strict=False))
    return bool(pairs) and all(
        same_given_name(x, y) or (len(x) == 1 and y.startswith(x)) for x, y in pairs
    )


def given_name_form(claimed: str, names: Sequence[str]) -> str | None:
    """The speaker's printed name that ``claimed`` is with another form of its given name
    ("Bill Ashgrove" of "William Ashgrove"), or None."""
    claim = parse_name(as_printed(claimed))
    if claim is None or claim.bare:
        return None
    for printed in parse_forms(names):
        if _forms_agree(claim, printed):
            return printed.text
    return None
