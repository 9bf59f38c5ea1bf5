"""Small files built in memory for the interop tests, hostile ones included."""

from __future__ import annotations

import io
import struct
import zipfile

NS = "urn:QDA-XML:project:1.0"
ALICE = "11111111-1111-4111-8111-111111111111"
BOB = "22222222-2222-4222-8222-222222222222"
CODE_A = "aaaaaaaa-0000-4000-8000-000000000001"
CODE_B = "aaaaaaaa-0000-4000-8000-000000000002"
CATEGORY = "aaaaaaaa-0000-4000-8000-000000000003"
SOURCE = "bbbbbbbb-0000-4000-8000-000000000001"


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_qdpx(
    qde: str | bytes,
    files: dict[str, bytes] | None = None,
    qde_name: str = "project.qde",
) -> bytes:
    body = qde.encode() if isinstance(qde, str) else qde
    return make_zip({qde_name: body, **(files or {})})


def project(body: str, origin: str = "Test tool") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{NS}" name="Study" origin="{origin}">{body}</Project>'
    )


USERS = f'<Users><User guid="{ALICE}" name="Alice"/><User guid="{BOB}" name="Bob"/></Users>'
CODEBOOK = (
    "<CodeBook><Codes>"
    f'<Code guid="{CATEGORY}" name="Help-seeking" isCodable="false" color="#FF0000">'
    "<Description>Category</Description>"
    f'<Code guid="{CODE_A}" name="Shame" isCodable="true"/>'
    "</Code>"
    f'<Code guid="{CODE_B}" name="Trust" isCodable="true"/>'
    "</Codes></CodeBook>"
)


def selection(
    guid: str,
    start: int,
    end: int,
    code: str = CODE_A,
    selection_user: str = ALICE,
    coding_user: str | None = None,
) -> str:
    coding_user_attr = f' creatingUser="{coding_user}"' if coding_user else ""
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{selection_user}">'
        f'<Coding guid="{guid[:-4]}c0de"{coding_user_attr}><CodeRef targetGUID="{code}"/></Coding>'
        "</PlainTextSelection>"
    )


def sel_guid(n: int) -> str:
    return f"cccccccc-0000-4000-8000-{n:012d}"


def lie_about_sizes(data: bytes, declared: int) -> bytes:
    """Rewrite every header of a zip so entries claim ``declared`` uncompressed bytes."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) >= 0:
        struct.pack_into("<I", out, at + 22, declared)
        at += 4
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        struct.pack_into("<I", out, at + 24, declared)
        at += 4
    return bytes(out)
