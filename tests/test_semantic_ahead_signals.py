"""The two signals that let Verify embed a claim ahead of its word search's end (issue 11):
the term counts that show a claim's words printed nowhere, and the CPU meter that says
whether a core is spare for it. Sentences are invented."""

from __future__ import annotations

from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.search import pairs_mostly_unheld
from quotetrace_server.index.sql.terms import query_terms
from quotetrace_server.semantic.cpu import CpuMeter


def _terms(text: str) -> list[str]:
    norm = normalize(text)
    return query_terms(norm, lemma_key(words(norm)))


def _held(terms: list[str], held_pairs: set[str]) -> list[tuple[int, str]]:
    """Counts as the store gives them: every single word held, the listed pairs held."""
    return [(3, t) for t in terms if "_" not in t or t in held_pairs]


PRINTED = "the ferry to the island will run twice a day from May"


def test_a_claim_cut_or_typod_from_a_printing_holds_most_of_its_word_pairs() -> None:
    printed_pairs = {t for t in _terms(PRINTED) if "_" in t}
    for claim in (
        "the ferry to the island will run twice a day",  # cut
        "the ferry to the iland will run twice a day from May",  # a typo: two pairs broken
        "the boat to the island will run twice a day from May",  # a word changed
    ):
        terms = _terms(claim)
        assert not pairs_mostly_unheld(terms, _held(terms, printed_pairs)), claim


def test_a_claim_worded_like_no_printing_holds_few_of_its_word_pairs() -> None:
    printed_pairs = {t for t in _terms(PRINTED) if "_" in t}
    claim = "twice every day a boat will sail out to the island from May onwards"
    terms = _terms(claim)
    assert pairs_mostly_unheld(terms, _held(terms, printed_pairs))


def test_a_one_word_claim_has_no_pairs_to_judge_by() -> None:
    terms = _terms("ferry")
    assert not pairs_mostly_unheld(terms, [])


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class _Machine:
    """CPU seconds since boot: work at normal priority, niced work, this process's own."""

    def __init__(self) -> None:
        self.normal = self.niced = self.own = 0.0

    def stat(self) -> tuple[float, float]:
        return self.normal, self.niced

    def run(
        self, seconds: float, *, normal: float = 0.0, niced: float = 0.0, own: float = 0.0
    ) -> None:
        """Each argument: cores kept busy for `seconds` (own work is normal work too)."""
        self.normal += (normal + own) * seconds
        self.niced += niced * seconds
        self.own += own * seconds


def _meter(machine: _Machine, clock: _Clock, *, niced_self: bool = False) -> CpuMeter:
    return CpuMeter(
        machine.stat, lambda: machine.own, clock, cores=2, niced_self=lambda: niced_self
    )


def _after(meter: CpuMeter, machine: _Machine, clock: _Clock, **busy: float) -> bool:
    meter.spare()  # the window's first sample
    machine.run(1.0, **busy)
    clock.now += 1.0
    return meter.spare()


def test_niced_batch_work_leaves_the_core_spare() -> None:
    machine, clock = _Machine(), _Clock()
    meter = _meter(machine, clock)
    assert _after(meter, machine, clock, own=1.0, niced=1.0)
    assert meter.others_busy() == 0.0


def test_this_process_own_work_does_not_take_the_spare_core() -> None:
    machine, clock = _Machine(), _Clock()
    assert _after(_meter(machine, clock), machine, clock, own=1.4)


def test_another_process_at_normal_priority_takes_the_spare_core() -> None:
    machine, clock = _Machine(), _Clock()
    meter = _meter(machine, clock)
    assert not _after(meter, machine, clock, own=1.0, normal=0.8)
    assert meter.others_busy() == 0.8


def test_niced_work_competes_with_a_niced_process() -> None:
    machine, clock = _Machine(), _Clock()
    # This process is niced: its own time is niced time, and so is its competitors'.
    meter = _meter(machine, clock, niced_self=True)
    meter.spare()
    machine.niced += 1.8
    machine.own += 1.0
    clock.now += 1.0
    assert not meter.spare()
    assert meter.others_busy() == 0.8


def test_one_core_is_never_spare() -> None:
    machine, clock = _Machine(), _Clock()
    meter = CpuMeter(machine.stat, lambda: 0.0, clock, cores=1)
    assert not _after(meter, machine, clock)


def test_the_meter_reads_the_machine_at_most_once_a_window() -> None:
    machine, clock = _Machine(), _Clock()
    reads: list[float] = []

    def stat() -> tuple[float, float]:
        reads.append(clock.now)
        return machine.stat()

    meter = CpuMeter(stat, lambda: machine.own, clock, cores=2)
    for _ in range(5):
        meter.spare()
        clock.now += 0.2
    assert len(reads) == 2  # at 100.0, then at 100.6, once half a second had passed
