"""GUIDs that stay the same every time a project is exported.

REFI-QDA identifies everything by GUID. Another program re-importing a second export of
the same Accord project must recognise the same codes and documents, so GUIDs are derived
from Accord's own ids rather than drawn at random.
"""

from __future__ import annotations

import re
import uuid

#: Fixed namespace for Accord's derived GUIDs; changing it would break re-imports.
ACCORD_NAMESPACE = uuid.UUID("5b0e3c1e-6f7a-5d2e-9c41-acc0d0000001")

#: The GUID of the pseudo-user holding the consensus layer in Accord's exports.
CONSENSUS_GUID = str(uuid.uuid5(ACCORD_NAMESPACE, "user:consensus"))
#: ``User@id`` of that pseudo-user: the explicit mark that a file is Accord's own export
#: and this user its consensus layer, not a coder who happens to be named "Consensus".
CONSENSUS_USER_ID = "accord:consensus"

_GUID = re.compile(
    r"^(\{)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?(1)\})$"
)


def stable_guid(kind: str, accord_id: object) -> str:
    """The GUID of Accord object ``accord_id`` of ``kind`` ("code", "document", ...)."""
    return str(uuid.uuid5(ACCORD_NAMESPACE, f"{kind}:{accord_id}"))


def is_guid(value: str) -> bool:
    return bool(_GUID.match(value))


def normalise_guid(value: str | None) -> str:
    """A GUID as Accord compares it: braces dropped, lower case, spaces trimmed.

    The REFI schema allows ``{braced}`` GUIDs in either case, and programs mix the forms
    within one file (a ``CodeRef`` in upper case for a ``Code`` in lower case). Anything
    that is not a GUID comes back trimmed but otherwise as written; empty for ``None``.
    """
    text = (value or "").strip()
    if not is_guid(text):
        return text
    return text.strip("{}").lower()


def as_guid(value: str, kind: str = "id") -> str:
    """``value`` if it is already a GUID, otherwise a GUID derived from it."""
    return value if is_guid(value) else stable_guid(kind, value)
