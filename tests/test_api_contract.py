"""The service end to end: a real server on a free port, called through the client library."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import descriptor_pool, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_server.api.server import RunningServer
from quotetrace_server.entities.normalize import normalize

WHY_WE_CAME = "That’s why we came here"


def test_verify_returns_occurrences_that_point_into_the_seed_files(
    client: QuoteTraceClient, seed_texts: dict[str, str]
) -> None:
    response = client.verify(WHY_WE_CAME)
    assert response.verdict == pb.VERDICT_VERIFIED
    occurrences = [o for v in response.variants for o in v.occurrences]
    assert len({o.source_name for o in occurrences}) >= 3
    for variant in response.variants:
        for occ in variant.occurrences:
            assert seed_texts[occ.source_name][occ.start : occ.end] == occ.text
            assert normalize(occ.text) == normalize(variant.text)
    assert response.speakers[0].name == "Vladimir Putin"
    assert list(response.nlp_processors)[:1] == ["tokenize"]


def test_occurrences_carry_the_evidence_of_both_attribution_stages(
    client: QuoteTraceClient, seed_texts: dict[str, str]
) -> None:
    response = client.verify(WHY_WE_CAME)
    occurrences = [o for v in response.variants for o in v.occurrences]
    attributed = [o for o in occurrences if o.speaker]
    assert attributed
    for occ in attributed:
        assert occ.sieve and occ.resolution  # stage 1 and stage 2 are both named
        assert occ.speaker_mention and occ.cue
        assert occ.speaker_mention in seed_texts[occ.source_name]


def test_claim_for_the_wrong_speaker_is_misattributed_with_the_real_speaker(
    client: QuoteTraceClient,
) -> None:
    response = client.verify(WHY_WE_CAME, speaker="Kim Jong Un")
    assert response.verdict == pb.VERDICT_MISATTRIBUTED
    assert response.speakers[0].name == "Vladimir Putin"
    outlets = {o.name for o in response.outlets}
    assert {"Daily Maverick", "The Washington Times"} <= outlets


def test_verify_stream_answers_each_claim_in_order(client: QuoteTraceClient) -> None:
    claims = [
        ("a", claim_request(WHY_WE_CAME, "Putin")),
        ("b", claim_request("Completely unrelated words about gardening tomatoes")),
        ("c", claim_request(WHY_WE_CAME, "Kim")),
    ]
    answers = list(client.verify_stream(claims))
    assert [a.claim_id for a in answers] == ["a", "b", "c"]
    assert [a.response.verdict for a in answers] == [
        pb.VERDICT_VERIFIED,
        pb.VERDICT_NOT_FOUND,
        pb.VERDICT_MISATTRIBUTED,
    ]


def test_verify_stream_stops_at_a_bad_claim_naming_it_after_answering_those_before(
    client: QuoteTraceClient,
) -> None:
    claims = [("good", claim_request(WHY_WE_CAME)), ("empty", claim_request("   "))]
    claims += [(f"later{n}", claim_request(WHY_WE_CAME)) for n in range(30)]
    answered: list[str] = []
    with pytest.raises(grpc.RpcError) as rejected:
        for answer in client.verify_stream(claims):
            answered.append(answer.claim_id)
    assert rejected.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert rejected.value.details() == "claim empty: quote is empty"
    assert answered == ["good"]


def test_get_speaker_resolves_any_alias_to_one_canonical_speaker(client: QuoteTraceClient) -> None:
    names = {client.get_speaker(alias).speaker.name for alias in ("Putin", "Mr. Putin")}
    assert names == {"Vladimir Putin"}
    speaker = client.get_speaker("Vladimir Putin")
    assert speaker.speaker.kind == pb.SPEAKER_KIND_PERSON
    assert speaker.speaker.occurrence_count >= 10
    assert len(speaker.article_ids) == 5


def test_list_quotes_pages_through_an_article_in_text_order(client: QuoteTraceClient) -> None:
    article_id = client.get_speaker("Putin").article_ids[0]
    first = client.list_quotes(article_id=article_id, page_size=2)
    assert len(first.quotes) == 2 and first.next_page_token
    every = list(client.all_quotes(article_id=article_id))
    assert len(every) == first.total_size
    assert [q.start for q in every] == sorted(q.start for q in every)
    assert {q.article_id for q in every} == {article_id}


def test_stats_count_the_seed_corpus(client: QuoteTraceClient) -> None:
    stats = client.stats()
    assert stats.article_count == 5
    assert stats.quote_count >= 50
    assert "tokenize" in stats.nlp_processors


def test_health_reports_serving_for_server_and_service(client: QuoteTraceClient) -> None:
    assert client.health() == "SERVING"
    assert client.health("quotetrace.v1.QuoteTrace") == "SERVING"


def test_reflection_client_lists_services_and_calls_verify_without_the_proto(
    seeded_server: RunningServer,
) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{seeded_server.port}") as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        services = set(database.get_services())
        assert {"quotetrace.v1.QuoteTrace", "grpc.health.v1.Health"} <= services
        pool = descriptor_pool.DescriptorPool(database)  # a pool of its own: not our pb2
        method = pool.FindServiceByName("quotetrace.v1.QuoteTrace").FindMethodByName("Verify")
        request_class = message_factory.GetMessageClass(method.input_type)
        response_class = message_factory.GetMessageClass(method.output_type)
        assert request_class is not pb.VerifyRequest
        call = channel.unary_unary(
            "/quotetrace.v1.QuoteTrace/Verify",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_class.FromString,
        )
        response = call(request_class(quote=WHY_WE_CAME, claimed_speaker="Putin"), timeout=30)
        verdict = method.output_type.fields_by_name["verdict"].enum_type
        assert verdict is not None
        assert verdict.values_by_number[response.verdict].name == "VERDICT_VERIFIED"


@pytest.mark.parametrize("alias", ["President Vladimir Putin", "Russian President Vladimir Putin"])
def test_claimed_speaker_is_matched_alias_aware(client: QuoteTraceClient, alias: str) -> None:
    assert client.verify(WHY_WE_CAME, speaker=alias).verdict == pb.VERDICT_VERIFIED


def test_a_reworded_claim_over_grpc_says_it_was_found_by_meaning(
    client: QuoteTraceClient,
) -> None:
    response = client.verify(
        "We made this trip to the Vostochny Cosmodrome for exactly that reason"
    )
    assert response.verdict == pb.VERDICT_ALTERED, response.explanation
    assert response.match_signal == pb.MATCH_SIGNAL_SEMANTIC
    assert response.semantic_search == pb.SEMANTIC_SEARCH_ON
    assert response.semantic_model == "all-MiniLM-L6-v2-onnx-int8-dynamic"
    assert 0.65 <= response.semantic_similarity <= 1.0
    assert response.lexical_score < 80


def test_a_claim_found_by_its_words_says_so(client: QuoteTraceClient) -> None:
    response = client.verify(WHY_WE_CAME)
    assert response.match_signal == pb.MATCH_SIGNAL_LEXICAL
    assert response.lexical_score >= 80
