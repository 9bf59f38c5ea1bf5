"""An open-loop HTTP load generator, run as a process of its own.

    python bench/loadgen.py SPEC.json     (prints one JSON result on stdout)

Requests arrive at a fixed mean rate with Poisson arrivals (exponential gaps, a seeded
random generator): request i is due at its scheduled time t_i whatever happened to the
ones before it. Its latency is measured from t_i to the end of its answer, so a server
that falls behind is charged for the whole wait, including the time a request spent
queued in this client for a free connection (no coordinated omission). A request still
unanswered when the run ends counts as an error.

The client is lean on purpose, since it shares the machine with the server it measures:
raw HTTP/1.1 over asyncio streams, keep-alive connections reused while they are fresh,
a new connection when none is idle (up to ``max_connections``; beyond that a request
waits for one, and its wait counts).

The spec names the target and the requests: ``lanes`` (for instance one per coder), each
with a path, headers and a body template in which ``{start}`` and ``{end}`` become the
next span of ``span`` characters in that lane; requests take the lanes in turn. A
request succeeded when its status is 200 and its body holds ``expect``.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Lane:
    path: str
    headers: dict[str, str]
    body: str
    offset: int = 0


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0


class Connections:
    """Idle keep-alive connections to one host, dropped once older than ``fresh``."""

    def __init__(self, host: str, port: int, limit: int, fresh: float = 2.0) -> None:
        self.host, self.port, self.fresh = host, port, fresh
        self.idle: list[tuple[float, asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(limit)
        self.opened = 0

    async def take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        await self.slots.acquire()
        now = time.perf_counter()
        while self.idle:
            used, reader, writer = self.idle.pop()
            if now - used < self.fresh and not reader.at_eof():
                return reader, writer
            writer.close()
        self.opened += 1
        try:
            return await asyncio.open_connection(self.host, self.port)
        except BaseException:
            self.slots.release()
            raise

    def give_back(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, reusable: bool
    ) -> None:
        if reusable:
            self.idle.append((time.perf_counter(), reader, writer))
        else:
            writer.close()
        self.slots.release()


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes, bool]:
    """Send one request, read one answer: status, body, whether the connection stays."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, keep = 0, True
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection" and value.strip().lower() == "close":
            keep = False
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.readexactly(length)
    return status, body, keep


def build_request(host: str, port: int, lane: Lane, start: int, span: int) -> bytes:
    body = lane.body.replace("{start}", str(start)).replace("{end}", str(start + span))
    data = body.encode()
    head = [
        f"POST {lane.path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(data)}",
        *(f"{k}: {v}" for k, v in lane.headers.items()),
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + data


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    host, port = spec["host"], int(spec["port"])
    rate, duration, span = float(spec["rate"]), float(spec["duration"]), int(spec["span"])
    expect = spec["expect"].encode()
    lanes = [Lane(**lane) for lane in spec["lanes"]]
    rng = random.Random(spec.get("seed", 17))
    pool = Connections(host, port, int(spec.get("max_connections", 512)))
    result = Result()
    last_done = [0.0]
    tasks: set[asyncio.Task[None]] = set()

    async def one(due: float, request: bytes) -> None:
        try:
            reader, writer = await pool.take()
        except OSError as exc:
            result.errors.append(f"connect: {exc!r}"[:200])
            return
        reusable = False
        try:
            status, body, reusable = await exchange(reader, writer, request)
            done = time.perf_counter()
            last_done[0] = max(last_done[0], done)
            if status == 200 and expect in body:
                result.latencies.append(done - due)
            else:
                result.errors.append(f"{status}: {body[:160]!r}")
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            result.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            pool.give_back(reader, writer, reusable)

    begin = time.perf_counter() + 0.05
    due = begin
    n = 0
    while True:
        due += rng.expovariate(rate)
        if due - begin >= duration:
            break
        lane = lanes[n % len(lanes)]
        start = lane.offset
        lane.offset += span
        request = build_request(host, port, lane, start, span)
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(due, request))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
    result.sent = n
    # Answers still due get a grace period, then count as errors.
    grace = float(spec.get("grace", 30.0))
    if tasks:
        _, pending = await asyncio.wait(set(tasks), timeout=grace)
        for task in pending:
            task.cancel()
            result.errors.append("no answer within the grace period")
    # Answered per second over the time from the first schedule to the last answer: a
    # server that falls behind answers its backlog after the schedule has ended.
    elapsed = max(duration, last_done[0] - begin)
    lat = sorted(result.latencies)

    def pct(q: float) -> float | None:
        if not lat:
            return None
        return lat[min(len(lat) - 1, round(q / 100 * (len(lat) - 1)))] * 1000

    return {
        "rate": rate,
        "duration_s": duration,
        "sent": n,
        "ok": len(lat),
        "errors": len(result.errors),
        "error_samples": result.errors[:3],
        "achieved_per_s": len(lat) / elapsed,
        "answering_s": elapsed,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": lat[-1] * 1000 if lat else None,
        "connections_opened": pool.opened,
        "lane_offsets": [lane.offset for lane in lanes],
    }


def main() -> None:
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    try:
        import uvloop
    except ImportError:
        print(json.dumps(asyncio.run(run(spec))))
    else:
        print(json.dumps(uvloop.run(run(spec))))


if __name__ == "__main__":
    main()
