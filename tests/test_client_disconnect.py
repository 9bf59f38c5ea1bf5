"""A request whose client leaves before its body arrives ends quietly: nothing is done,
nothing is answered, and no traceback reaches the log."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.config import Settings
from tests.conftest import SECRET_KEY


async def test_a_client_gone_before_its_body_arrived_ends_quietly(
    database_url: str, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings, database_url, SECRET_KEY)
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                    (b"content-length", b"100")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async with LifespanManager(app) as manager:
        with caplog.at_level(logging.ERROR):
            await manager.app(dict(scope, state={}), receive, send)
    assert sent == []
    assert "Traceback" not in caplog.text and "ClientDisconnect" not in caplog.text
