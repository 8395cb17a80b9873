"""The API object: every declared resource mounted on one django-ninja API at /api/v1."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router

from . import declarations
from .auth import AUTH
from .bulk import mount_bulk
from .crud import mount
from .openapi import API_VERSION, adjust
from .problems import PROBLEM_JSON, install_problem_handlers, problem_response
from .resources import REGISTRY

# Resources that also take bulk create and update.
BULK = (declarations.landscape.USAGES, declarations.landscape.DEPENDENCIES)


class RegieAPI(NinjaAPI):
    """Operation ids in lowerCamelCase, from the view's name, for routers that set none."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        head, *rest = str(operation.view_func.__name__).split("_")
        return head + "".join(word.capitalize() for word in rest)


def build_api() -> NinjaAPI:
    api = RegieAPI(
        title="Regie API",
        version=API_VERSION,
        openapi_url=None,
        docs_url=None,
        auth=AUTH,
        urls_namespace="api-v1",
    )
    install_problem_handlers(api)
    router = Router()
    for resource in REGISTRY:
        if resource in BULK:
            mount_bulk(router, resource)
        mount(router, resource)
    api.add_router("", router)
    from regie.analysis.api import router as analysis_router
    from regie.policy.api import router as policy_router
    from regie.procurement.api import router as procurement_router
    from regie.sector.api import router as sector_router

    api.add_router("", analysis_router)
    api.add_router("", policy_router)
    api.add_router("", sector_router)
    api.add_router("", procurement_router)
    from regie.planning.api import router as planning_router

    api.add_router("", planning_router)
    from regie.reports.api import router as reports_router

    api.add_router("", reports_router)
    from regie.interchange.api import router as interchange_router

    api.add_router("", interchange_router)
    _camel_case_everywhere(api)
    return api


def _camel_case_everywhere(api: NinjaAPI) -> None:
    """Every operation, from any app's router, serialises by alias: lowerCamelCase on the wire."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                operation.by_alias = True


API = build_api()


@functools.cache
def _schema_document() -> dict[str, Any]:
    return dict(API.get_openapi_schema(path_prefix=""))


@functools.lru_cache(maxsize=8)  # per server URL (hosts are limited by ALLOWED_HOSTS)
def _document_json(server: str) -> str:
    return json.dumps(adjust(_schema_document(), server_url=server))  # ~80 ms: once


@csrf_exempt
def openapi_document(request: HttpRequest) -> HttpResponse:
    server = request.build_absolute_uri("/api/v1").rstrip("/")
    response = HttpResponse(_document_json(server), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(request, 404, "There is no resource at this address.")


def with_api_headers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every response carries API-Version; framework errors (404, 405) become problems too."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code in (404, 405) and response.get("Content-Type") != PROBLEM_JSON:
            allow = response.get("Allow")
            detail = "Method not allowed." if response.status_code == 405 else "Not found."
            response = problem_response(request, response.status_code, detail)
            if allow:
                response["Allow"] = allow
        response["API-Version"] = API_VERSION
        return response

    return wrapped


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = with_api_headers(pattern.callback)
    return patterns


def api_urlpatterns() -> list[URLPattern | URLResolver]:
    ninja_patterns, _app, _namespace = API.urls
    own = [
        path("openapi.json", openapi_document, name="api-openapi"),
        *ninja_patterns,
        re_path(r"^(?P<rest>[\s\S]*)$", not_found),
    ]
    return _wrapped(list(own))


__all__ = ["API", "api_urlpatterns"]
