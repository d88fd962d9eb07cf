"""One round trip for many sockets: what thousands of sockets ask at once (after a deploy every browser
reconnects) is gathered and asked once, e.g. one query for the users of 300 tokens instead of 300 queries
and 300 thread hops.

A call waits only for the load that is running, if any: a lone socket is served at once, and every call
made while a load runs is served by the next one, together.
"""

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

Load = Callable[[list], Awaitable[dict]]


class Batcher:
    """`await batcher.get(key)` is `(await load([key, ...])).get(key)`, with the keys of concurrent callers
    loaded together (at most `max_batch` at a time)."""

    def __init__(self, load: Load, *, max_batch: int = 500) -> None:
        self._load = load
        self._max_batch = max_batch
        self._pending: dict[Hashable, list[asyncio.Future]] = {}
        self._running = False
        self._task: asyncio.Task | None = None

    async def get(self, key: Hashable) -> Any:
        future = asyncio.get_running_loop().create_future()
        self._pending.setdefault(key, []).append(future)
        if not self._running:
            self._running = True
            # Held here until it ends: the loop keeps tasks only weakly.
            self._task = asyncio.ensure_future(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                # The callers woken in this turn of the loop (a burst of handshakes) join this batch.
                await asyncio.sleep(0)
                keys = list(self._pending)[: self._max_batch]
                batch = {key: self._pending.pop(key) for key in keys}
                await self._serve(batch)
        finally:
            self._running = False

    async def _serve(self, batch: dict[Hashable, list[asyncio.Future]]) -> None:
        try:
            values = await self._load(list(batch))
        except BaseException as exc:
            # Every caller of this batch sees the failure as its own call would have (a cancelled load, at
            # shutdown, must not leave them waiting forever).
            for futures in batch.values():
                for future in futures:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else ConnectionAbortedError())
            if not isinstance(exc, Exception):
                raise
            return
        for key, futures in batch.items():
            for future in futures:
                if not future.done():
                    future.set_result(values.get(key))


# Per event loop: futures belong to one loop (a web process has one; the test suite one per test).
_batchers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def batched(load: Load, *, max_batch: int = 500) -> Callable[[Hashable], Awaitable[Any]]:
    """`load(keys) -> {key: value}` as a function of one key whose concurrent calls are loaded together."""

    async def get(key: Hashable) -> Any:
        loop = asyncio.get_running_loop()
        per_loop = _batchers.setdefault(loop, {})
        batcher = per_loop.get(load)
        if batcher is None:
            batcher = per_loop[load] = Batcher(load, max_batch=max_batch)
        return await batcher.get(key)

    return get
