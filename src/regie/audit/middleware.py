"""Give every request an id, echo it in the response, and make it available to services."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import reset_request_id, set_request_id

_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(self.header, "")
        token = set_request_id(incoming if _VALID.match(incoming) else None)
        try:
            from .context import current_request_id

            request.request_id = current_request_id()  # type: ignore[attr-defined]
            response = self.get_response(request)
            response[self.header] = request.request_id  # type: ignore[attr-defined]
            return response
        finally:
            reset_request_id(token)
