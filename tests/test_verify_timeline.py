"""Provenance (issue 13): a quotation's first appearance and its dated timeline, per wording,
in the Verify answer, in `quotetrace timeline`, and as ClaimReview's firstAppearance."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client.claimreview import Reviewer, claimreview
from quotetrace_client.cli import main
from quotetrace_server.api.server import RunningServer, start_server
from quotetrace_server.config import ServerConfig
from quotetrace_server.engine.engine import Engine
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import ArticleMeta
from quotetrace_server.verify.model import VerifyQuery
from quotetrace_server.verify.verifier import Verifier

try:  # tests/ as a package or as a plain folder on sys.path
    from .factories import add_said  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from factories import add_said  # type: ignore[no-redef, import-not-found, unused-ignore]

SHORT = "The bridge opens before the first snow"
LONG = "The bridge opens before the first snow, and not a day later."
# (wording, outlet, date, place) in the order the corpus receives them.
PRINTINGS = [
    (LONG, "Valley Courier", "2024-03-05", "at the quay"),
    (SHORT, None, None, "on the beach"),
    (SHORT, "Harbour Gazette", "2024-03-02", "at the pier"),
    (LONG, "Harbour Gazette", "2024-03-02", "in the lobby"),
    (SHORT, "Hill Herald", "2024-03-09", "on the hill"),
]


def url(place: str) -> str:
    return "https://news.example/" + place.split()[-1]


def build_store(path: Path | str = ":memory:") -> SqliteStore:
    store = SqliteStore(path)
    for text, outlet, date, place in PRINTINGS:
        add_said(
            store,
            text,
            "Ana Novak",
            place=place,
            meta=ArticleMeta(outlet=outlet, date=date, url=url(place)),
        )
    return store


@pytest.fixture(scope="module")
def answer() -> pb.VerifyResponse:
    from quotetrace_server.api.convert import verify_response

    return verify_response(Verifier(build_store()).verify(VerifyQuery(SHORT)))


def test_the_timeline_lists_every_printing_earliest_first_undated_last(
    answer: pb.VerifyResponse,
) -> None:
    assert [(p.date, p.outlet) for p in answer.timeline] == [
        ("2024-03-02", "Harbour Gazette"),  # same day: the one received first comes first
        ("2024-03-02", "Harbour Gazette"),
        ("2024-03-05", "Valley Courier"),
        ("2024-03-09", "Hill Herald"),
        ("", ""),
    ]
    assert [p.url for p in answer.timeline][:2] == [url("at the pier"), url("in the lobby")]
    assert answer.timeline_omitted == 0


def test_each_timeline_printing_names_its_own_wording(answer: pb.VerifyResponse) -> None:
    for printing in answer.timeline:
        variant = answer.variants[printing.variant_index - 1]
        assert printing.quote_id in {o.quote_id for o in variant.occurrences}
        assert printing.text == variant.text


def test_first_appearance_is_the_earliest_dated_printing_overall_and_per_wording(
    answer: pb.VerifyResponse,
) -> None:
    assert answer.first_appearance.date == "2024-03-02"
    assert answer.first_appearance.url == url("at the pier")
    firsts = {v.text: (v.first_appearance.date, v.first_appearance.url) for v in answer.variants}
    assert firsts == {
        SHORT: ("2024-03-02", url("at the pier")),
        LONG: ("2024-03-02", url("in the lobby")),
    }


def test_an_undated_corpus_has_no_first_appearance() -> None:
    store = SqliteStore(":memory:")
    add_said(store, SHORT, "Ana Novak", meta=ArticleMeta(outlet="Hill Herald"))
    result = Verifier(store).verify(VerifyQuery(SHORT))
    assert result.first_appearance is None
    assert len(result.timeline) == 1 and result.timeline[0].date is None


def test_the_timeline_keeps_to_the_filter() -> None:
    result = Verifier(build_store()).verify(VerifyQuery(SHORT, date_from="2024-03-04"))
    assert [p.date for p in result.timeline] == ["2024-03-05", "2024-03-09"]
    assert result.first_appearance is not None and result.first_appearance.date == "2024-03-05"
    assert result.printings_outside_filter == 3


def test_claimreview_first_appearance_is_the_servers_first_appearance(
    answer: pb.VerifyResponse,
) -> None:
    # The listed occurrences are cut to one: the timeline still gives the first printing.
    cut = pb.VerifyResponse()
    cut.CopyFrom(answer)
    for variant in cut.variants:
        del variant.occurrences[:]
    request = pb.VerifyRequest(quote=SHORT, claimed_speaker="Ana Novak")
    review = claimreview("c1", request, cut, Reviewer(name="Desk"))
    claim = review["itemReviewed"]
    assert claim["firstAppearance"]["url"] == url("at the pier")
    assert claim["datePublished"] == "2024-03-02"
    assert {w["url"] for w in claim["appearance"]} == {url(p[3]) for p in PRINTINGS}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    store = build_store(tmp_path_factory.mktemp("timeline") / "index.db")
    engine = Engine(store, lambda: pytest.fail("no NLP here"))
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0))
    yield running
    running.stop(grace=None)
    engine.close()


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_timeline_prints_date_outlet_url_and_wording_earliest_first(
    server: RunningServer,
) -> None:
    code, out, _ = run_cli("--server", f"127.0.0.1:{server.port}", "timeline", SHORT)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("VERIFIED")
    first = f"2024-03-02 · Harbour Gazette · {url('at the pier')} · “{SHORT}” (variant 1)"
    assert lines[1] == f"First appearance: {first}"
    printed = [line.strip() for line in lines[3:]]
    assert printed == [
        f"2024-03-02 · Harbour Gazette · {url('at the pier')} · “{SHORT}” (variant 1)",
        f"2024-03-02 · Harbour Gazette · {url('in the lobby')} · “{LONG}” (variant 2)",
        f"2024-03-05 · Valley Courier · {url('at the quay')} · “{LONG}” (variant 2)",
        f"2024-03-09 · Hill Herald · {url('on the hill')} · “{SHORT}” (variant 1)",
        f"(undated) · (outlet unstated) · {url('on the beach')} · “{SHORT}” (variant 1)",
    ]


def test_cli_timeline_json_and_a_quote_never_printed(server: RunningServer) -> None:
    target = f"127.0.0.1:{server.port}"
    code, out, _ = run_cli("--server", target, "timeline", SHORT, "--json")
    record = json.loads(out)
    assert code == 0 and record["verdict"] == "VERIFIED"
    assert record["first_appearance"]["date"] == "2024-03-02"
    assert [p["date"] for p in record["timeline"]] == [
        "2024-03-02", "2024-03-02", "2024-03-05", "2024-03-09", ""
    ]  # fmt: skip
    code, out, _ = run_cli("--server", target, "timeline", "zebras juggle marmalade at dawn")
    assert code == 0
    assert out.splitlines()[0].startswith("NOT_FOUND")
    assert "First appearance" not in out
