"""How long one heavy request holds the event loop: before (the work on the loop, as
Accord did) and after (the work in Accord's worker pool / password threads), in one run.

Run from the repository root:  python bench/stall.py  [--quick]

A ticker coroutine wakes every 5 ms and records how late it woke; the longest delay is
how long every other request would have waited. Cases:
(a) an agreement report in units mode (sentences, bootstrap) on the issue's study: one
    300,000-character transcript, 9,000 codings by 3 coders, 20 codes;
(b) 8 logins at once (argon2id verification);
(c) validating a document of 900 duplicated fields against refusing it by its count.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from accord.agreement.segments import Segment, Unit
from accord.auth.password_pool import PasswordPool
from accord.auth.passwords import hash_password, verify_password
from accord.coding.rounds import Round
from accord.config import Settings
from accord.documents.units import sentences
from accord.graphql.schema import build_schema
from accord.heavy import HeavyWork
from accord.reports.agreement_compute import AgreementInputs, AgreementRequest, assemble
from accord.reports.agreement_data import Study, StudyDocument

WORDS = (
    "the", "doctor", "said", "that", "help", "came", "late",
    "but", "it", "was", "good", "and", "we", "talked",
)  # fmt: skip


def study(chars: int, codings: int, resamples: int) -> AgreementInputs:
    rng = random.Random(1)
    parts, size = [], 0
    while size < chars:
        part = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        parts.append(part + ". ")
        size += len(part) + 2
    text = "".join(parts)[:chars]
    names = [f"coder{n}@example.org" for n in range(3)]
    doc = uuid.uuid4()
    key = str(doc)
    segments = []
    for n in range(codings):
        start = rng.randrange(0, chars - 200)
        end = start + rng.randint(5, 150)
        segments.append(Segment(key, names[n % 3], f"code {rng.randrange(20)}", start, end))
    the_round = Round(uuid.uuid4(), uuid.uuid4(), "Main", True, datetime.datetime.now())
    data = Study(
        round=the_round,
        documents=[StudyDocument(doc, "Long interview", chars)],
        coders={uuid.uuid4(): n for n in names},
        segments=segments,
        extents={key: (0, chars)},
        level={},
        code_filter=None,
        units=[Unit(key, str(u.ordinal), u.start, u.end) for u in sentences(text)],
        coders_by_document={key: set(names)},
    )
    request = AgreementRequest(
        unit_mode="UNITS", unit_kind="SENTENCE", bootstrap_resamples=resamples or None
    )
    return AgreementInputs(request, 0.8, data, [the_round], {}, None)


async def longest_stall(work: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """(longest ticker delay, wall time) while ``work`` runs."""
    done = False
    delays: list[float] = []

    async def ticker() -> None:
        while not done:
            asked = time.perf_counter()
            await asyncio.sleep(0.005)
            delays.append(time.perf_counter() - asked - 0.005)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    start = time.perf_counter()
    await work()
    wall = time.perf_counter() - start
    done = True
    await tick
    return max(delays), wall


def row(case: str, how: str, stall: float, wall: float, note: str = "") -> str:
    return f"| {case} | {how} | {stall * 1000:,.0f} ms | {wall:.2f} s | {note} |"


async def main(quick: bool) -> None:
    settings = Settings.from_env({})
    rows = []

    inputs = study(30_000 if quick else 300_000, 900 if quick else 9_000, 200 if quick else 2_000)

    async def on_loop() -> None:
        assemble(inputs)

    heavy = HeavyWork(settings)
    with heavy.admit(uuid.uuid4(), "warm-up", "-") as run:
        await run(assemble, study(3_000, 60, 0))  # the workers' start is not measured

    async def in_pool() -> None:
        with heavy.admit(uuid.uuid4(), "bench", "-") as run:
            await run(assemble, inputs)

    before = await longest_stall(on_loop)
    after = await longest_stall(in_pool)
    await heavy.close()
    rows.append(row("(a) agreement report", "on the event loop (before)", *before))
    rows.append(
        row(
            "(a) agreement report",
            "in a worker process (after)",
            *after,
            f"{before[0] / after[0]:,.0f}× shorter stall",
        )
    )

    hashed = hash_password("correct horse battery staple")

    async def logins_on_loop() -> None:
        for _ in range(8):
            verify_password(hashed, "wrong password")

    passwords = PasswordPool(settings)

    async def logins_in_threads() -> None:
        await asyncio.gather(*(passwords.verify(hashed, "wrong password") for _ in range(8)))

    before = await longest_stall(logins_on_loop)
    after = await longest_stall(logins_in_threads)
    passwords.close()
    rows.append(row("(b) 8 logins at once", "argon2 on the event loop (before)", *before))
    rows.append(
        row(
            "(b) 8 logins at once",
            f"argon2 in {settings.password_threads} threads (after)",
            *after,
            f"{before[0] / after[0]:,.0f}× shorter stall",
        )
    )

    document = "query Q { " + " ".join(["me { id }"] * 900) + " }"
    unlimited = build_schema(Settings.from_env({"ACCORD_MAX_QUERY_FIELDS": "1000000"}))
    limited = build_schema(settings)
    times = {}
    for name, schema in (("before", unlimited), ("after", limited)):
        samples = []
        for n in range(3):  # a new operation name each time: the cache never helps
            start = time.perf_counter()
            result = await schema.execute(document.replace("query Q", f"query Q{name}{n}"))
            samples.append(time.perf_counter() - start)
            assert result.errors
        times[name] = statistics.median(samples)
    rows.append(
        row("(c) 900 duplicated fields", "validated (before)", times["before"], times["before"])
    )
    rows.append(
        row(
            "(c) 900 duplicated fields",
            "refused by the field count (after)",
            times["after"],
            times["after"],
            f"{times['before'] / times['after']:,.0f}× less loop time",
        )
    )

    print("| case | how | longest event-loop stall | wall time | ratio |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, to check the script")
    asyncio.run(main(parser.parse_args().quick))
