"""The reports page in a real browser: the preview of the HTML report shows in its frame under
the page's policy, and nothing leaves 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser


def test_the_preview_shows_the_report_in_its_frame(page, server_url) -> None:  # type: ignore[no-untyped-def]
    login(page, server_url)
    page.goto(f"{server_url}/o/a/reports/")
    frame = page.frame_locator("iframe.report-preview")
    expect(frame.locator("h1")).to_have_text("Digitale afhankelijkheden")
    expect(frame.locator("svg.chart").first).to_be_visible()
    shot(page, "reports-01-page-with-preview")
    hosts = {urlparse(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}
    assert [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e] == []
