"""Wrap the behaviour of a grpc.aio method handler, whatever the shape of its call.

A servicer method is a coroutine function (it returns its one response) or an async
generator function (it yields responses); interceptors that act around the call
(admission, error mapping) wrap it with the matching kind of function.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import grpc
import grpc.aio

if TYPE_CHECKING:  # grpc's classes are generic only in their type stubs
    Handler: TypeAlias = grpc.RpcMethodHandler[Any, Any]
else:
    Handler = grpc.RpcMethodHandler

Context = grpc.aio.ServicerContext[Any, Any]
Coroutine = Callable[[Any, Context], Awaitable[Any]]
Generator = Callable[[Any, Context], AsyncIterator[Any]]

_KINDS = (
    ("unary_unary", grpc.unary_unary_rpc_method_handler),
    ("unary_stream", grpc.unary_stream_rpc_method_handler),
    ("stream_unary", grpc.stream_unary_rpc_method_handler),
    ("stream_stream", grpc.stream_stream_rpc_method_handler),
)


def rewrap(
    handler: Handler,
    around_coroutine: Callable[[Coroutine], Coroutine],
    around_generator: Callable[[Generator], Generator],
) -> Handler:
    """`handler` with its behaviour wrapped by the wrapper for its kind of function."""
    for kind, make in _KINDS:
        behaviour = getattr(handler, kind)
        if behaviour is not None:
            wrapped = (
                around_generator(behaviour)
                if inspect.isasyncgenfunction(behaviour)
                else around_coroutine(behaviour)
            )
            made: Handler = make(
                wrapped,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
            return made
    return handler
