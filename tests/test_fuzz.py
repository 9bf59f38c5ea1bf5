"""Fuzzing every root field: no request may answer INTERNAL or 5xx (issue 10).

The requests come from the schema (tests/fuzz_inputs.py), seeded, over HTTP against the
real app, as a project's lead, one of its coders, the lead of another project and an
anonymous caller, with every root query and mutation taking its turn, and the live
subscription over a real WebSocket. Mutations change the world as they go (members
leave, projects are finalised), so it is built afresh every few hundred requests.

Seed and count print at the end; FUZZ_SEED and FUZZ_REQUESTS choose them, so a failure
can be replayed exactly.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from accord.graphql.schema import build_schema
from tests.fuzz_inputs import Fuzzer, Known, Request
from tests.support import Api, Person
from tests.test_blinding import TEXT, apply, assign, create_code, memo
from tests.test_consolidation import MERGE
from tests.test_subscriptions import WAIT, connect
from tests.test_subscriptions import ws_app as ws_app  # the fixture

SEED = int(os.environ.get("FUZZ_SEED", "20261205"))
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "3000"))
SUBSCRIPTIONS = 24
REBUILD_EVERY = 400


@dataclass
class World:
    callers: dict[str, Person | None]
    known: Known


async def build_world(api: Api) -> World:
    lead, coder, stranger = [await api.person(n) for n in ("lead", "coder", "stranger")]
    project = await api.project(lead)
    await api.add_member(lead, project, coder, "CODER")
    group = (await create_code(api, lead, project, "Hjelp", codable=False))["id"]
    phone = (await create_code(api, lead, project, "Telefon", group))["id"]
    spare = [(await create_code(api, lead, project, n))["id"] for n in ("Skam", "Mestring")]
    doc = (await api.import_document(lead, project, TEXT))["id"]
    await assign(api, lead, doc, coder)
    coding = (await apply(api, coder, doc, phone, 0, 11))["id"]
    note = (await memo(api, coder, "CODING", coding, "Usikker her"))["id"]
    merged = await api.gql(
        MERGE, {"s": spare, "t": {"newCode": {"name": "Følelser"}}, "r": "Samme tema"}, as_=lead
    )
    event_id = merged["mergeCodes"]["eventId"]
    round_id = (
        await api.gql(
            """mutation($p: ID!) { createRound(projectId: $p, name: "Kalibrering") {
                 ... on Round { id } } }""",
            {"p": project},
            as_=lead,
        )
    )["createRound"]["id"]
    elsewhere = await api.project(stranger, "Someone else's study")
    their_doc = (await api.import_document(stranger, elsewhere, TEXT))["id"]
    their_code = (await create_code(api, stranger, elsewhere, "Theirs"))["id"]
    tokens = (await api.gql("{ apiTokens { id } }", as_=lead))["apiTokens"]
    ids = [project, group, phone, *spare, doc, coding, note, round_id, elsewhere, their_doc]
    ids += [their_code, lead.id, coder.id, stranger.id, tokens[0]["id"]]
    known = Known(
        ids=ids,
        emails=[lead.email, coder.email, stranger.email, "nobody@example.org"],
        event_ids=[str(event_id), "1", "0", str(2**63 - 1)],
        by_kind={
            "project": [project, elsewhere],
            "document": [doc, their_doc],
            "code": [group, phone, *spare, their_code],
            "coding": [coding],
            "memo": [note],
            "round": [round_id],
            "user": [lead.id, coder.id, stranger.id],
            "token": [tokens[0]["id"]],
        },
    )
    callers = {"lead": lead, "coder": coder, "stranger": stranger, "anonymous": None}
    return World(callers, known)


async def send(api: Api, request: Request, caller: Person | None) -> httpx.Response:
    headers = {"authorization": f"Bearer {caller.token}"} if caller else {}
    if not request.uploads:
        body = json.dumps({"query": request.query, "variables": request.variables})
        headers["content-type"] = "application/json"
        return await api.client.post("/graphql", content=body.encode(), headers=headers)
    mapping = {str(i): [f"variables.{name}"] for i, name in enumerate(request.uploads)}
    files = {str(i): upload for i, upload in enumerate(request.uploads.values())}
    operations = {"query": request.query, "variables": request.variables}
    data = {"operations": json.dumps(operations), "map": json.dumps(mapping)}
    return await api.client.post("/graphql", data=data, files=files, headers=headers)


def failure(response: httpx.Response) -> str | None:
    """Why a response breaks the rule (5xx, or an INTERNAL error), or None."""
    if response.status_code >= 500:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    try:
        body = response.json()
    except ValueError:
        return None  # a plain 4xx refusal of a malformed request
    errors = body.get("errors") or [] if isinstance(body, dict) else []
    for error in errors:
        if (error.get("extensions") or {}).get("code") == "INTERNAL":
            return f"INTERNAL: {error.get('message')}"
    return None


def outcome(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    errors = body.get("errors") or []
    if errors:
        return str((errors[0].get("extensions") or {}).get("code", "GraphQL error"))
    data = body.get("data") or {}
    result = next(iter(data.values()), None) if data else None
    if isinstance(result, dict) and "errorCode" in result:
        return str(result["errorCode"])
    return "data"


@pytest.mark.slow
async def test_fuzz_every_root_field(api: Api) -> None:
    schema = build_schema()._schema
    fields = Fuzzer(schema, SEED, Known([], [], [])).root_fields()
    assert len(fields) > 50, "the schema lost its root fields"
    fuzzer: Fuzzer | None = None
    failures: list[str] = []
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    for n in range(REQUESTS):
        if n % REBUILD_EVERY == 0:
            world = await build_world(api)
            state = fuzzer.rng.getstate() if fuzzer else None
            fuzzer = Fuzzer(schema, SEED, world.known)
            if state is not None:
                fuzzer.rng.setstate(state)
        assert fuzzer is not None
        operation, name, root_field = fields[n % len(fields)]
        who = fuzzer.rng.choice(list(world.callers))
        request = fuzzer.request(operation, name, root_field)
        response = await send(api, request, world.callers[who])
        outcomes[outcome(response)] += 1
        problem = failure(response)
        if problem:
            failures.append(f"#{n} as {who}: {problem}\n{request.describe()}")
    elapsed = time.perf_counter() - started
    print(
        f"\nfuzz: seed {SEED}, {REQUESTS} requests over {len(fields)} root fields in "
        f"{elapsed:.0f} s; outcomes {dict(outcomes.most_common())}"
    )
    assert not failures, f"{len(failures)} failed (FUZZ_SEED={SEED}):\n\n" + "\n\n".join(
        failures[:5]
    )


@pytest.mark.slow
async def test_fuzz_the_subscription(api: Api, ws_app: Any) -> None:
    """projectEvents over a WebSocket, with the same ids and hostile values."""
    world = await build_world(api)
    schema = build_schema()._schema
    fuzzer = Fuzzer(schema, SEED, world.known)
    subscription = schema.subscription_type
    assert subscription is not None
    fields = list(subscription.fields.items())
    failures: list[str] = []
    for n in range(SUBSCRIPTIONS):
        name, root_field = fields[n % len(fields)]
        who = fuzzer.rng.choice(["lead", "coder", "stranger"])
        caller = world.callers[who]
        assert caller is not None
        request = fuzzer.request("subscription", name, root_field)
        async with connect(ws_app, {"authorization": f"Bearer {caller.token}"}) as ws:
            ack = await ws.receive_json(timeout=WAIT)
            assert ack["type"] == "connection_ack", ack
            payload = {"query": request.query, "variables": request.variables}
            await ws.send_json(
                {"id": secrets.token_hex(4), "type": "subscribe", "payload": payload}
            )
            try:
                message = await ws.receive_json(timeout=0.5)
            except TimeoutError:
                continue  # a valid subscription: it waits for events
        text = json.dumps(message)
        if "INTERNAL" in text or "Internal error" in text:
            failures.append(f"#{n} as {who}: {message}\n{request.describe()}")
    print(f"\nfuzz: seed {SEED}, {SUBSCRIPTIONS} subscriptions over {len(fields)} root fields")
    assert not failures, "\n\n".join(failures[:5])
