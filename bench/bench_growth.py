"""Growth of extraction time and index size with an article's length (issue 15, B1/B2).

    STANZA_RESOURCES_DIR=../shared/models/stanza_resources python bench/bench_growth.py
    python bench/bench_growth.py --sizes 10000 100000 --timeout 60

Two adversarial patterns, each repeated to 10 KB, 100 KB and 1 MB (characters):
B1 ``“We will win this fight,” Ana Novak said on Monday. The minister added: “There is
no workaround for this.”\\n\\n`` (two attributed quotations a paragraph) and B2
``'"a" ' * n`` (one-word quotations, no sentence break). Each article is parsed (stanza),
attributed (the sieves) and indexed into a fresh SQLite file, in a child process with a
time limit (--timeout): a run that does not finish is reported as such. Printed per run:
NLP, attribution and indexing seconds, quotations, index bytes; then, between successive
sizes, the exponent k of time ~ size^k and bytes ~ size^k (1 = linear). The issue's bar:
every exponent <= 1.2.
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
PATTERNS = {"B1": B1_UNIT, "B2": B2_UNIT}


def article(unit: str, size: int) -> str:
    """`unit` repeated to `size` characters (whole units)."""
    return unit * max(1, size // len(unit))


def measure(text: str, stanza_dir: str | None, result: Any) -> None:
    """In the child: parse, attribute, index; put the figures in `result` (a dict proxy)."""
    from quotetrace_server.attribution.attributor import attribute_parsed
    from quotetrace_server.index.sqlite_store import SqliteStore
    from quotetrace_server.ingest.model import Article
    from quotetrace_server.nlp.pipeline import NlpPipeline

    nlp = NlpPipeline.shared(stanza_dir)
    nlp.parse(article(B1_UNIT, 4_000) + article(B2_UNIT, 4_000))  # stanza's first calls are slow
    began = time.perf_counter()
    parsed = nlp.parse(text)
    result["nlp_s"] = time.perf_counter() - began
    began = time.perf_counter()
    quotes = attribute_parsed(parsed)
    result["attribute_s"] = time.perf_counter() - began
    result["quotes"] = len(quotes.quotes)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "index.db"
        store = SqliteStore(db)
        began = time.perf_counter()
        store.add_article(Article(text=text), quotes)
        result["index_s"] = time.perf_counter() - began
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--patterns", nargs="+", default=list(PATTERNS), choices=list(PATTERNS))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    args = parser.parse_args()
    stanza_dir = os.environ.get("STANZA_RESOURCES_DIR")
    if stanza_dir is None and (REPO.parent / "shared/models/stanza_resources").is_dir():
        stanza_dir = str(REPO.parent / "shared/models/stanza_resources")
    for name in args.patterns:
        rows: list[tuple[int, dict[str, Any] | None]] = []
        for size in args.sizes:
            text = article(PATTERNS[name], size)
            figures = run(text, stanza_dir, args.timeout)
            rows.append((len(text), figures))
            if figures is None:
                print(f"{name} {len(text):>9,} chars: not finished within {args.timeout:g}s")
                break  # a larger size would not finish either
            total = figures["nlp_s"] + figures["attribute_s"] + figures["index_s"]
            print(
                f"{name} {len(text):>9,} chars: extraction {total:8.2f}s"
                f" (nlp {figures['nlp_s']:.2f}, attribution {figures['attribute_s']:.2f},"
                f" index {figures['index_s']:.2f})  {figures['quotes']:>7,} quotes"
                f"  index {figures['index_bytes'] / 2**20:8.2f} MiB",
                flush=True,
            )
        done = [(n, f) for n, f in rows if f is not None]
        for (n1, f1), (n2, f2) in itertools.pairwise(done):
            t1 = f1["nlp_s"] + f1["attribute_s"] + f1["index_s"]
            t2 = f2["nlp_s"] + f2["attribute_s"] + f2["index_s"]
            print(
                f"{name} {n1:,} -> {n2:,}: time exponent {exponent(t1, t2, n1, n2):.2f}"
                f" (nlp {exponent(f1['nlp_s'], f2['nlp_s'], n1, n2):.2f},"
                f" attribution {exponent(f1['attribute_s'], f2['attribute_s'], n1, n2):.2f}),"
                f" size exponent {exponent(f1['index_bytes'], f2['index_bytes'], n1, n2):.2f}"
            )


if __name__ == "__main__":
    main()
