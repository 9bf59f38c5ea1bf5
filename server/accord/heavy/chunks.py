"""Large row lists handled in slices, so that a 100,000-coding study never holds the event
loop for long.

- :func:`converted` turns database rows into objects a slice at a time, letting the event
  loop run other requests between slices.
- :class:`Packed` carries a long list to a heavy-work process, or back. The pool pickles its
  arguments (and unpickles the answer) in a thread, in one call that holds the
  interpreter lock for as long as it runs C code, which for plain objects is all of it
  (100,000 segments took most of a second each way on a loaded machine); :func:`pack`
  pickles the list a slice at a time on the event loop, with awaits between, and the
  pool then only copies the finished bytes. The worker calls :meth:`Packed.unpack`.
  A worker's answer goes the other way: :func:`pack_now` in the worker, and
  :func:`unpacked` on the event loop, a slice at a time.
"""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R")
T = TypeVar("T")

#: Rows per slice: about a millisecond or two of Python on an idle core.
SLICE = 1_000


async def converted(rows: Iterable[R], convert: Callable[[R], T | None]) -> list[T]:
    """``convert`` applied to each row (``None`` drops the row), yielding to the event loop
    after every :data:`SLICE` rows."""
    out: list[T] = []
    for n, row in enumerate(rows, 1):
        item = convert(row)
        if item is not None:
            out.append(item)
        if n % SLICE == 0:
            await asyncio.sleep(0)
    return out


@dataclass(frozen=True)
class Packed(Generic[T]):
    """A list pickled in slices (see :func:`pack`); cheap to send to another process."""

    blobs: tuple[bytes, ...]
    length: int

    def unpack(self) -> list[T]:
        """The list again, in its order (in the worker process)."""
        out: list[T] = []
        for blob in self.blobs:
            out.extend(pickle.loads(blob))
        return out


async def pack(items: Sequence[T]) -> Packed[T]:
    """``items`` pickled :data:`SLICE` at a time, yielding to the event loop between."""
    blobs: list[bytes] = []
    for first in range(0, len(items), SLICE):
        blobs.append(pickle.dumps(list(items[first : first + SLICE]), pickle.HIGHEST_PROTOCOL))
        await asyncio.sleep(0)
    return Packed(tuple(blobs), len(items))


def pack_now(items: Sequence[T]) -> Packed[T]:
    """``items`` pickled in slices at once: in a worker process, for :func:`unpacked`."""
    blobs = [
        pickle.dumps(list(items[first : first + SLICE]), pickle.HIGHEST_PROTOCOL)
        for first in range(0, len(items), SLICE)
    ]
    return Packed(tuple(blobs), len(items))


async def unpacked(packed: Packed[T]) -> list[T]:
    """The list again, on the event loop, yielding between slices."""
    out: list[T] = []
    for blob in packed.blobs:
        out.extend(pickle.loads(blob))
        await asyncio.sleep(0)
    return out
