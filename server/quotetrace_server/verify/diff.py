"""Word-level diff of a query against a printed wording, shown in each side's own words."""

from __future__ import annotations

from difflib import SequenceMatcher

from quotetrace_server.verify.model import DiffOp, DiffSegment
from quotetrace_server.verify.normalize import normalize

_OPS = {
    "equal": DiffOp.EQUAL,
    "insert": DiffOp.INSERT,
    "delete": DiffOp.DELETE,
    "replace": DiffOp.REPLACE,
}


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Whitespace tokens as printed, and their comparison keys (normalised, no edge marks)."""
    shown: list[str] = []
    keys: list[str] = []
    for token in text.split():
        key = normalize(token)
        if key:
            shown.append(token)
            keys.append(key)
    return shown, keys


def word_diff(query: str, variant: str) -> tuple[DiffSegment, ...]:
    """Segments turning the query into the variant: INSERT = words only the variant prints."""
    q_shown, q_keys = _tokens(query)
    v_shown, v_keys = _tokens(variant)
    matcher = SequenceMatcher(a=q_keys, b=v_keys, autojunk=False)
    return tuple(
        DiffSegment(
            op=_OPS[tag],
            query_text=" ".join(q_shown[i1:i2]),
            variant_text=" ".join(v_shown[j1:j2]),
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    )
