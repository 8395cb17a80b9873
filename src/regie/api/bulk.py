"""Bulk create and update (usages and dependencies): all or nothing, errors per item.

A failing item is reported with its ``index`` and the field, e.g. ``items[3].productId``;
when any item fails, nothing is saved.
"""

from __future__ import annotations

import inspect
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from ninja import Router, Status
from pydantic import Field, create_model

from regie.register.selectors import NotVisibleError

from .auth import caller
from .concurrency import etag_of, require_match
from .crud import ERRORS_WRITE, _kw, _path_params, create_object, make_view, update_object
from .problems import ApiError, FieldError
from .resources import Resource
from .schema_base import CamelInput, CamelSchema

MAX_ITEMS = 500


class _RollbackError(Exception):
    """Raised inside the transaction to undo every item when one failed."""


def _rollback_if(failed: bool) -> None:
    if failed:
        raise _RollbackError


def _schemas(resource: Resource) -> tuple[type[CamelInput], type[CamelInput], type[CamelSchema]]:
    if resource.create is None or resource.update_schema is None:
        raise TypeError(f"{resource.name} has no create or update schema for bulk operations.")
    create = create_model(
        f"{resource.name}BulkCreate",
        __base__=CamelInput,
        items=(list[resource.create], Field(min_length=1, max_length=MAX_ITEMS)),  # type: ignore[name-defined]
    )
    item = create_model(
        f"{resource.name}BulkUpdateItem",
        __base__=resource.update_schema,
        id=(int, ...),
        etag=(str, Field(min_length=1, max_length=100, description="The ETag you read this item with.")),
    )
    update = create_model(
        f"{resource.name}BulkUpdate",
        __base__=CamelInput,
        items=(list[item], Field(min_length=1, max_length=MAX_ITEMS)),  # type: ignore[valid-type]
    )
    result = create_model(
        f"{resource.name}BulkResult",
        __base__=CamelSchema,
        results=(list[resource.out], ...),  # type: ignore[name-defined]
        etags=(list[str], Field(description="The new ETag of each item, in the same order.")),
    )
    return create, update, result


def _prefixed(problem: ApiError, index: int) -> list[FieldError]:
    if not problem.errors:
        return [FieldError(f"items[{index}]", problem.detail, index)]
    return [FieldError(f"items[{index}].{e.name}", e.reason, index) for e in problem.errors]


def _run(items: list[Any], action: Any) -> list[models.Model]:
    """Apply ``action`` to each item in one transaction; roll everything back on any error."""
    errors: list[FieldError] = []
    stale: list[FieldError] = []
    done: list[models.Model] = []
    try:
        with transaction.atomic():
            for index, item in enumerate(items):
                try:
                    with transaction.atomic():
                        done.append(action(item))
                except ApiError as problem:
                    target = stale if problem.status in (412, 428) else errors
                    target.extend(_prefixed(problem, index))
                except NotVisibleError as exc:
                    errors.append(FieldError(f"items[{index}].id", str(exc), index))
            _rollback_if(bool(errors or stale))
    except _RollbackError:
        if stale:
            raise ApiError(
                412, "Some items changed since you read them; nothing was saved.", errors=stale
            ) from None
        raise ApiError(400, "Some items are not valid; nothing was saved.", errors=errors) from None
    return done


def mount_bulk(router: Router, resource: Resource) -> None:
    create_schema, update_schema, result_schema = _schemas(resource)
    path = f"{resource.collection_path}/bulk"
    tags = [resource.tag or resource.plural]

    def bulk_create(request: HttpRequest, *, payload: Any, **path_kw: Any) -> Any:
        user = caller(request)
        parents = resource.parents(user, path_kw)
        created = _run(payload.items, lambda item: create_object(resource, request, parents, item))
        return Status(201, {"results": created, "etags": [etag_of(obj) for obj in created]})

    def bulk_update(request: HttpRequest, *, payload: Any, **path_kw: Any) -> Any:
        user = caller(request)
        parents = resource.parents(user, path_kw)

        def one(item: Any) -> models.Model:
            instance = resource.get(user, parents, item.id, for_update=True)
            require_match(instance, item.etag)
            return update_object(resource, request, parents, instance, item)

        updated = _run(payload.items, one)
        return Status(200, {"results": updated, "etags": [etag_of(obj) for obj in updated]})

    params: list[inspect.Parameter] = _path_params(resource, item=False)
    router.add_api_operation(
        path,
        ["POST"],
        make_view(f"bulk_create_{resource.plural}", [*params, _kw("payload", create_schema)], bulk_create),
        response={201: result_schema, **ERRORS_WRITE},
        operation_id=f"bulkCreate{resource.plural}",
        summary=f"Create many {resource.model._meta.verbose_name_plural} at once (all or nothing)",
        tags=tags,
        by_alias=True,
    )
    router.add_api_operation(
        path,
        ["PATCH"],
        make_view(f"bulk_update_{resource.plural}", [*params, _kw("payload", update_schema)], bulk_update),
        response={200: result_schema, **ERRORS_WRITE},
        operation_id=f"bulkUpdate{resource.plural}",
        summary=f"Change many {resource.model._meta.verbose_name_plural} at once (all or nothing)",
        description="Each item names its `id` and the `etag` it was read with.",
        tags=tags,
        by_alias=True,
    )
