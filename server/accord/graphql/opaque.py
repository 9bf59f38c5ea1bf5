"""Opaque ids and cursors: positions and event ids that reveal nothing.

Codings, documents and events are ordered by sequences shared by every project, so a
raw number would show how much happened elsewhere between two of a caller's own rows:
another coder's hidden codings, or another project's work. What leaves the server is
therefore the number encrypted with AES-SIV (deterministic authenticated encryption,
from the ``cryptography`` package) under a key derived from ACCORD_SECRET_KEY. The same
value always gives the same token, so an event keeps one id; a token cannot be read,
ordered, forged or moved to another list, since the list's name is bound into it.

Cursors encrypt a position instead of signing it because a signature would leave the
number readable; they do not use the last row's own id because a page must still go on
when that row has been deleted meanwhile.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"accord opaque ids v1"


class OpaqueIds:
    def __init__(self, secret_key: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_INFO).derive(
            secret_key.encode("utf-8")
        )
        self._siv = AESSIV(key)

    def seal(self, kind: str, value: int, scope: str = "") -> str:
        """A token for ``value`` in the list named by ``kind`` and ``scope``."""
        plain = value.to_bytes(8, "big", signed=True)
        sealed = self._siv.encrypt(plain, [kind.encode(), scope.encode()])
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def open(self, kind: str, token: str, scope: str = "") -> int | None:
        """The value a token of this list holds; None for anything else."""
        if not token or len(token) > 64:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            plain = self._siv.decrypt(raw, [kind.encode(), scope.encode()])
        except (ValueError, binascii.Error, InvalidTag):
            return None
        if len(plain) != 8:
            return None
        return int.from_bytes(plain, "big", signed=True)

    def event(self, event_id: int) -> str:
        """An event's id as every member sees it, in every list and event."""
        return self.seal("event", event_id)

    def event_number(self, token: str) -> int | None:
        return self.open("event", token)


@lru_cache(maxsize=4)
def opaque_ids(secret_key: str) -> OpaqueIds:
    """One instance per key: deriving the key costs more than a request should."""
    return OpaqueIds(secret_key)
