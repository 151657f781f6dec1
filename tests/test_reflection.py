"""Server reflection: grpc.reflection.v1 (and v1alpha) serve the .proto with its comments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_reflection.v1alpha import reflection_pb2

from quotetrace_server.api.server import RunningServer, start_server
from quotetrace_server.config import ServerConfig
from quotetrace_server.engine.engine import Engine

PROTO_SOURCE = Path(__file__).resolve().parent.parent / "proto/quotetrace/v1/quotetrace.proto"
V1_METHOD = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
V1ALPHA_METHOD = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
MESSAGE_TYPE, FIELD = 4, 2  # FileDescriptorProto.message_type, DescriptorProto.field


def v1_reflection_classes() -> tuple[Any, Any]:
    """(ServerReflectionRequest, ServerReflectionResponse) of package grpc.reflection.v1.

    grpc.reflection.v1 is v1alpha renamed (same messages, same field numbers), and no
    installed package ships its Python classes; they are built here from v1alpha's
    descriptor under the v1 names, in a pool of their own, so nothing of the server's
    code is involved on the client side.
    """
    file = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(file)
    file.name = "grpc/reflection/v1/reflection.proto"
    file.package = "grpc.reflection.v1"
    del file.service[:]  # the method path is all a client needs of the service
    for message in file.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = field.type_name.replace(".v1alpha.", ".v1.")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    request = pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionRequest")
    response = pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionResponse")
    return message_factory.GetMessageClass(request), message_factory.GetMessageClass(response)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    engine = Engine.open(":memory:")  # reflection needs no corpus, and no NLP is loaded
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0))
    yield running
    running.stop(grace=None)
    engine.close()


def ask(server: RunningServer, method: str, classes: tuple[Any, Any], **request: Any) -> Any:
    request_class, response_class = classes
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        call = channel.stream_stream(
            method,
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_class.FromString,
        )
        (response,) = list(call(iter([request_class(**request)]), timeout=10))
    return response


def leading_comment(file: descriptor_pb2.FileDescriptorProto, message: str, field: str) -> str:
    """The comment above `message`.`field`, from the file's source info ("" if none)."""
    m = next(i for i, d in enumerate(file.message_type) if d.name == message)
    f = next(i for i, d in enumerate(file.message_type[m].field) if d.name == field)
    path = [MESSAGE_TYPE, m, FIELD, f]
    for location in file.source_code_info.location:
        if list(location.path) == path:
            return location.leading_comments
    return ""


def proto_comment_lines() -> set[str]:
    """Every `//` comment line of the .proto, stripped."""
    text = PROTO_SOURCE.read_text(encoding="utf-8")
    return {m.strip() for m in re.findall(r"^\s*//(.*)$", text, re.MULTILINE) if m.strip()}


def test_reflection_v1_serves_the_proto_with_its_field_comments(server: RunningServer) -> None:
    response = ask(
        server, V1_METHOD, v1_reflection_classes(), file_containing_symbol="quotetrace.v1.Verdict"
    )
    assert response.WhichOneof("message_response") == "file_descriptor_response"
    (data,) = response.file_descriptor_response.file_descriptor_proto
    file = descriptor_pb2.FileDescriptorProto.FromString(data)
    assert file.name == "quotetrace/v1/quotetrace.proto"
    comment = leading_comment(file, "VerifyRequest", "claimed_speaker")
    assert comment.strip(), "VerifyRequest.claimed_speaker is documented in the .proto"
    lines = {line.strip() for line in comment.splitlines() if line.strip()}
    assert lines <= proto_comment_lines()


def test_reflection_v1_lists_the_services_both_versions_included(server: RunningServer) -> None:
    response = ask(server, V1_METHOD, v1_reflection_classes(), list_services="")
    names = {s.name for s in response.list_services_response.service}
    assert {
        "quotetrace.v1.QuoteTrace",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    } <= names


def test_reflection_v1alpha_serves_the_same_documented_file(server: RunningServer) -> None:
    classes = (reflection_pb2.ServerReflectionRequest, reflection_pb2.ServerReflectionResponse)
    alpha = ask(server, V1ALPHA_METHOD, classes, file_by_filename="quotetrace/v1/quotetrace.proto")
    v1 = ask(
        server,
        V1_METHOD,
        v1_reflection_classes(),
        file_by_filename="quotetrace/v1/quotetrace.proto",
    )
    alpha_files = list(alpha.file_descriptor_response.file_descriptor_proto)
    assert alpha_files == list(v1.file_descriptor_response.file_descriptor_proto)
    file = descriptor_pb2.FileDescriptorProto.FromString(alpha_files[0])
    assert file.source_code_info.location


def test_reflection_v1_answers_an_unknown_symbol_with_not_found(server: RunningServer) -> None:
    response = ask(
        server, V1_METHOD, v1_reflection_classes(), file_containing_symbol="no.such.Thing"
    )
    assert response.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]


def clear_json_names(messages: Iterable[descriptor_pb2.DescriptorProto]) -> None:
    for message in messages:
        for field in message.field:
            field.ClearField("json_name")
        clear_json_names(message.nested_type)


def test_served_descriptor_is_the_generated_code_plus_comments() -> None:
    """The descriptor set and the generated module describe the same .proto."""
    from quotetrace.v1 import quotetrace_pb2 as pb
    from quotetrace_server.api.reflection import documented_files

    served = descriptor_pb2.FileDescriptorProto.FromString(
        documented_files()["quotetrace/v1/quotetrace.proto"]
    )
    served.ClearField("source_code_info")
    clear_json_names(served.message_type)  # protoc fills them in; the modules leave them out
    generated = descriptor_pb2.FileDescriptorProto()
    pb.DESCRIPTOR.CopyToProto(generated)
    assert served == generated
