"""Multi-word-token expansion ("don't" -> "do n't") once per distinct form, not per token.

Stanza's mwt processor runs its seq2seq model on every token the tokenizer marks as a
multi-word token, then, for English (`ensemble_dict`), throws the model's answer away
for every form its dictionary holds. A text of one contraction repeated ("I'm I'm ...")
cost 450-490 s of CPU a megabyte against 30-110 s for any other text (issue 15). The
model's input is the token's characters alone, so its expansion is a function of the
form: here each distinct form is expanded once per call, by the dictionary when it holds
the form, else by the model, and every token of that form gets that expansion.
"""

from __future__ import annotations

import types
from typing import Any


class _Forms:
    """What stanza's mwt DataLoader reads from a document: the forms to expand."""

    def __init__(self, forms: list[str]) -> None:
        self._forms = forms

    def get_mwt_expansions(self, evaluation: bool = False) -> list[str]:
        return self._forms


def expand_once_per_form(pipeline: Any) -> bool:
    """Make `pipeline`'s mwt processor expand each distinct form once a call; False
    (nothing changed) when it has no mwt processor or one this does not know how to run."""
    processor = pipeline.processors.get("mwt")
    if processor is None or processor.config.get("dict_only", False):
        return False
    if not hasattr(processor.trainer, "dict_expansion"):
        return False
    processor.process = types.MethodType(_process_once_per_form, processor)
    return True


def _process_once_per_form(processor: Any, document: Any) -> Any:
    forms = document.get_mwt_expansions(evaluation=True)
    expansion = _expansions(processor, list(dict.fromkeys(forms)))
    document.set_mwt_expansions([expansion[f] for f in forms], process_manual_expanded=False)
    return document


def _expansions(processor: Any, forms: list[str]) -> dict[str, str]:
    """Each form's expansion, as stanza's own process() would give it."""
    trainer = processor.trainer
    known: dict[str, str] = {}
    if processor.config.get("ensemble_dict", False):
        for form in forms:
            found = trainer.dict_expansion(form)
            if found is not None:
                known[form] = found
    unknown = [form for form in forms if form not in known]
    if unknown:
        known.update(zip(unknown, _predicted(processor, unknown), strict=True))
    return known


def _predicted(processor: Any, forms: list[str]) -> list[str]:
    import torch
    from stanza.models.mwt.data import DataLoader

    batch = DataLoader(
        _Forms(forms),
        processor.config["batch_size"],
        processor.config,
        vocab=processor.vocab,
        evaluation=True,
        expand_unk_vocab=True,
    )
    predicted: list[str] = []
    with torch.no_grad():
        for part in batch.to_loader():
            predicted += processor.trainer.predict(part, never_decode_unk=True, vocab=batch.vocab)
    return predicted
