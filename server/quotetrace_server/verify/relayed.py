"""Words a printing's speaker passes on from someone the printing names.

A speaker may quote another person inside their own quotation ("As Professor Ruiz told
me, ‘a tree you plant today is a promise’, and …"), or speak for an organisation as its
spokesperson ('"We will appeal," said Ana Ruiz, a spokeswoman for Harbour Water'). A
claim that gives those words to the person quoted inside, or to the organisation spoken
for, names someone the printing itself credits with them: not someone other than the
speaker. Verify does not call such a claim a misattribution (verify.verifier's doubt
makes it UNATTRIBUTED), whatever the attribution's confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import LCSseq

from quotetrace_server.entities.lexicon import SPOKESPERSON_NOUNS
from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.index.names import fold, org_key, parse_name

# A quotation inside a printed quotation: curly or straight, single or double marks; an
# apostrophe inside a word ("today’s") does not close it.
_INNER = re.compile(
    r"‘(.+?)’(?![^\W\d_])|(?<![^\W\d_])'(.+?)'(?![^\W\d_])|“(.+?)”|\"(.+?)\"", re.DOTALL
)
# The share of the claim's words, in order, that an inner quotation must hold.
INNER_MIN_SHARE = 0.8
_SPOKESPERSON = "|".join(sorted(SPOKESPERSON_NOUNS))


def named_in(claimed: str, text: str) -> bool:
    """The claimed speaker's surname (or an organisation's name) occurs in ``text``."""
    form = parse_name(claimed)
    found = {re.sub(r"[^a-z0-9]", "", w) for w in fold(text).split()}
    if form is not None and form.surname in found:
        return True
    key = org_key(claimed)
    return len(key) > 2 and key in re.sub(r"[^a-z0-9]", "", fold(text))


def credited_inside(claimed: str, claim: Sequence[str], printed: str) -> bool:
    """``printed`` holds a quotation of its own whose words are the claim's (most of them,
    in order) and names the claimed speaker before it: the speaker quotes them."""
    if not claim:
        return False
    for match in _INNER.finditer(printed):
        inner = words(normalize(next(g for g in match.groups() if g is not None)))
        held = LCSseq.similarity(list(claim), list(inner))
        if held >= INNER_MIN_SHARE * len(claim) and named_in(claimed, printed[: match.start()]):
            return True
    return False


def spoken_for(claimed: str, attribution: str) -> bool:
    """The text around a printing calls its speaker a spokesperson of the claimed name
    ("a spokeswoman for Harbour Water", "Harbour Water spokesman Ana Ruiz")."""
    lowered = attribution.casefold()
    if not any(noun in lowered for noun in SPOKESPERSON_NOUNS):  # most attributions: cheap
        return False
    name = r"\s+".join(re.escape(w) for w in fold(claimed).split())
    if not name:
        return False
    text = " ".join(fold(attribution).split())
    after = rf"\b(?:{_SPOKESPERSON})\s+(?:for|of|at|from|with)\s+(?:the\s+)?{name}\b"
    before = rf"\b{name}(?:'s|’s)?\s+(?:{_SPOKESPERSON})\b"
    return re.search(after, text) is not None or re.search(before, text) is not None
