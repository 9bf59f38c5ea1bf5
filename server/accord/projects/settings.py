"""Project settings: their defaults and their validation.

Stored as one jsonb object. Reading fills in defaults, so a setting added later needs
no data migration.
"""

from __future__ import annotations

from typing import Any

from accord.errors import InvalidInput

DEFAULTS: dict[str, Any] = {
    "blinding": True,
    "inductiveCodes": False,
    "alphaMin": 0.800,
    # The consensus rule (DESIGN §5): items every coder coded with the same code, each
    # pair overlapping at least this share, go to the consensus layer on their own.
    "consensusRequireAllCoders": True,
    "consensusRequireSameCode": True,
    "consensusMinOverlap": 0.90,
}


def effective(stored: dict[str, Any] | None) -> dict[str, Any]:
    merged = dict(DEFAULTS)
    merged.update({k: v for k, v in (stored or {}).items() if k in DEFAULTS})
    return merged


def validate_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Check a partial settings update; returns only the keys that were given."""
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if value is None:
            continue
        if key not in DEFAULTS:
            raise InvalidInput(f"There is no project setting named {key!r}.", field=key)
        if isinstance(DEFAULTS[key], bool):
            if not isinstance(value, bool):
                raise InvalidInput(f"{key} must be true or false.", field=key)
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput(f"{key} must be a number.", field=key)
            value = float(value)
            if key == "alphaMin" and not 0.0 < value <= 1.0:
                raise InvalidInput("alphaMin must be above 0 and at most 1, e.g. 0.8.", field=key)
            if key == "consensusMinOverlap" and not 0.0 < value <= 1.0:
                raise InvalidInput(
                    "consensusMinOverlap is a share above 0 and at most 1, e.g. 0.9 for 90 %.",
                    field=key,
                )
        clean[key] = value
    return clean
