"""One section of the JSON document with its own code (not the register sections' generic path)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Part:
    """One such section: which model fields, which refer to other records, which to people."""

    key: str
    model: type[models.Model]
    prefix: str
    fields: tuple[str, ...]
    refs: Mapping[str, str] = field(default_factory=dict)  # field → section key it refers to
    users: tuple[str, ...] = ()
    stamps: tuple[str, ...] = ()  # set by the database on save; restored afterwards
    many: Mapping[str, str] = field(default_factory=dict)  # many-to-many field → section key
    bid_keyed: tuple[str, ...] = ()  # JSON maps keyed by a bid's database id (its document id here)
