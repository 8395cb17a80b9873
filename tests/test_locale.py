"""Dutch first: Accept-Language does not override the default; the switch does."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_an_english_browser_sees_dutch_until_it_chooses_english() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = client.get("/login")
    assert page.headers["Content-Language"] == "nl"
    assert "Inloggen" in page.content.decode()
    client.post("/i18n/setlang", {"language": "en", "next": "/login"})
    page = client.get("/login")
    assert page.headers["Content-Language"] == "en"
    assert "Log in" in page.content.decode() or "Sign in" in page.content.decode()
