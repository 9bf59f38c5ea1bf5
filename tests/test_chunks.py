"""accord.heavy.chunks: long lists converted and pickled a slice at a time, with the event
loop free to run other tasks between slices, and nothing lost or reordered."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from accord.heavy.chunks import SLICE, converted, pack, pack_now, unpacked

LENGTHS = [0, 1, SLICE - 1, SLICE, SLICE + 1, 3 * SLICE + 7]


async def _turns_during(work: Callable[[], Awaitable[Any]]) -> tuple[Any, int]:
    """The result of ``work`` and how many times another task ran while it did."""
    turns = 0
    done = asyncio.Event()

    async def other() -> None:
        nonlocal turns
        while not done.is_set():
            turns += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(other())
    await asyncio.sleep(0)
    started = turns
    try:
        result = await work()
    finally:
        done.set()
        await task
    return result, turns - started


@pytest.mark.parametrize("length", LENGTHS)
async def test_pack_and_unpack_keep_every_item_in_order(length: int) -> None:
    items = [(n, f"row {n}", {"n": n}) for n in range(length)]
    packed = await pack(items)
    assert packed.length == length
    assert len(packed.blobs) == -(-length // SLICE)
    # It crosses a process boundary as pickled bytes.
    assert pickle.loads(pickle.dumps(packed)).unpack() == items
    assert await unpacked(pack_now(items)) == items


async def test_each_slice_lets_other_tasks_run() -> None:
    items = list(range(5 * SLICE))
    packed, turns = await _turns_during(lambda: pack(items))
    assert turns >= 5
    back, turns = await _turns_during(lambda: unpacked(packed))
    assert back == items and turns >= 5
    rows, turns = await _turns_during(lambda: converted(items, lambda n: n * 2))
    assert rows == [n * 2 for n in items] and turns >= 5


async def test_converted_drops_what_the_conversion_refuses() -> None:
    kept = await converted(range(2 * SLICE + 3), lambda n: None if n % 3 else str(n))
    assert kept == [str(n) for n in range(2 * SLICE + 3) if n % 3 == 0]
