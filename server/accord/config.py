"""Settings, read once from the environment.

Every setting is an ``ACCORD_*`` variable. A mistyped value fails at start-up with the
variable's name in the message, and the secret key is wrapped so it never prints.
"""

from __future__ import annotations

import ipaddress
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Secret:
    """A string that does not show itself in logs, reprs or tracebacks."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


# (name, default, meaning): the README's settings table is checked against this list.
SETTINGS_DOC: tuple[tuple[str, str, str], ...] = (
    ("ACCORD_DATABASE_URL", "unset", "PostgreSQL ≥ 14 URL. Unset: an embedded PostgreSQL runs."),
    ("ACCORD_DATA_DIR", "the user data dir", "Where the embedded database and key live."),
    ("ACCORD_SECRET_KEY", "unset", "Signs session cookies. Required with a database URL."),
    ("ACCORD_MAX_DOCUMENT_BYTES", "5000000", "Largest transcript text accepted, in bytes."),
    ("ACCORD_MAX_REQUEST_BYTES", "12000000", "Largest HTTP request body accepted, in bytes."),
    (
        "ACCORD_MAX_UPLOAD_BYTES",
        "10000000",
        "Largest imported file (upload or CLI), in bytes. Past 10 MB, what an archive may "
        "unpack to grows with it (10× per entry, 20× in all; 100 and 400 MB at least).",
    ),
    ("ACCORD_STATEMENT_TIMEOUT_MS", "30000", "PostgreSQL statement_timeout for every query."),
    ("ACCORD_POOL_MAX_SIZE", "10", "Connections in the database pool per process."),
    ("ACCORD_SESSION_DAYS", "14", "How long a browser session lasts."),
    ("ACCORD_LOGIN_MAX_ATTEMPTS", "10", "Failed logins allowed per email in the window."),
    ("ACCORD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS", "50", "Failed logins allowed per client address."),
    ("ACCORD_LOGIN_WINDOW_SECONDS", "900", "The window for the two login limits."),
    ("ACCORD_PASSWORD_MIN_LENGTH", "10", "Shortest password accepted (8 at least)."),
    ("ACCORD_INVITE_DAYS", "7", "How long an invitation link stays valid."),
    ("ACCORD_RESET_HOURS", "48", "How long a password-reset link stays valid."),
    (
        "ACCORD_PUBLIC_URL",
        "unset",
        "The server's address as people reach it, for invitation and reset links. "
        "Unset: the address the request came to (the CLI: http://127.0.0.1:8000).",
    ),
    ("ACCORD_MAX_QUERY_DEPTH", "12", "Deepest GraphQL query accepted."),
    ("ACCORD_MAX_ALIASES", "30", "Most aliases in one GraphQL query."),
    ("ACCORD_MAX_TOKENS", "4000", "Most tokens in one GraphQL query."),
    ("ACCORD_LOG_LEVEL", "INFO", "Log level: DEBUG, INFO, WARNING or ERROR."),
    (
        "ACCORD_TRUSTED_PROXIES",
        "none",
        "Addresses or networks (comma-separated, e.g. 10.0.0.5,192.168.0.0/24) of reverse "
        "proxies whose Forwarded, X-Forwarded-For, X-Forwarded-Proto and X-Real-IP headers "
        "are believed.",
    ),
    ("ACCORD_MAX_QUERY_FIELDS", "500", "Most fields in one GraphQL document, fragments expanded."),
    (
        "ACCORD_WORKERS",
        "half the cores, 1 to 4",
        "Processes `accord serve` runs on one port (`--workers`). Each holds up to "
        "ACCORD_POOL_MAX_SIZE + 1 database connections.",
    ),
    (
        "ACCORD_HEAVY_WORKERS",
        "cores − 1, 1 to 4",
        "Worker processes for heavy work (agreement, reports, file imports and exports), "
        "shared out among the server processes, at least one each.",
    ),
    (
        "ACCORD_COMPUTE_TIMEOUT_SECONDS",
        "60",
        "Time budget of one heavy computation; past it the worker is stopped.",
    ),
    ("ACCORD_MAX_BOOTSTRAP_RESAMPLES", "20000", "Most bootstrap resamples one report may ask."),
    (
        "ACCORD_MAX_AGREEMENT_WORK",
        "30000000",
        "Largest estimated work of one agreement report (about µs of one core).",
    ),
    ("ACCORD_MAX_HEAVY_PER_USER", "2", "Heavy computations one account may run at once."),
    ("ACCORD_MAX_HEAVY_QUEUE", "16", "Heavy computations waiting for a worker, all accounts."),
    ("ACCORD_PASSWORD_THREADS", "2", "Threads that hash and check passwords."),
    ("ACCORD_MAX_PASSWORD_QUEUE", "32", "Password checks allowed to wait for a thread."),
)


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}.")
    return value


def _networks(env: Mapping[str, str], name: str) -> tuple[IPNetwork, ...]:
    raw = env.get(name, "").strip()
    if raw.lower() in ("", "none"):
        return ()
    networks = []
    for part in raw.split(","):
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            raise ConfigError(
                f"{name} lists addresses or networks such as 10.0.0.5 or 10.0.0.0/8, "
                f"separated by commas; {part.strip()!r} is neither."
            ) from None
    return tuple(networks)


def default_workers() -> int:
    """Server processes: half the cores, at least one and at most four. The other half
    is left to what each request also needs on the same machine, usually: PostgreSQL
    (the embedded one always) and the heavy-work processes."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def default_heavy_workers() -> int:
    """One worker per core but one, which stays with the event loop; at most four."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def default_data_dir() -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Path(platformdirs.user_data_dir("accord", appauthor=False))


@dataclass(frozen=True)
class Settings:
    database_url: Secret | None
    data_dir: Path
    secret_key: Secret | None
    max_document_bytes: int = 5_000_000
    max_request_bytes: int = 12_000_000
    max_upload_bytes: int = 10_000_000
    statement_timeout_ms: int = 30_000
    pool_max_size: int = 10
    session_days: int = 14
    login_max_attempts: int = 10
    login_max_attempts_per_address: int = 50
    login_window_seconds: int = 900
    password_min_length: int = 10
    invite_days: int = 7
    reset_hours: int = 48
    public_url: str | None = None
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    log_level: str = "INFO"
    trusted_proxies: tuple[IPNetwork, ...] = ()
    max_query_fields: int = 500
    workers: int = field(default_factory=default_workers)
    heavy_workers: int = field(default_factory=default_heavy_workers)
    compute_timeout_seconds: int = 60
    max_bootstrap_resamples: int = 20_000
    max_agreement_work: int = 30_000_000
    max_heavy_per_user: int = 2
    max_heavy_queue: int = 16
    password_threads: int = 2
    max_password_queue: int = 32
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        url = env.get("ACCORD_DATABASE_URL", "").strip()
        if url and not url.startswith(("postgres://", "postgresql://")):
            raise ConfigError(
                "ACCORD_DATABASE_URL must be a postgresql:// URL "
                "(for example postgresql://user:pass@localhost:5432/accord)."
            )
        key = env.get("ACCORD_SECRET_KEY", "").strip()
        if key and len(key) < 32:
            raise ConfigError("ACCORD_SECRET_KEY must be at least 32 characters long.")
        data_dir = env.get("ACCORD_DATA_DIR", "").strip()
        level = env.get("ACCORD_LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(
                f"ACCORD_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}."
            )
        public_url = env.get("ACCORD_PUBLIC_URL", "").strip().rstrip("/")
        if public_url and not public_url.startswith(("http://", "https://")):
            raise ConfigError(
                "ACCORD_PUBLIC_URL must be an http:// or https:// address "
                f"(for example https://accord.example.org), got {public_url!r}."
            )
        return cls(
            database_url=Secret(url) if url else None,
            data_dir=Path(data_dir).expanduser() if data_dir else default_data_dir(),
            secret_key=Secret(key) if key else None,
            max_document_bytes=_int(env, "ACCORD_MAX_DOCUMENT_BYTES", 5_000_000),
            max_request_bytes=_int(env, "ACCORD_MAX_REQUEST_BYTES", 12_000_000),
            max_upload_bytes=_int(env, "ACCORD_MAX_UPLOAD_BYTES", 10_000_000),
            statement_timeout_ms=_int(env, "ACCORD_STATEMENT_TIMEOUT_MS", 30_000),
            pool_max_size=_int(env, "ACCORD_POOL_MAX_SIZE", 10, minimum=2),
            session_days=_int(env, "ACCORD_SESSION_DAYS", 14),
            login_max_attempts=_int(env, "ACCORD_LOGIN_MAX_ATTEMPTS", 10),
            login_max_attempts_per_address=_int(env, "ACCORD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS", 50),
            login_window_seconds=_int(env, "ACCORD_LOGIN_WINDOW_SECONDS", 900),
            password_min_length=_int(env, "ACCORD_PASSWORD_MIN_LENGTH", 10, minimum=8),
            invite_days=_int(env, "ACCORD_INVITE_DAYS", 7),
            reset_hours=_int(env, "ACCORD_RESET_HOURS", 48),
            public_url=public_url or None,
            max_query_depth=_int(env, "ACCORD_MAX_QUERY_DEPTH", 12),
            max_aliases=_int(env, "ACCORD_MAX_ALIASES", 30),
            max_tokens=_int(env, "ACCORD_MAX_TOKENS", 4000),
            log_level=level,
            trusted_proxies=_networks(env, "ACCORD_TRUSTED_PROXIES"),
            max_query_fields=_int(env, "ACCORD_MAX_QUERY_FIELDS", 500),
            workers=_int(env, "ACCORD_WORKERS", default_workers()),
            heavy_workers=_int(env, "ACCORD_HEAVY_WORKERS", default_heavy_workers()),
            compute_timeout_seconds=_int(env, "ACCORD_COMPUTE_TIMEOUT_SECONDS", 60),
            max_bootstrap_resamples=_int(env, "ACCORD_MAX_BOOTSTRAP_RESAMPLES", 20_000, 100),
            max_agreement_work=_int(env, "ACCORD_MAX_AGREEMENT_WORK", 30_000_000),
            max_heavy_per_user=_int(env, "ACCORD_MAX_HEAVY_PER_USER", 2),
            max_heavy_queue=_int(env, "ACCORD_MAX_HEAVY_QUEUE", 16, minimum=0),
            password_threads=_int(env, "ACCORD_PASSWORD_THREADS", 2),
            max_password_queue=_int(env, "ACCORD_MAX_PASSWORD_QUEUE", 32, minimum=0),
        )
