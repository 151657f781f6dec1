"""Growth of extraction time and index size with an article's length (issue 15, B1/B2).

    STANZA_RESOURCES_DIR=../shared/models/stanza_resources python bench/bench_growth.py
    python bench/bench_growth.py --sizes 10000 100000 --timeout 60

Three adversarial patterns, each repeated to 10 KB, 100 KB and 1 MB (characters):
B1 ``“We will win this fight,” Ana Novak said on Monday. The minister added: “There is
no workaround for this.”\\n\\n`` (two attributed quotations a paragraph), B2
``'"a" ' * n`` (one-word quotations, no sentence break); B3 ``"x" * n`` (one token, no
space: stanza on it alone was ~quadratic). Each article is parsed (stanza),
attributed (the sieves) and indexed into a fresh SQLite file, in a child process with a
time limit (--timeout): a run that does not finish is reported as such. Printed per run:
NLP, attribution and indexing seconds, quotations, index bytes; then, between successive
sizes, the exponent k of time ~ size^k and bytes ~ size^k (1 = linear). The issue's bar:
every exponent <= 1.2. Exponents are given for CPU seconds of the child as well as wall
seconds: on a shared machine the wall clock measures the neighbours as much as the code.

--largest adds, per pattern, the largest legal article (the server's max_article_bytes of
UTF-8) and says whether it finished within --budget seconds (the issue's bar: 60).
--compare-threads first parses one 40 KB article with torch on one thread and on two, in
one process, and prints the CPU seconds of each (why nlp/pipeline.py uses one).
"""

from __future__ import annotations

import argparse
import itertools
import math
import multiprocessing
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
B1_UNIT = (
    "“We will win this fight,” Ana Novak said on Monday. The minister added: "
    "“There is no workaround for this.”\n\n"
)
B2_UNIT = '"a" '
B3_UNIT = "x"
PATTERNS = {"B1": B1_UNIT, "B2": B2_UNIT, "B3": B3_UNIT}


