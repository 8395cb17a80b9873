"""The parts of a reference bundle as plain values, after reading and checking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class BundleError(Exception):
    """The bundle was refused. ``errors`` lists every problem found, each naming its place."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class SourceSpec:
    key: str
    source: str
    checked_on: datetime.date
    verified: bool
    note: str


@dataclass(frozen=True)
class CountrySpec:
    code: str
    name_en: str
    name_nl: str
    eu_member: bool
    eea_member: bool
    gdpr_adequacy: bool | None
    source: SourceSpec


@dataclass(frozen=True)
class GemmaSpec:
    kind: str
    name: str
    bbn: str = ""
    availability: int | None = None
    integrity: int | None = None
    confidentiality: int | None = None
    status: str = ""


@dataclass
class ParsedBundle:
    """A validated bundle; references are resolved to names that exist in the bundle."""

    path: Path
    version: str
    date: datetime.date
    manifest: dict[str, Any]
    sources: dict[str, SourceSpec]
    countries: list[CountrySpec]
    laws: list[dict[str, Any]]
    entities: list[dict[str, Any]]  # parents before children
    products: list[dict[str, Any]]
    services: list[dict[str, Any]]
    alternatives: list[dict[str, Any]]
    gemma: list[GemmaSpec]
    files: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How provenance records of this bundle name who entered them."""
        return f"Regie reference bundle {self.version}"
