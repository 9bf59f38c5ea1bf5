"""Seeded GraphQL requests made from the schema itself, for the fuzz test.

Every root field's arguments and selection are read from the schema Strawberry builds,
so a field another change adds is fuzzed without anyone listing it here. Values are
mostly plausible (ids that exist, in this project and in a stranger's) and often
hostile: NUL characters, unpaired surrogates, numbers past int64, very long text,
nested JSON, wrong types, missing or null arguments.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "Kollega\x00støtte",
    "\ud800",
    "før\udfffetter",
    "\ud83d",  # half of an emoji
    "9" * 30,
    str(2**63),
    str(-(2**63) - 1),
    "-1",
    "0",
    "1e309",
    "١٢٣",
    "NaN",
    "null",
    "{}",
    "'; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "\u202eevil",
    "e\u0301" * 50,
    "😀" * 300,
    "æøå " * 2000,
    "x" * 70_000,
    "%00",
    "\\u0000",
    _cursor("event:" + "9" * 30),
    _cursor(f"coding:{2**63}"),
    _cursor("document:-1"),
    _cursor("\x00:1"),
    "not base64!",
]
WORDS = ["Kollega", "Telefon", "Hjelp", "Støtte", "Mestring", "Skam", "Relief", "Phone"]
INTS = [0, 1, -1, 2, 3, 5, 50, 100, 101, 1000, 10_000, 100_000, 2**31 - 1, -(2**31)]
PAST_INT32 = [2**31, 2**53, 2**63, -(2**63) - 1, 10**30]
FLOATS = [0.0, 0.5, 1.0, -1.0, 50.0, 90.0, 100.0, 101.0, 1e308, -1e-308]
NON_FINITE = [float("nan"), float("inf"), float("-inf")]


@dataclass
class Known:
    """Ids and names from the world the fuzz runs in; ``by_kind`` holds each kind's ids
    (project, document, code, coding, memo, round, user, token), other projects' too."""

    ids: list[str]
    emails: list[str]
    event_ids: list[str]
    by_kind: dict[str, list[str]] = field(default_factory=dict)


KINDS = ("project", "document", "coding", "code", "memo", "round", "user", "coder", "token")


def id_kind(field_name: str, arg_name: str) -> str | None:
    """Which kind of id an argument wants, read from its name (or its field's, for ``id``)."""
    name = (field_name if arg_name == "id" else arg_name).lower()
    if arg_name in ("parentId", "sourceIds"):
        return "code"
    for kind in KINDS:
        if kind in name:
            return "user" if kind == "coder" else kind
    return None


@dataclass
class Request:
    field: str
    operation: str  # "query" or "mutation"
    query: str
    variables: dict[str, Any]
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def describe(self) -> str:
        variables = json.dumps(self.variables, ensure_ascii=True, default=str)
        if len(variables) > 600:
            variables = variables[:600] + "…"
        return f"{self.query}\nvariables: {variables}\nuploads: {list(self.uploads)}"


