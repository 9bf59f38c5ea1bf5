"""Client-side routes get the app's page; the server's own paths never do."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize("path", ["/", "/login", "/p/1234/code/5678", "/invite/abc-def"])
async def test_client_routes_get_the_app(app_client: httpx.AsyncClient, path: str) -> None:
    response = await app_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<div id="app">' in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/graphql/extra",
        "/healthz/x",
        "/readyz/x",
        "/exports",
        "/exports/",
        "/assets/missing.js",
        "/api/v1/projects",
        "/p/1234/picture.png",
    ],
)
async def test_unknown_server_paths_are_404(app_client: httpx.AsyncClient, path: str) -> None:
    response = await app_client.get(path)
    assert response.status_code == 404
    assert '<div id="app">' not in response.text


async def test_built_assets_are_served(app_client: httpx.AsyncClient) -> None:
    page = (await app_client.get("/")).text
    script = page.split('src="', 1)[1].split('"', 1)[0]
    assert script.startswith("/assets/")
    response = await app_client.get(script)
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]


async def test_graphql_in_a_browser_is_the_offline_explorer(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "Accord API explorer" in response.text
    assert "://" not in response.text  # every script and style from this server
