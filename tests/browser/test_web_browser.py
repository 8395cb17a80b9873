"""The web interface in a real browser: the main path of a user, keyboard use, accessibility,
and that nothing leaves 127.0.0.1."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser


def test_user_logs_in_switches_searches_adds_with_an_error_and_sees_history(page, server_url) -> None:  # type: ignore[no-untyped-def]
    login(page, server_url)
    assert page.url == f"{server_url}/o/a/"
    assert page.locator("html").get_attribute("lang") == "nl"
    shot(page, "01-organisation-home")

    # Switch to organisation B and back, keeping the register section.
    page.goto(f"{server_url}/o/a/usages/")
    page.select_option("#org-switch", "b")
    page.click(".org-switch button")
    page.wait_for_url(f"{server_url}/o/b/usages/")
    assert "Gemeente B" in (page.locator(".sidebar").text_content() or "")
    page.select_option("#org-switch", "a")
    page.click(".org-switch button")
    page.wait_for_url(f"{server_url}/o/a/usages/")

    # Search a list: htmx replaces the results and pushes the URL.
    page.goto(f"{server_url}/o/a/processes/")
    assert page.locator("#results tbody tr").count() == 25
    page.fill("#id_q", "Vergunningverlening 1")
    page.wait_for_url(re.compile(r".*q=Vergunningverlening(\+|%20)1.*"))
    expect(page.locator("#results tbody tr")).to_have_count(10)
    assert "10 resultaten" in page.locator(".result-count").inner_text()
    shot(page, "02-process-search")

    # Add a process: first with a validation error, then corrected.
    page.goto(f"{server_url}/o/a/processes/add")
    page.fill("#id_name", "Leerlingenvervoer")
    page.fill("#id_availability", "5")
    page.click("form.form button[type=submit]")
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.locator("#id_availability").get_attribute("aria-invalid") == "true"
    described = page.locator("#id_availability").get_attribute("aria-describedby") or ""
    assert "id_availability_error" in described
    assert page.locator("#id_availability_error").is_visible()
    assert page.locator("#id_integrity").get_attribute("aria-invalid") == "true"
    shot(page, "03-form-with-errors")
    page.fill("#id_availability", "2")
    page.fill("#id_integrity", "2")
    page.fill("#id_confidentiality", "3")
    page.check("#id_critical")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"{server_url}/o/a/processes/\d+/"))
    assert "Leerlingenvervoer" in page.locator("h1").inner_text()
    assert "opgeslagen" in page.locator(".messages").inner_text()
    history = page.locator(".history").inner_text()
    assert "root" in history
    assert "aangemaakt" in history

    # Edit it; the change appears in the history.
    page.click("text=Bewerken")
    page.fill("#id_owner", "Team Onderwijs")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"{server_url}/o/a/processes/\d+/"))
    changes = page.locator(".history__changes").first.inner_text()
    assert "Team Onderwijs" in changes
    shot(page, "04-detail-with-history")

    # Switch to English.
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#h-history").inner_text() == "Change history"
    shot(page, "05-detail-in-english")


def test_form_can_be_filled_and_sent_with_the_keyboard_only(page, server_url) -> None:  # type: ignore[no-untyped-def]
    login(page, server_url)
    page.goto(f"{server_url}/o/a/redundancy-groups/add")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    def tab_to(element_id: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == element_id:
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"{element_id} has no visible focus"
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("id_name")
    page.keyboard.type("Uitwijk rekencentrum")
    tab_to("id_k")
    page.keyboard.press("Control+a")
    page.keyboard.type("2")
    tab_to("id_description")
    page.keyboard.type("Twee rekencentra; één mag uitvallen.")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Opslaan":
            break
    else:
        raise AssertionError("Tab never reached the save button")
    shot(page, "06-keyboard-focus-on-save")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{server_url}/o/a/redundancy-groups/\d+/"))
    assert "Uitwijk rekencentrum" in page.locator("h1").inner_text()


MAIN_PAGES = [
    "/o/a/",
    "/o/a/processes/",
    "/o/a/processes/add",
    "/o/a/contracts/1/",
    "/o/a/settings/",
    "/catalogue/",
    "/catalogue/legal-entities/2/",
    "/catalogue/services/1/",
    "/catalogue/countries/",
]


def test_main_pages_have_no_serious_accessibility_violations(page, server_url) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.goto(f"{server_url}/login")
    problems = _serious(axe.run(page).response)
    login(page, server_url)
    for path in MAIN_PAGES:
        page.goto(f"{server_url}{path}")
        problems += [f"{path}: {p}" for p in _serious(axe.run(page).response)]
    page.goto(f"{server_url}/o/a/processes/add")
    page.click("form.form button[type=submit]")
    page.locator(".error-summary").wait_for()
    problems += [f"form with errors: {p}" for p in _serious(axe.run(page).response)]
    shot(page, "07-empty-form-errors")
    assert problems == []


def _serious(response: dict) -> list[str]:  # type: ignore[type-arg]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_request_leaves_the_machine_and_the_csp_holds(page, server_url) -> None:  # type: ignore[no-untyped-def]
    responses = []

    def record(response) -> None:  # type: ignore[no-untyped-def]  # Playwright needs a Python function
        responses.append(response)

    page.on("response", record)
    login(page, server_url)
    for path in ["/o/a/processes/", "/catalogue/legal-entities/2/", "/o/a/contracts/1/", "/catalogue/"]:
        page.goto(f"{server_url}{path}")
    page.goto(f"{server_url}/o/a/processes/")
    page.fill("#id_q", "Burger")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    hosts = {urlparse(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}
    documents = [r for r in responses if r.request.resource_type == "document"]
    assert documents
    for response in documents:
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy, response.url
    assert any("htmx" in url for url in page.requests), "htmx is served by Regie itself"
    assert [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e] == []
    assert page.console_errors == []
    shot(page, "08-catalogue-search")
