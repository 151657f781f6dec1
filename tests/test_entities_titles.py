"""One list of titles (entities.lexicon.TITLES): the words a written name's key drops
(index.names) are the titles, the honorifics and a few office words, but for a named subset
of titles the key keeps. Names here are invented."""

from __future__ import annotations

from quotetrace_server.entities.lexicon import (
    HONORIFICS,
    NAME_KEY_ONLY_WORDS,
    NAME_KEY_TITLES,
    TITLES,
    TITLES_KEPT_IN_NAME_KEYS,
)
from quotetrace_server.index.names import name_key


def test_the_name_key_drops_every_title_but_the_kept_ones() -> None:
    titles = {title.rstrip(".") for title in TITLES}
    assert titles >= TITLES_KEPT_IN_NAME_KEYS
    assert NAME_KEY_TITLES.isdisjoint(TITLES_KEPT_IN_NAME_KEYS)
    assert titles - TITLES_KEPT_IN_NAME_KEYS <= NAME_KEY_TITLES
    assert {h.rstrip(".") for h in HONORIFICS} <= NAME_KEY_TITLES
    assert NAME_KEY_ONLY_WORDS.isdisjoint(titles)


def test_a_title_before_a_name_leaves_the_key_unless_it_is_a_kept_one() -> None:
    assert name_key("Governor Ilse Varga") == "ilse varga"
    assert name_key("Interior Minister Ilse Varga") == "ilse varga"
    assert name_key("Midfielder Ilse Varga") == "midfielder ilse varga"
