"""Studies for the heavy-work tests, made the way any member can make one: a REFI-QDA
project file with one long transcript and several coders' layers, imported whole."""

from __future__ import annotations

import json
import random
from typing import Any

import httpx

from accord.interop import write_qdpx
from accord.interop.guids import stable_guid
from accord.interop.model import (
    ExchangeCode,
    ExchangeCoding,
    ExchangeDocument,
    ExchangeProject,
    ExchangeUser,
)

WORDS = (
    "the",
    "doctor",
    "said",
    "that",
    "help",
    "came",
    "late",
    "but",
    "it",
    "was",
    "good",
    "and",
    "we",
    "talked",
    "about",
    "shame",
    "colleagues",
    "night",
    "shifts",
    "support",
    "calls",
)
IMPORT = """mutation($f: Upload!) { importProject(file: $f) {
  __typename ... on ImportResult { project { id } } ... on UserError { message code } } }"""


def transcript(chars: int, rng: random.Random) -> str:
    parts, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9)))
        part = sentence.capitalize() + (".\n\n" if rng.random() < 0.1 else ". ")
        parts.append(part)
        size += len(part)
    return "".join(parts)[:chars].rstrip() + "."


def heavy_qdpx(
    *, chars: int, codings: int, codes: int = 20, coders: int = 3, seed: int = 1, tag: str = ""
) -> tuple[bytes, list[str]]:
    """The file, and the coders' emails (accounts the import creates or matches)."""
    rng = random.Random(seed)
    text = transcript(chars, rng)
    emails = [f"heavy-coder{n}-{tag}@example.org" for n in range(coders)]
    users = [ExchangeUser(stable_guid("user", e), e, e) for e in emails]
    code_list = [ExchangeCode(stable_guid("code", f"{tag}-{n}"), f"Code {n}") for n in range(codes)]
    document = ExchangeDocument(stable_guid("document", tag), "Long interview", text)
    coded = []
    for n in range(codings):
        start = rng.randrange(0, len(text) - 200)
        coded.append(
            ExchangeCoding(
                stable_guid("coding", f"{tag}-{n}"),
                document.guid,
                rng.choice(code_list).guid,
                users[n % coders].guid,
                start,
                start + rng.randint(5, 150),
            )
        )
    project = ExchangeProject(
        name=f"Heavy study {tag}",
        users=users,
        codes=code_list,
        documents=[document],
        codings=coded,
    )
    return write_qdpx(project), emails


async def import_study(client: httpx.AsyncClient, token: str, data: bytes) -> str:
    """Import the file as a new project led by the token's owner; its id."""
    response = await client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": IMPORT, "variables": {"f": None}}),
            "map": json.dumps({"0": ["variables.f"]}),
        },
        files={"0": ("heavy.qdpx", data, "application/octet-stream")},
        headers={"authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    result = body["data"]["importProject"]
    assert result["__typename"] == "ImportResult", body
    project_id: str = result["project"]["id"]
    return project_id


AGREEMENT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  headline verdict counts { segments } coefficients { name value } } }"""


def units_input(resamples: int | None = None, kind: str = "SENTENCE") -> dict[str, Any]:
    given: dict[str, Any] = {"unitMode": "UNITS", "unitKind": kind}
    if resamples:
        given["bootstrap"] = {"resamples": resamples, "seed": 1}
    return given
