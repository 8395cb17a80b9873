"""Turn each :class:`~regie.api.resources.Resource` into its list/read/create/update/delete operations.

Every operation is thin: resolve the parents in the caller's scope, call a selector or a register
service, return the schema. Writes check ``If-Match`` against a row locked for the transaction.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Hashable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.params.functions import Header, Query
from ninja.responses import NinjaJSONEncoder
from pydantic import create_model
from pydantic.alias_generators import to_camel

from regie.accounts.permissions import can_view
from regie.register import services
from regie.register.models import Organisation
from regie.register.tenancy import is_shared_model, is_tenant_model

from . import representations
from .auth import caller
from .concurrency import etag_of, require_match
from .problems import ApiError, FieldError, Problem
from .resources import Resource, field_errors, organisation_in, to_model_data
from .revision import Revision, catalogue_revision, organisation_revision
from .schema_base import CamelSchema

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

ERRORS_READ = {400: Problem, 401: Problem, 404: Problem}
ERRORS_INPUT = {400: Problem, 401: Problem, 403: Problem, 404: Problem}
ERRORS_WRITE = {**ERRORS_INPUT, 409: Problem, 412: Problem, 428: Problem}

IF_MATCH_DOC = "The ETag of the version you read. Required: 428 without it, 412 when it is stale."


def make_view(name: str, params: list[inspect.Parameter], impl: Callable[..., Any]) -> Callable[..., Any]:
    """A view function whose signature (what django-ninja reads) is built from ``params``."""

    def view(request: HttpRequest, **kwargs: Any) -> Any:
        return impl(request, **kwargs)

    request_param = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    view.__signature__ = inspect.Signature([request_param, *params])  # type: ignore[attr-defined]
    view.__name__ = view.__qualname__ = name
    return view


def _kw(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def _path_params(resource: Resource, *, item: bool) -> list[inspect.Parameter]:
    return [_kw(name, typ) for name, typ in resource.path_params(item=item)]


RESPONSE = _kw("response", HttpResponse)
IF_MATCH = _kw("if_match", str | None, Header(None, alias="If-Match", description=IF_MATCH_DOC))


def page_schema(resource: Resource) -> type[CamelSchema]:
    return create_model(
        f"{resource.name}Page",
        __base__=CamelSchema,
        results=(list[resource.out], ...),  # type: ignore[name-defined]
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        next=(str | None, None),
        previous=(str | None, None),
    )


def apply_sort(resource: Resource, qs: models.QuerySet[Any], sort: str | None) -> models.QuerySet[Any]:
    """``sort=name,-createdAt``: lowerCamelCase fields, ``-`` for descending."""
    if not sort:
        return qs.order_by(*(qs.query.order_by or resource.model._meta.ordering or ()), "pk")
    allowed = {to_camel(f): f for f in resource.sort}
    order: list[str] = []
    for raw in sort.split(","):
        key = raw.strip()
        descending = key.startswith("-")
        name = allowed.get(key.lstrip("-"))
        if name is None:
            raise ApiError(
                400,
                "Unknown sort field.",
                errors=[FieldError("sort", f"'{key}' is not one of: {', '.join(sorted(allowed))}.")],
            )
        order.append(f"-{name}" if descending else name)
    return qs.order_by(*order, "pk")


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


JSON = "application/json; charset=utf-8"  # as django-ninja answers


def cacheable(resource: Resource) -> bool:
    """Whether representations of this resource may be kept (ADR 0125): a register model below
    an organisation, or a catalogue model below catalogue models only. Their tables and those
    of the related rows they show carry the revision triggers (tests/api/test_revision.py)."""
    chain = resource.chain()
    if any(r.model._meta.app_label != "register" for r in chain):
        return False
    if chain[0].model is Organisation:
        return len(chain) > 1 and all(is_tenant_model(r.model) for r in chain[1:])
    return all(is_shared_model(r.model) for r in chain)


def _revision_for(resource: Resource, request: HttpRequest, path: dict[str, Any]) -> Hashable | None:
    """The revision a representation depends on, once the caller may see it; None: not kept."""
    if not representations.enabled() or not cacheable(resource):
        return None
    user = caller(request)
    root = resource.chain()[0]
    # A token narrowed to one organisation read the revision with the token (regie.api.tokens).
    read: tuple[str, int, Revision] | None = getattr(user, "_regie_revision", None)
    if root.model is Organisation:
        code = str(path[root.param])
        found = (read[1], read[2]) if read is not None and read[0] == code else organisation_revision(code)
        if found is None or not can_view(user, found[0]):
            return None  # the normal path answers 404
        return found[1]
    if not user.is_authenticated or not user.is_active:
        return None
    return (read[2][0] if read is not None else catalogue_revision(), 0)


def _key(kind: str, resource: Resource, request: HttpRequest) -> Hashable:
    query = tuple(sorted((k, tuple(v)) for k, v in request.GET.lists()))
    language = getattr(request, "LANGUAGE_CODE", "")
    return (kind, resource.collection_path, request.path, query, request.scheme, request.get_host(), language)


def render_json(request: HttpRequest, schema: type[CamelSchema], data: Any) -> bytes:
    """What django-ninja would answer for ``data`` under ``schema`` (by alias)."""
    validated = schema.model_validate(data, context={"request": request, "response_status": 200})
    return json.dumps(validated.model_dump(by_alias=True), cls=NinjaJSONEncoder).encode()


def _invalid(exc: DjangoValidationError, schema: type[CamelSchema] | None) -> ApiError:
    detail, errors = field_errors(exc, schema)
    return ApiError(400, detail, errors=errors)


def create_object(
    resource: Resource, request: HttpRequest, parents: list[models.Model], payload: CamelSchema
) -> models.Model:
    """Create one object from a validated payload (used by create and by bulk create)."""
    user = caller(request)
    schema = type(payload)
    data, m2m = to_model_data(resource, schema, user, payload.model_dump(), organisation_in(parents))
    if resource.parent is not None:
        data[resource.parent_field] = parents[-1]
    try:
        if resource.creator is not None:
            return resource.creator(user, data, m2m)
        return services.register_create(actor=user, model=resource.model, data=data, m2m=m2m)
    except DjangoValidationError as exc:
        raise _invalid(exc, schema) from exc


def update_object(
    resource: Resource,
    request: HttpRequest,
    parents: list[models.Model],
    instance: models.Model,
    payload: CamelSchema,
) -> models.Model:
    """Apply a partial update to a locked instance (used by update and by bulk update)."""
    user = caller(request)
    schema = type(payload)
    values = payload.model_dump(exclude_unset=True, exclude={"id", "etag"})
    data, m2m = to_model_data(resource, schema, user, values, organisation_in(parents))
    try:
        return services.register_update(actor=user, instance=instance, data=data, m2m=m2m)
    except DjangoValidationError as exc:
        raise _invalid(exc, schema) from exc


def mount(router: Router, resource: Resource) -> None:
    """Add the operations of one resource to the router."""
    ops = resource.operations
    tags = [resource.tag or resource.plural]
    if "list" in ops:
        _mount_list(router, resource, tags)
    if "create" in ops and resource.create is not None:
        _mount_create(router, resource, tags)
    if "read" in ops:
        _mount_read(router, resource, tags)
    if "update" in ops and resource.update_schema is not None:
        _mount_update(router, resource, tags)
    if "delete" in ops:
        _mount_delete(router, resource, tags)


def _mount_list(router: Router, resource: Resource, tags: list[str]) -> None:
    page_cls = page_schema(resource)

    def page_of(
        request: HttpRequest, *, filters: Any, page: int, page_size: int, sort: str | None, **path: Any
    ) -> dict[str, Any]:
        user = caller(request)
        parents = resource.parents(user, path)
        qs = filters.filter(resource.queryset(user, parents))
        qs = apply_sort(resource, qs, sort)
        count = qs.count()
        start = (page - 1) * page_size
        results = list(
            qs.select_related(*resource.select_related).prefetch_related(*resource.prefetch_related)[
                start : start + page_size
            ]
        )
        return {
            "results": results,
            "count": count,
            "page": page,
            "page_size": page_size,
            "next": _page_url(request, page + 1) if start + page_size < count else None,
            "previous": _page_url(request, page - 1) if page > 1 and start - page_size < count else None,
        }

    def list_objects(
        request: HttpRequest, *, filters: Any, page: int, page_size: int, sort: str | None, **path: Any
    ) -> Any:
        revision = _revision_for(resource, request, path)
        if revision is None:
            return page_of(request, filters=filters, page=page, page_size=page_size, sort=sort, **path)
        body = representations.cached_bytes(
            _key("list", resource, request),
            revision,
            lambda: render_json(
                request,
                page_cls,
                page_of(request, filters=filters, page=page, page_size=page_size, sort=sort, **path),
            ),
            len,
        )
        return HttpResponse(body, content_type=JSON)

    sortable = ", ".join(to_camel(f) for f in resource.sort)
    params = [
        *_path_params(resource, item=False),
        _kw("filters", resource.filters, Query(...)),
        _kw("page", int, Query(1, ge=1, le=100_000, description="Page number, from 1.")),
        _kw(
            "page_size",
            int,
            Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, alias="pageSize", description="Items per page."),
        ),
        _kw(
            "sort", str | None, Query(None, description=f"Comma-separated; '-' descends. One of: {sortable}.")
        ),
    ]
    router.add_api_operation(
        resource.collection_path,
        ["GET"],
        make_view(f"list_{resource.plural}", params, list_objects),
        response={200: page_cls, **ERRORS_READ},
        operation_id=f"list{resource.plural}",
        summary=f"List {resource.model._meta.verbose_name_plural}",
        description=resource.description,
        tags=tags,
        by_alias=True,
    )


def _mount_read(router: Router, resource: Resource, tags: list[str]) -> None:
    def one(request: HttpRequest, path: dict[str, Any]) -> Any:
        user = caller(request)
        parents = resource.parents(user, path)
        return resource.get(user, parents, path[resource.param])

    def read_object(request: HttpRequest, *, response: HttpResponse, **path: Any) -> Any:
        revision = _revision_for(resource, request, path)
        if revision is None:
            instance = one(request, path)
            response["ETag"] = etag_of(instance)
            return instance

        def compute() -> tuple[bytes, str]:
            instance = one(request, path)
            return render_json(request, resource.detail_schema, instance), etag_of(instance)

        body, etag = representations.cached_bytes(
            _key("read", resource, request), revision, compute, lambda v: len(v[0])
        )
        answer = HttpResponse(body, content_type=JSON)
        answer["ETag"] = etag
        return answer

    router.add_api_operation(
        resource.item_path,
        ["GET"],
        make_view(f"get_{resource.name}", [*_path_params(resource, item=True), RESPONSE], read_object),
        response={200: resource.detail_schema, **ERRORS_READ},
        operation_id=f"get{resource.name}",
        summary=f"Read one {resource.model._meta.verbose_name}",
        tags=tags,
        by_alias=True,
    )


def _mount_create(router: Router, resource: Resource, tags: list[str]) -> None:
    def create(request: HttpRequest, *, payload: CamelSchema, response: HttpResponse, **path: Any) -> Any:
        user = caller(request)
        with transaction.atomic():
            parents = resource.parents(user, path)
            instance = create_object(resource, request, parents, payload)
        instance = resource.get(user, parents, getattr(instance, resource.lookup))
        response["ETag"] = etag_of(instance)
        return Status(201, instance)

    params = [*_path_params(resource, item=False), _kw("payload", resource.create), RESPONSE]
    router.add_api_operation(
        resource.collection_path,
        ["POST"],
        make_view(f"create_{resource.name}", params, create),
        response={201: resource.detail_schema, **ERRORS_INPUT, 409: Problem},
        operation_id=f"create{resource.name}",
        summary=f"Create a {resource.model._meta.verbose_name}",
        tags=tags,
        by_alias=True,
    )


def _mount_update(router: Router, resource: Resource, tags: list[str]) -> None:
    def update(
        request: HttpRequest,
        *,
        payload: CamelSchema,
        if_match: str | None,
        response: HttpResponse,
        **path: Any,
    ) -> Any:
        user = caller(request)
        with transaction.atomic():
            parents = resource.parents(user, path)
            instance = resource.get(user, parents, path[resource.param], for_update=True)
            require_match(instance, if_match)
            update_object(resource, request, parents, instance, payload)
        instance = resource.get(user, parents, path[resource.param])
        response["ETag"] = etag_of(instance)
        return instance

    params = [*_path_params(resource, item=True), _kw("payload", resource.update_schema), IF_MATCH, RESPONSE]
    router.add_api_operation(
        resource.item_path,
        ["PATCH"],
        make_view(f"update_{resource.name}", params, update),
        response={200: resource.detail_schema, **ERRORS_WRITE},
        operation_id=f"update{resource.name}",
        summary=f"Change a {resource.model._meta.verbose_name} (partial; needs If-Match)",
        tags=tags,
        by_alias=True,
    )


def _mount_delete(router: Router, resource: Resource, tags: list[str]) -> None:
    def delete(request: HttpRequest, *, if_match: str | None, **path: Any) -> Any:
        user = caller(request)
        with transaction.atomic():
            parents = resource.parents(user, path)
            instance = resource.get(user, parents, path[resource.param], for_update=True)
            require_match(instance, if_match)
            try:
                services.register_delete(actor=user, instance=instance)
            except DjangoValidationError as exc:
                raise ApiError(409, "; ".join(exc.messages)) from exc
        return Status(204, None)

    router.add_api_operation(
        resource.item_path,
        ["DELETE"],
        make_view(f"delete_{resource.name}", [*_path_params(resource, item=True), IF_MATCH], delete),
        response={204: None, **ERRORS_WRITE},
        operation_id=f"delete{resource.name}",
        summary=f"Delete a {resource.model._meta.verbose_name} (needs If-Match)",
        tags=tags,
        by_alias=True,
    )
