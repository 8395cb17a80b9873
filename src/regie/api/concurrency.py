"""Optimistic concurrency: an ETag per object state, and ``If-Match`` on every change."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from regie.audit.services import snapshot_of

from .problems import ApiError


def etag_of(instance: models.Model) -> str:
    """A strong ETag derived from the object's audited state (its fields and many-to-many ids).

    The audit snapshot is what a change is recorded as, so two representations share a tag
    exactly when the audit trail would see no difference between them.
    """
    state = json.dumps(
        [instance._meta.label_lower, str(instance.pk), snapshot_of(instance)],
        sort_keys=True,
        cls=DjangoJSONEncoder,
    )
    return '"' + hashlib.sha256(state.encode()).hexdigest()[:32] + '"'


def require_match(instance: models.Model, if_match: str | None) -> None:
    """428 without ``If-Match``; 412 when no tag in it matches the current state."""
    if not if_match:
        raise ApiError(
            428,
            "Send the ETag of the version you read as 'If-Match', so that no change is lost.",
        )
    current = etag_of(instance)
    offered = {tag.strip() for tag in if_match.split(",")}
    if current not in offered:
        raise ApiError(
            412,
            "The object changed since you read it. Read it again (GET) and retry with the new ETag.",
        )
