"""API-key authentication as a server interceptor.

With a key configured, writes (IngestArticles, IngestArticlesStream, DeleteArticle)
always need `authorization: Bearer <key>`;
reads need it only when keys_required_for_reads is set. Without a key, writes are
refused unless the server was started with --insecure-open-writes. Health and
reflection stay open so orchestrators and generic tools work. Keys are compared in
constant time and never logged; a refused call is logged with the caller's address.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import grpc
import grpc.aio

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # grpc's classes are generic only in their type stubs
    Handler: TypeAlias = grpc.RpcMethodHandler[Any, Any]
    Interceptor: TypeAlias = grpc.aio.ServerInterceptor[Any, Any]
else:
    Handler = grpc.RpcMethodHandler
    Interceptor = grpc.aio.ServerInterceptor

SERVICE = "/quotetrace.v1.QuoteTrace/"
WRITE_METHODS = frozenset(
    {SERVICE + "IngestArticles", SERVICE + "IngestArticlesStream", SERVICE + "DeleteArticle"}
)


def refusal(method: str, code: grpc.StatusCode, message: str, reason: str) -> Handler:
    """A handler for `method` that logs `reason` with the caller's address and aborts."""

    async def abort(request_or_requests: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
        log.warning("refused %s from %s: %s", method, context.peer(), reason)
        await context.abort(code, message)

    # The refusal must take the same shape of call as the method it stands in for.
    if method == SERVICE + "IngestArticles":
        return grpc.stream_unary_rpc_method_handler(abort)
    if method in (SERVICE + "VerifyStream", SERVICE + "IngestArticlesStream"):
        return grpc.stream_stream_rpc_method_handler(abort)
    return grpc.unary_unary_rpc_method_handler(abort)


def bearer_token(metadata: tuple[tuple[str, str | bytes], ...]) -> str | None:
    for key, value in metadata:
        if key == "authorization" and isinstance(value, str):
            scheme, _, token = value.partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


WRITES_CLOSED = (
    "writes are disabled: this server was started without an API key "
    "(start it with --api-key-file, or --insecure-open-writes to accept anyone's writes)"
)


class WritesClosedInterceptor(Interceptor):
    """No API key and no --insecure-open-writes: every write is refused, reads are open."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler]],
        details: grpc.HandlerCallDetails,
    ) -> Handler:
        if details.method in WRITE_METHODS:
            return refusal(
                details.method,
                grpc.StatusCode.PERMISSION_DENIED,
                WRITES_CLOSED,
                "writes are disabled (no API key configured)",
            )
        return await continuation(details)


class ApiKeyInterceptor(Interceptor):
    def __init__(self, api_key: str, keys_required_for_reads: bool) -> None:
        if not api_key.strip():
            raise ValueError("an empty API key would let anyone in")
        self._key = api_key.encode()
        self._reads_need_key = keys_required_for_reads

    def needs_key(self, method: str) -> bool:
        if not method.startswith(SERVICE):
            return False  # health checking and reflection
        return method in WRITE_METHODS or self._reads_need_key

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler]],
        details: grpc.HandlerCallDetails,
    ) -> Handler:
        method = details.method
        if not self.needs_key(method):
            return await continuation(details)
        token = bearer_token(tuple(details.invocation_metadata or ()))
        if token is None:
            return refusal(
                method,
                grpc.StatusCode.UNAUTHENTICATED,
                "this call needs an API key: send metadata 'authorization: Bearer <key>'",
                "no API key",
            )
        if not hmac.compare_digest(token.encode(), self._key):
            return refusal(
                method, grpc.StatusCode.PERMISSION_DENIED, "API key not accepted", "wrong API key"
            )
        return await continuation(details)
