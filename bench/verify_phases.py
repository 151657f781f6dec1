"""Where a Verify query's time goes, phase by phase (issue 11: the tail of the semantic path).

    python bench/verify_phases.py --db /tmp/qt-100k.db        # built by bench_semantic.py

Times the bench_verify query mix through a Verifier with semantic search (embedded inline,
one thread: no overlap to blur the phases) and, for comparison, lexical-only. Each phase is
timed by wrapping the function that does it (inclusive wall time; a phase called several
times per query is summed); "other" is the query's time less the phases listed. Prints the
mean per phase over the queries the words miss and the breakdown of the slowest of them.
The wrappers cost about a microsecond a call: figures compare phases, not configurations.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_verify import make_queries  # type: ignore[import-not-found, unused-ignore]

from quotetrace_server.index.sql import search as candidate_search
from quotetrace_server.index.sql import terms as postings
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.semantic import encoder as encoding
from quotetrace_server.semantic import vectors as wording_vectors
from quotetrace_server.semantic.encoder import SentenceEncoder
from quotetrace_server.semantic.search import SemanticSearch
from quotetrace_server.semantic.vectors import WordingVectors, vectors_path
from quotetrace_server.verify import semantic as meaning
from quotetrace_server.verify import verifier as verifying
from quotetrace_server.verify.model import Verdict, VerifyResult
from quotetrace_server.verify.verifier import Verifier

# (phase, owner, attribute): what each phase's timer wraps. Phases nest only where listed
# as parts ("search:" ones run inside "words", "embed:" ones inside "embed").
PHASES: tuple[tuple[str, Any, str], ...] = (
    ("words", verifying.Verifier, "_best_utterance"),
    ("search:terms", candidate_search, "query_terms"),
    ("search:lemmas", candidate_search, "lemma_key"),
    ("search:df", candidate_search.CandidateSearch, "_term_counts"),
    ("search:postings", postings.Fts5Terms, "rarest_first"),
    ("search:all_of", postings.Fts5Terms, "all_of"),
    ("search:rows", candidate_search.CandidateSearch, "_candidate_rows"),
    ("search:score", verifying, "match_score"),
    ("meaning", verifying.Verifier, "_meaning_match"),
    ("embed", encoding.SentenceEncoder, "encode"),
    ("hnsw", wording_vectors.WordingVectors, "nearest"),
    ("wording_hits", candidate_search.CandidateSearch, "wording_hits"),
    ("checks", meaning, "contradiction"),
    ("not_found", verifying.Verifier, "_not_found"),
    ("judge", verifying.Verifier, "_judge"),
)
TOP = ("words", "meaning", "not_found", "judge")

_spent: dict[str, float] = defaultdict(float)


def _timed(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
            if hasattr(result, "__next__"):  # a generator: time its iteration, not its call
                return _timed_iteration(phase, result)
            return result
        finally:
            _spent[phase] += time.perf_counter() - started

    return wrapper


def _timed_iteration(phase: str, items: Iterator[Any]) -> Iterator[Any]:
    while True:
        started = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            _spent[phase] += time.perf_counter() - started
            return
        _spent[phase] += time.perf_counter() - started
        yield item


@contextmanager
def phase_timers() -> Iterator[None]:
    saved = [(owner, name, getattr(owner, name)) for _, owner, name in PHASES]
    for phase, owner, name in PHASES:
        setattr(owner, name, _timed(phase, getattr(owner, name)))
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def timed_queries(
    verifier: Verifier, queries: Sequence[Any]
) -> list[tuple[float, dict[str, float], object]]:
    """(seconds, seconds per phase, answer) of each query."""
    out: list[tuple[float, dict[str, float], object]] = []
    for q in queries:
        _spent.clear()
        started = time.perf_counter()
        answer = verifier.verify(q.query)
        took = time.perf_counter() - started
        out.append((took, dict(_spent), answer))
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:5.1f}"


def report(rows: Sequence[tuple[float, dict[str, float], object]], label: str, top: int) -> None:
    phases = [p for p, _, _ in PHASES]
    print(f"{label}: {len(rows)} queries; mean ms per phase (inclusive):")
    means = {p: statistics.fmean(r[1].get(p, 0.0) for r in rows) for p in phases}
    total = statistics.fmean(r[0] for r in rows)
    other = total - sum(means[p] for p in TOP)
    print("  total " + _ms(total) + "  " + "  ".join(f"{p} {_ms(means[p])}" for p in phases))
    print(f"  other (outside {', '.join(TOP)}) {_ms(other)}")
    print(f"  slowest {top}:")
    for took, spent, answer in sorted(rows, key=lambda r: -r[0])[:top]:
        verdict = answer.verdict.name if isinstance(answer, VerifyResult) else "?"
        parts = "  ".join(f"{p} {_ms(spent[p])}" for p in phases if spent.get(p))
        rest = took - sum(spent.get(p, 0.0) for p in TOP)
        print(f"    {_ms(took)} ms {verdict:13s} {parts}  other {_ms(rest)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1, help="passes over the queries")
    parser.add_argument("--warm", type=int, default=100, help="warm-up queries (not timed ones)")
    args = parser.parse_args(argv)
    store = SqliteStore(args.db)
    encoder = SentenceEncoder()
    vectors = WordingVectors(vectors_path(args.db), writable=False)
    vectors.use_encoder(encoder.encoder_id)
    search = SemanticSearch(vectors, lambda: encoder, embed_ahead=False, query_threads=1)
    semantic, lexical = Verifier(store, search), Verifier(store)
    queries = make_queries(args.db, args.queries, args.seed)
    # Warm (caches, the model's first run) on other queries of the same mix: the timed
    # ones' second run would find their own pages and texts cached.
    timed = {q.query.quote for q in queries}
    warm = [
        q for q in make_queries(args.db, args.warm, args.seed + 1_000) if q.query.quote not in timed
    ]
    for verifier in (lexical, semantic):
        for q in warm:
            verifier.verify(q.query)
    with phase_timers():
        lex: list[tuple[float, dict[str, float], object]] = []
        sem: list[tuple[float, dict[str, float], object]] = []
        for _ in range(args.rounds):
            lex += timed_queries(lexical, queries)
            sem += timed_queries(semantic, queries)
    missed = [
        i
        for i, (_, _, a) in enumerate(lex)
        if isinstance(a, VerifyResult) and a.verdict is Verdict.NOT_FOUND
    ]
    report([lex[i] for i in missed], "lexical-only, queries the words miss", args.top)
    report([sem[i] for i in missed], "semantic inline 1 thread, queries the words miss", args.top)
    found = [i for i in range(len(lex)) if i not in set(missed)]
    report([sem[i] for i in found], "semantic inline 1 thread, queries found", 3)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
