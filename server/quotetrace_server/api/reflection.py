"""Server reflection, `grpc.reflection.v1` and `grpc.reflection.v1alpha`, with the proto's comments.

grpcio-reflection implements only v1alpha, and answers from the generated modules'
descriptors, which carry no comments. Here:

- one servicer answers both versions: v1 is v1alpha under a new package name, the same
  messages with the same field numbers, so v1alpha's classes read and write v1's bytes;
- the quotetrace file is served as `scripts/gen_proto.py` wrote it into the descriptor set
  `quotetrace/v1/quotetrace.binpb`, source info included, so a generic tool shows the
  documentation of each message and field.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import grpc
import grpc.aio
from google.protobuf import descriptor_pb2
from grpc_reflection.v1alpha import reflection_pb2
from grpc_reflection.v1alpha._async import ReflectionServicer

V1_SERVICE_NAME = "grpc.reflection.v1.ServerReflection"
V1ALPHA_SERVICE_NAME = reflection_pb2.DESCRIPTOR.services_by_name["ServerReflection"].full_name
SERVICE_NAMES = (V1_SERVICE_NAME, V1ALPHA_SERVICE_NAME)
DESCRIPTOR_SET = "quotetrace.binpb"  # in the quotetrace.v1 package, beside the modules


@cache
def documented_files() -> Mapping[str, bytes]:
    """File name → serialized FileDescriptorProto with its comments, from the descriptor set."""
    data = resources.files("quotetrace.v1").joinpath(DESCRIPTOR_SET).read_bytes()
    files = descriptor_pb2.FileDescriptorSet.FromString(data).file
    return {f.name: f.SerializeToString() for f in files}


def with_comments(
    response: reflection_pb2.ServerReflectionResponse, documented: Mapping[str, bytes]
) -> reflection_pb2.ServerReflectionResponse:
    """`response` with each file that has a documented copy replaced by that copy."""
    if not response.HasField("file_descriptor_response"):
        return response
    files = response.file_descriptor_response.file_descriptor_proto
    for i, data in enumerate(files):
        name = descriptor_pb2.FileDescriptorProto.FromString(data).name
        if name in documented:
            files[i] = documented[name]
    return response


class DocumentedReflectionServicer(ReflectionServicer):  # type: ignore[misc]
    """grpcio-reflection's servicer, answering with the documented descriptors."""

    def __init__(self, service_names: Iterable[str], documented: Mapping[str, bytes]) -> None:
        super().__init__(service_names)
        self._documented = documented

    async def ServerReflectionInfo(
        self, request_iterator: AsyncIterator[Any], context: Any
    ) -> AsyncIterator[reflection_pb2.ServerReflectionResponse]:
        async for response in super().ServerReflectionInfo(request_iterator, context):
            yield with_comments(response, self._documented)


def reflection_handlers(
    service_names: Iterable[str],
) -> tuple[grpc.GenericRpcHandler[Any, Any], ...]:
    """Handlers for both reflection services, listing `service_names` and themselves."""
    servicer = DocumentedReflectionServicer((*service_names, *SERVICE_NAMES), documented_files())
    method = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    return tuple(
        grpc.method_handlers_generic_handler(name, {"ServerReflectionInfo": method})
        for name in SERVICE_NAMES
    )
