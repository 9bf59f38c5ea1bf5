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

_GUID = re.compile(
    r"^(\{)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?(1)\})$"
)


def stable_guid(kind: str, accord_id: object) -> str:
    """The GUID of Accord object ``accord_id`` of ``kind`` ("code", "document", ...)."""
    return str(uuid.uuid5(ACCORD_NAMESPACE, f"{kind}:{accord_id}"))


def is_guid(value: str) -> bool:
    return bool(_GUID.match(value))


def as_guid(value: str, kind: str = "id") -> str:
    """``value`` if it is already a GUID, otherwise a GUID derived from it."""
    return value if is_guid(value) else stable_guid(kind, value)
