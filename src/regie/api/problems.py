"""Errors as ``application/problem+json`` (RFC 9457), with per-field ``invalidParams``.

Every error the API returns goes through :func:`problem_response`, so clients see one shape:
``type``, ``title``, ``status``, ``detail``, ``instance`` and, for bad input, ``invalidParams``
with the lowerCamelCase ``name`` of the offending field and a ``reason``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field
from pydantic.alias_generators import to_camel

from regie.register.selectors import NotVisibleError

from .schema_base import CamelSchema

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class InvalidParam(CamelSchema):
    name: str = Field(description="The lowerCamelCase name of the field, e.g. `items[2].productId`.")
    reason: str
    index: int | None = Field(None, description="For bulk requests: the position of the item (from 0).")


class Problem(CamelSchema):
    """An RFC 9457 problem detail."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    invalid_params: list[InvalidParam] = Field(default_factory=list)


@dataclass
class FieldError:
    name: str
    reason: str
    index: int | None = None


class ApiError(Exception):
    """Raise anywhere below an endpoint to answer with a problem."""

    def __init__(
        self, status: int, detail: str = "", *, errors: Iterable[FieldError] = (), title: str = ""
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.title = title or HTTPStatus(status).phrase


def problem_response(
    request: HttpRequest | None,
    status: int,
    detail: str = "",
    *,
    errors: Iterable[FieldError] = (),
    title: str = "",
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path if request is not None else "",
    }
    params = [
        {"name": e.name, "reason": e.reason, **({"index": e.index} if e.index is not None else {})}
        for e in errors
    ]
    if params:
        body["invalidParams"] = params
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _location_name(loc: Iterable[Any]) -> str:
    """Turn a pydantic error location into the field name the client sent."""
    parts = [str(p) for p in loc]
    # ninja prefixes the source ("body", "query", "path", "header") and the parameter name.
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
        if parts and parts[0] in {"payload", "filters", "params"}:
            parts = parts[1:]
    name = ""
    for part in parts:
        if part.isdigit():
            name += f"[{part}]"
        else:
            camel = part if part[:1].islower() and "_" not in part else to_camel(part)
            name += f".{camel}" if name else camel
    return name or "body"


def validation_errors(exc: NinjaValidationError) -> list[FieldError]:
    return [FieldError(_location_name(e.get("loc", ())), str(e.get("msg", "invalid"))) for e in exc.errors]


def install_problem_handlers(api: NinjaAPI) -> None:
    """Answer every failure below an endpoint with a problem document."""

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return problem_response(
            request, 400, "The request is not valid; see invalidParams.", errors=validation_errors(exc)
        )

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            request,
            401,
            "Sign in, or send a valid personal API token as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": 'Bearer realm="regie"'},
        )

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(request, exc.status_code, str(exc))

    def on_problem(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return problem_response(request, exc.status, exc.detail, errors=exc.errors, title=exc.title)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem_response(request, 404, str(exc) if isinstance(exc, NotVisibleError) else "Not found.")

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(request, 403, str(exc) or "You may not do this.")

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return problem_response(request, 400, "; ".join(exc.messages))

    def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        return problem_response(request, 400, "A number in the request is too large.")

    def on_other(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return problem_response(request, 500, "An unexpected error occurred; it has been logged.")

    api.add_exception_handler(NinjaValidationError, on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, on_auth)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http)  # type: ignore[arg-type]
    api.add_exception_handler(ApiError, on_problem)  # type: ignore[arg-type]
    api.add_exception_handler(NotVisibleError, on_not_found)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_not_found)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, on_forbidden)  # type: ignore[arg-type]
    api.add_exception_handler(DjangoValidationError, on_django_validation)  # type: ignore[arg-type]
    api.add_exception_handler(OverflowError, on_overflow)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, on_other)  # type: ignore[arg-type]
