"""Admission: a cap on calls in progress that health checking is never counted against.

grpc's own `maximum_concurrent_rpcs` counts every call alike, so enough open streams
(idle VerifyStream calls, say) would refuse health checks too, and an orchestrator
would restart a server that is only busy. This interceptor counts every call except
health checks and refuses those over the cap with RESOURCE_EXHAUSTED; grpc's cap sits
above it (by HEALTH_RESERVE), as a backstop only. Idle streams are ended by the
servicer (see servicer.next_or_idle), so held slots come back.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import grpc
import grpc.aio

from quotetrace_server.api.handlers import Handler, rewrap

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # grpc's classes are generic only in their type stubs
    Interceptor: TypeAlias = grpc.aio.ServerInterceptor[Any, Any]
else:
    Interceptor = grpc.aio.ServerInterceptor

HEALTH_PREFIX = "/grpc.health.v1.Health/"
# Calls grpc itself admits beyond the cap: room for health checks when the cap is full.
HEALTH_RESERVE = 64

Context = grpc.aio.ServicerContext[Any, Any]


class CallLimitInterceptor(Interceptor):
    """At most `limit` calls in progress at once, health checks not counted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_progress = 0  # changed on the event loop's thread only

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler]],
        details: grpc.HandlerCallDetails,
    ) -> Handler:
        handler = await continuation(details)
        if handler is None or details.method.startswith(HEALTH_PREFIX):
            return handler
        return self._counted(details.method, handler)

    def _admit(self, method: str) -> bool:
        if self.in_progress >= self.limit:
            log.warning("refused %s: %d calls in progress (the cap)", method, self.in_progress)
            return False
        self.in_progress += 1
        return True

    async def _refuse(self, context: Context) -> None:
        await context.abort(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"the server has {self.limit} calls in progress, its limit; retry later",
        )

    def _counted(self, method: str, handler: Handler) -> Handler:
        return rewrap(
            handler,
            lambda behaviour: self._counted_coroutine(method, behaviour),
            lambda behaviour: self._counted_generator(method, behaviour),
        )

    def _counted_coroutine(
        self, method: str, behaviour: Callable[[Any, Context], Awaitable[Any]]
    ) -> Callable[[Any, Context], Awaitable[Any]]:
        async def counted(request: Any, context: Context) -> Any:
            if not self._admit(method):
                await self._refuse(context)
            try:
                return await behaviour(request, context)
            finally:
                self.in_progress -= 1

        return counted

    def _counted_generator(
        self, method: str, behaviour: Callable[[Any, Context], AsyncIterator[Any]]
    ) -> Callable[[Any, Context], AsyncIterator[Any]]:
        async def counted(request: Any, context: Context) -> AsyncIterator[Any]:
            if not self._admit(method):
                await self._refuse(context)
            try:
                async for response in behaviour(request, context):
                    yield response
            finally:
                self.in_progress -= 1

        return counted
