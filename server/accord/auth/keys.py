"""The secret key that signs session cookies.

It comes from ACCORD_SECRET_KEY. In embedded mode with no key set, one is generated on
first start and kept in the data directory, readable by its owner only. There is never
a built-in default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from accord.config import ConfigError, Secret, Settings

KEY_FILE = "secret_key"


def resolve_secret_key(settings: Settings) -> Secret:
    if settings.secret_key is not None:
        return settings.secret_key
    if not settings.embedded:
        raise ConfigError(
            "ACCORD_SECRET_KEY is required when ACCORD_DATABASE_URL is set "
            '(generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    return Secret(_load_or_create(settings.data_dir / KEY_FILE))


def _load_or_create(path: Path) -> str:
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 32:
            return key
        raise ConfigError(f"{path} holds no usable key; delete it to have a new one made.")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two processes start at once, one writes and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_or_create(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
