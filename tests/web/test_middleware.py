"""Regie's middleware (ADR 0133) answers exactly as the middleware it replaces: the CSP header
built once per process is django-csp's in every case, and the message storage made on first
use stores and shows what Django's does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware as BaseMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from regie.web.middleware import CSPMiddleware, MessageMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"}}
EXCLUDED = {"EXCLUDE_URL_PREFIXES": ["/o/"], "DIRECTIVES": {"default-src": ["'self'"]}}


def _answer(
    middleware_class: type[DjangoCSPMiddleware],
    path: str = "/o/a/",
    *,
    prepare: Callable[[HttpResponse], None] = lambda r: None,
    nonce: bool = False,
    status: int = 200,
) -> tuple[dict[str, str | None], HttpRequest]:
    response = HttpResponse(status=status)
    prepare(response)
    middleware = middleware_class(lambda request: response)
    request = RequestFactory().get(path)
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # type: ignore[attr-defined]  # a template asked for the nonce
    answered = middleware.process_response(request, response)
    return {h: answered.get(h) for h in HEADERS}, request


def _set(**attributes: Any) -> Callable[[HttpResponse], None]:
    def prepare(response: HttpResponse) -> None:
        for name, value in attributes.items():
            setattr(response, name, value)

    return prepare


CASES: dict[str, dict[str, Any]] = {
    "the settings' policy": {},
    "a decorated view (replace)": {"prepare": _set(_csp_replace={"script-src": ["'none'"]})},
    "a decorated view (update)": {"prepare": _set(_csp_update={"img-src": ["https://example.org"]})},
    "a decorated view (config)": {"prepare": _set(_csp_config={"default-src": ["'none'"]})},
    "an exempt view": {"prepare": _set(_csp_exempt=True)},
    "a nonce asked for": {"nonce": True},
    "a not-found page": {"status": 404},
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"CONTENT_SECURITY_POLICY_REPORT_ONLY": REPORT_ONLY},
        {"DEBUG": True},
        {
            "CONTENT_SECURITY_POLICY": {
                "EXCLUDE_URL_PREFIXES": ["/o/"],
                "DIRECTIVES": {"default-src": ["'self'"]},
            }
        },
    ],
    ids=["settings", "report-only", "debug", "excluded-prefix"],
)
def test_the_header_is_django_csps(case: str, overrides: dict[str, Any]) -> None:
    with override_settings(**overrides):
        ours, _ = _answer(CSPMiddleware, **CASES[case])
        theirs, _ = _answer(DjangoCSPMiddleware, **CASES[case])
    assert ours == theirs


def test_a_changed_setting_changes_the_header() -> None:
    before, _ = _answer(CSPMiddleware)
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        changed, _ = _answer(CSPMiddleware)
    after, _ = _answer(CSPMiddleware)
    assert changed["Content-Security-Policy"] == "default-src 'none'"
    assert before == after
    assert "default-src 'self'" in str(before["Content-Security-Policy"])


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error() -> None:
    from csp.exceptions import CSPNonceError

    _, request = _answer(CSPMiddleware)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_every_response_carries_the_policy_of_the_settings(client: Client) -> None:
    api = client.get("/api/v1/services")  # 401 without a token: the header all the same
    page = client.get("/login")
    assert (api.status_code, page.status_code) == (401, 200)
    for response in (api, page):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy


def _with_messages(
    middleware_class: type[BaseMessageMiddleware],
    *,
    add: str | None = None,
    show: bool = False,
    cookie: str | None = None,
) -> tuple[str | None, list[str]]:
    """One request through a message middleware: the messages cookie it sets, what was shown."""
    request = RequestFactory().get("/o/a/")
    request.session = SessionStore()  # type: ignore[attr-defined]
    if cookie is not None:
        request.COOKIES["messages"] = cookie
    middleware = middleware_class(lambda r: HttpResponse())
    middleware.process_request(request)
    if add is not None:
        messages.success(request, add)
    shown = [str(m) for m in messages.get_messages(request)] if show else []
    response = middleware.process_response(request, HttpResponse())
    set_cookie = response.cookies.get("messages")
    return (None if set_cookie is None else set_cookie.value), shown


@pytest.mark.django_db
def test_messages_are_stored_and_shown_as_by_django(monkeypatch: pytest.MonkeyPatch) -> None:
    ours_cookie, _ = _with_messages(MessageMiddleware, add="Opgeslagen.")
    theirs_cookie, _ = _with_messages(BaseMessageMiddleware, add="Opgeslagen.")
    assert ours_cookie is not None
    assert theirs_cookie is not None
    ours = _with_messages(MessageMiddleware, show=True, cookie=ours_cookie)
    theirs = _with_messages(BaseMessageMiddleware, show=True, cookie=theirs_cookie)
    assert ours == theirs == ("", ["Opgeslagen."])  # shown once, then the cookie is cleared
    assert _with_messages(MessageMiddleware, cookie=ours_cookie) == _with_messages(
        BaseMessageMiddleware, cookie=theirs_cookie
    )  # not shown: kept for the next page

    made: list[object] = []
    monkeypatch.setattr(
        "regie.web.middleware.default_storage",
        lambda request: made.append(request) or default_storage(request),
    )
    assert _with_messages(MessageMiddleware) == (None, [])
    assert made == []  # a request that uses no message makes no storage