class Fuzzer:
    def __init__(self, schema: Any, seed: int, known: Known) -> None:
        self.schema = schema
        self.rng = random.Random(seed)
        self.known = known
        self.field_name = ""

    # -- requests ---------------------------------------------------------------------

    def root_fields(self) -> list[tuple[str, str, GraphQLField]]:
        found = []
        for operation, root in (
            ("query", self.schema.query_type),
            ("mutation", self.schema.mutation_type),
        ):
            if root is not None:
                found += [(operation, name, f) for name, f in root.fields.items()]
        return found

    def request(self, operation: str, name: str, root_field: GraphQLField) -> Request:
        self.field_name = name
        declarations, call_args, variables, uploads = [], [], {}, {}
        for arg_name, arg in root_field.args.items():
            required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
            if not required and self.rng.random() < 0.3:
                continue  # an optional argument left out
            if get_named_type(arg.type).name == "Upload":
                variables[arg_name] = None
                uploads[arg_name] = self.upload()
                declarations.append(f"${arg_name}: {arg.type}")
                call_args.append(f"{arg_name}: ${arg_name}")
                continue
            value = self.value(arg.type, arg_name)
            textual = get_named_type(arg.type).name in ("String", "ID")
            if textual and isinstance(value, str) and self.rng.random() < 0.15:
                # Inline, as a GraphQL string literal: the literal path of coercion.
                call_args.append(f"{arg_name}: {json.dumps(value, ensure_ascii=True)}")
                continue
            declarations.append(f"${arg_name}: {self.declared(arg)}")
            call_args.append(f"{arg_name}: ${arg_name}")
            variables[arg_name] = value
        header = f"{operation} Fuzz({', '.join(declarations)})" if declarations else operation
        call = f"{name}({', '.join(call_args)})" if call_args else name
        query = f"{header} {{ {call} {self.selection(root_field.type, 0)} }}"
        return Request(name, operation, query, variables, uploads)

    def declared(self, arg: GraphQLArgument) -> str:
        # Now and then declare a variable loosely (String for an ID!, say): a wrong type.
        if self.rng.random() < 0.01:
            return self.rng.choice(["String", "Int", "[String]", "JSON", "Boolean!"])
        return str(arg.type)

    def upload(self) -> tuple[str, bytes]:
        name = self.rng.choice(
            ["interview.txt", "møte.docx", "p07.vtt", "p07.srt", "codes.qdc", "study.qdpx", "x.pdf"]
        )
        kind = self.rng.randrange(5)
        if kind == 0:
            body = b"P07: Jeg ringte kollegatelefonen.\n" * self.rng.randint(1, 50)
        elif kind == 1:
            body = b"PK\x03\x04" + self.rng.randbytes(self.rng.randint(0, 3000))
        elif kind == 2:
            body = b"<?xml version='1.0'?><CodeBook><Codes><Code name='\x00'/></Codes></CodeBook>"
        elif kind == 3:
            body = "WEBVTT\n\n00:00.000 --> 00:01.000\n<v P07>Hei\ud83d".encode(
                "utf-8", "surrogatepass"
            )
        else:
            body = self.rng.randbytes(self.rng.randint(0, 4000))
        return name, body

    # -- argument values --------------------------------------------------------------

    def value(
        self, type_: GraphQLInputType, name: str, depth: int = 0, nullable: bool = True
    ) -> Any:
        if self.rng.random() < 0.02:
            return self.wrong(depth)
        if isinstance(type_, GraphQLNonNull):
            if self.rng.random() < 0.02:
                return None
            return self.value(type_.of_type, name, depth, nullable=False)
        if nullable and self.rng.random() < 0.1:
            return None
        if isinstance(type_, GraphQLList):
            return [
                self.value(type_.of_type, name, depth + 1) for _ in range(self.rng.randint(0, 3))
            ]
        if isinstance(type_, GraphQLEnumType):
            if self.rng.random() < 0.9:
                return self.rng.choice(list(type_.values))
            return self.rng.choice(["", "LEAD; DROP", "\x00", "lead", "NOPE"])
        if isinstance(type_, GraphQLInputObjectType):
            if depth > 4:
                return None
            out = {}
            for field_name, input_field in type_.fields.items():
                required = isinstance(input_field.type, GraphQLNonNull)
                if required or self.rng.random() < 0.6:
                    out[field_name] = self.value(input_field.type, field_name, depth + 1)
            return out
        assert isinstance(type_, GraphQLScalarType), type_
        return self.scalar(type_.name, name, depth)

    def scalar(self, scalar: str, name: str, depth: int) -> Any:
        rng = self.rng
        if scalar == "ID":
            if name == "eventId" and rng.random() < 0.6:
                return rng.choice(self.known.event_ids)
            kind = id_kind(self.field_name, name)
            roll = rng.random()
            if kind in self.known.by_kind and roll < 0.5:
                return rng.choice(self.known.by_kind[kind])
            if roll < 0.65:
                return rng.choice(self.known.ids)
            if roll < 0.75:
                return str(uuid.UUID(int=rng.getrandbits(128), version=4))
            return rng.choice(HOSTILE_TEXT)
        if scalar == "String":
            if name == "email" and rng.random() < 0.5:
                return rng.choice(self.known.emails)
            if rng.random() < 0.5:
                return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
            return rng.choice(HOSTILE_TEXT)
        if scalar == "Int":
            roll = rng.random()
            if roll < 0.05:
                return rng.choice(PAST_INT32)
            return rng.choice(INTS) if roll < 0.6 else rng.randint(-5, 400)
        if scalar == "Float":
            roll = rng.random()
            if roll < 0.05:
                return rng.choice(NON_FINITE)
            return rng.choice(FLOATS) if roll < 0.7 else rng.uniform(-1, 101)
        if scalar == "Boolean":
            return rng.random() < 0.5
        if scalar == "JSON":
            return self.json_value(depth)
        if scalar == "DateTime":
            return rng.choice(["2026-11-25T10:00:00Z", "yesterday", "\x00", "9999-99-99"])
        return rng.choice(HOSTILE_TEXT)

    def json_value(self, depth: int) -> Any:
        rng = self.rng
        if depth > 25 or rng.random() < 0.35:
            return rng.choice(
                [*HOSTILE_TEXT[:22], 0, -1, 10**30, 1.5, True, None, "P07", float("nan")]
            )
        if rng.random() < 0.5:
            return [self.json_value(depth + 1) for _ in range(rng.randint(0, 3))]
        keys = ["participant", "site", "\x00", "\ud800", "alder", "x" * 300, ""]
        return {rng.choice(keys): self.json_value(depth + 1) for _ in range(rng.randint(0, 3))}

    def wrong(self, depth: int) -> Any:
        return self.rng.choice([0, -1, 2**40, 1.5, True, "x", [], {}, [1, "a"], {"a": {"b": []}}])

    # -- selections -------------------------------------------------------------------

    def selection(self, type_: GraphQLOutputType, depth: int) -> str:
        named: GraphQLNamedType = get_named_type(type_)
        if is_leaf_type(named):
            return ""
        if isinstance(named, GraphQLUnionType):
            parts = ["__typename", "... on UserError { message errorCode: code }"]
            for member in named.types:
                if member.name.endswith("Error"):
                    continue
                # A member's fields may not clash with UserError's message and code.
                fields = self.fields(member, depth + 1, skip={"code", "message", "field"})
                parts.append(f"... on {member.name} {{ {fields} }}")
            return "{ " + " ".join(parts) + " }"
        assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType), named
        return "{ " + self.fields(named, depth + 1, skip=set()) + " }"

    def fields(
        self, type_: GraphQLObjectType | GraphQLInterfaceType, depth: int, skip: set[str]
    ) -> str:
        chosen = ["__typename"]
        for name, f in type_.fields.items():
            if name in skip or any(isinstance(a.type, GraphQLNonNull) for a in f.args.values()):
                continue
            if is_leaf_type(get_named_type(f.type)):
                chosen.append(name)
            elif depth < 3 and self.rng.random() < 0.5:
                chosen.append(f"{name} {self.selection(f.type, depth)}")
            if len(chosen) > 14:
                break
        return " ".join(chosen)
