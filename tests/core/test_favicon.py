"""Every page names an icon, and /favicon.ico (which browsers ask for anyway) answers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def icon_response(client: Client, url: str) -> tuple[str, bytes]:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return response["Content-Type"], body


def test_favicon_ico_answers_anonymous_visitors_with_the_icon(client: Client) -> None:
    first = client.get("/favicon.ico")
    assert first.status_code == 302
    assert "login" not in first["Location"]
    content_type, body = icon_response(client, "/favicon.ico")
    assert content_type.startswith("image/svg+xml")
    assert body.lstrip().startswith(b"<svg")


def test_every_page_names_the_icon_it_serves(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link is not None
    content_type, _body = icon_response(client, link.group(1))
    assert content_type.startswith("image/svg+xml")


def test_favicon_is_not_held_back_by_the_second_factor(
    client: Client, personas: Personas, settings: object
) -> None:
    settings.REQUIRE_TWO_FACTOR = True  # type: ignore[attr-defined]
    client.force_login(personas.worker)  # password given, code not yet
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "tweestaps" not in response["Location"]
    assert icon_response(client, "/favicon.ico")[0].startswith("image/svg+xml")
