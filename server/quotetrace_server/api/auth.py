"""API-key authentication as a server interceptor.

With a key configured, IngestArticles always needs `authorization: Bearer <key>`;
reads need it only when keys_required_for_reads is set. Health and reflection
stay open so orchestrators and generic tools work. Keys are compared in
constant time and never logged.
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
WRITE_METHODS = frozenset({SERVICE + "IngestArticles"})


def refusal(method: str, code: grpc.StatusCode, message: str) -> Handler:
    """A handler for `method` that only aborts with `code`."""

    async def abort(request_or_requests: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
        await context.abort(code, message)

    # The refusal must take the same shape of call as the method it stands in for.
    if method == SERVICE + "IngestArticles":
        return grpc.stream_unary_rpc_method_handler(abort)
    if method == SERVICE + "VerifyStream":
        return grpc.stream_stream_rpc_method_handler(abort)
    return grpc.unary_unary_rpc_method_handler(abort)


def bearer_token(metadata: tuple[tuple[str, str | bytes], ...]) -> str | None:
    for key, value in metadata:
        if key == "authorization" and isinstance(value, str):
            scheme, _, token = value.partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


class ApiKeyInterceptor(Interceptor):
    def __init__(self, api_key: str, keys_required_for_reads: bool) -> None:
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
            )
        if not hmac.compare_digest(token.encode(), self._key):
            log.warning("refused %s: wrong API key", method)
            return refusal(method, grpc.StatusCode.PERMISSION_DENIED, "API key not accepted")
        return await continuation(details)