def article(unit: str, size: int) -> str:
    """`unit` repeated to `size` characters (whole units)."""
    return unit * max(1, size // len(unit))


def largest_article(unit: str) -> str:
    """`unit` repeated to the largest article the server accepts (bytes of UTF-8)."""
    from quotetrace_server.config import Limits

    return unit * (Limits().max_article_bytes // len(unit.encode("utf-8")))


def measure(text: str, stanza_dir: str | None, result: Any) -> None:
    """In the child: parse, attribute, index; put the figures in `result` (a dict proxy)."""
    from quotetrace_server.attribution.attributor import attribute_parsed
    from quotetrace_server.index.sqlite_store import SqliteStore
    from quotetrace_server.ingest.model import Article
    from quotetrace_server.nlp.pipeline import NlpPipeline

    nlp = NlpPipeline.shared(stanza_dir)
    nlp.parse(article(B1_UNIT, 4_000) + article(B2_UNIT, 4_000))  # stanza's first calls are slow
    began, cpu = time.perf_counter(), time.process_time()
    parsed = nlp.parse(text)
    result["nlp_s"] = time.perf_counter() - began
    result["nlp_cpu"] = time.process_time() - cpu
    began, cpu = time.perf_counter(), time.process_time()
    quotes = attribute_parsed(parsed)
    result["attribute_s"] = time.perf_counter() - began
    result["attribute_cpu"] = time.process_time() - cpu
    result["quotes"] = len(quotes.quotes)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "index.db"
        store = SqliteStore(db)
        began, cpu = time.perf_counter(), time.process_time()
        store.add_article(Article(text=text), quotes)
        result["index_s"] = time.perf_counter() - began
        result["index_cpu"] = time.process_time() - cpu
        store.close()
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
            result["index_bytes"] = pages * int(conn.execute("PRAGMA page_size").fetchone()[0])


def run(text: str, stanza_dir: str | None, timeout: float) -> dict[str, Any] | None:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        result = manager.dict()
        child = context.Process(target=measure, args=(text, stanza_dir, result))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join()
            return None
        return dict(result) if child.exitcode == 0 else None


def exponent(small: float, large: float, n_small: int, n_large: int) -> float:
    if small <= 0 or large <= 0:
        return float("nan")
    return math.log(large / small) / math.log(n_large / n_small)


def total(figures: dict[str, Any], kind: str = "s") -> float:
    """Seconds of NLP + attribution + indexing; kind "s" = wall, "cpu" = CPU."""
    return float(sum(figures[f"{stage}_{kind}"] for stage in ("nlp", "attribute", "index")))


def compare_threads(stanza_dir: str | None) -> None:
    """CPU seconds of one 40 KB parse with torch on one thread, then on two."""
    import torch

    from quotetrace_server.nlp.pipeline import NlpPipeline

    nlp = NlpPipeline.shared(stanza_dir)
    text = article(B1_UNIT, 40_000)
    nlp.parse(article(B1_UNIT, 4_000))
    cpu: dict[int, float] = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        began = time.process_time()
        nlp.parse(text)
        cpu[threads] = time.process_time() - began
    print(
        f"NLP of {len(text):,} chars (B1): torch 1 thread {cpu[1]:.2f} s CPU,"
        f" 2 threads {cpu[2]:.2f} s CPU ({cpu[2] / cpu[1]:.1f}x)",
        flush=True,
    )


def report(name: str, figures: dict[str, Any], chars: int) -> None:
    print(
        f"{name} {chars:>9,} chars: extraction {total(figures):8.2f}s"
        f" ({total(figures, 'cpu'):.2f}s CPU; nlp {figures['nlp_s']:.2f},"
        f" attribution {figures['attribute_s']:.2f}, index {figures['index_s']:.2f})"
        f"  {figures['quotes']:>7,} quotes  index {figures['index_bytes'] / 2**20:8.2f} MiB",
        flush=True,
    )


def report_growth(name: str, rows: list[tuple[int, dict[str, Any] | None]]) -> None:
    done = [(n, f) for n, f in rows if f is not None]
    for (n1, f1), (n2, f2) in itertools.pairwise(done):
        print(
            f"{name} {n1:,} -> {n2:,}: time exponent {exponent(total(f1), total(f2), n1, n2):.2f}"
            f" wall, {exponent(total(f1, 'cpu'), total(f2, 'cpu'), n1, n2):.2f} CPU"
            f" (CPU: nlp {exponent(f1['nlp_cpu'], f2['nlp_cpu'], n1, n2):.2f},"
            f" attribution {exponent(f1['attribute_cpu'], f2['attribute_cpu'], n1, n2):.2f},"
            f" index {exponent(f1['index_cpu'], f2['index_cpu'], n1, n2):.2f}),"
            f" size exponent {exponent(f1['index_bytes'], f2['index_bytes'], n1, n2):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--patterns", nargs="+", default=list(PATTERNS), choices=list(PATTERNS))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument("--largest", action="store_true", help="also the largest legal article")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds (with --largest)")
    parser.add_argument("--compare-threads", action="store_true")
    args = parser.parse_args()
    stanza_dir = os.environ.get("STANZA_RESOURCES_DIR")
    if stanza_dir is None and (REPO.parent / "shared/models/stanza_resources").is_dir():
        stanza_dir = str(REPO.parent / "shared/models/stanza_resources")
    if args.compare_threads:
        compare_threads(stanza_dir)
    for name in args.patterns:
        rows: list[tuple[int, dict[str, Any] | None]] = []
        for size in args.sizes:
            text = article(PATTERNS[name], size)
            figures = run(text, stanza_dir, args.timeout)
            rows.append((len(text), figures))
            if figures is None:
                print(f"{name} {len(text):>9,} chars: not finished within {args.timeout:g}s")
                break  # a larger size would not finish either
            report(name, figures, len(text))
        report_growth(name, rows)
        if args.largest:
            text = largest_article(PATTERNS[name])
            figures = run(text, stanza_dir, max(args.timeout, args.budget))
            size = f"{len(text.encode('utf-8')):,} bytes"
            if figures is None:
                print(f"{name} largest legal article ({size}): not finished")
                continue
            report(name, figures, len(text))
            verdict = "within" if total(figures) <= args.budget else "OVER"
            print(f"{name} largest legal article ({size}): {verdict} {args.budget:g}s")


if __name__ == "__main__":
    main()
