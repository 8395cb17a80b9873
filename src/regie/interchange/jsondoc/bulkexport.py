"""The writer of the JSON document: every organisation at once (ADR 0128), or one (ADR 0137).

The export of every organisation reads each table once: the shared records (catalogue and
provenance) are read once and kept as templates (``shared``), the organisations' own records
are read in batches of organisations (``owned``). One organisation's export (``export``, the
web page, the API, ``regie export --org``) is a batch of that organisation alone, with only
the shared records its document brings along (``organisation_document``): one writer, and a
document does not depend on which other organisations are in its batch.

A document is assembled from text: each shared record's template is filled with the document
ids of this document, each section of the organisation's own records is encoded once, and
orjson joins them (``orjson.Fragment``). Should a value be one that orjson refuses, that
document is built as a dictionary and written through ``encoding.encode``.

Only the system exports every organisation: the command line (``regie export --all``); no web
page or API call reaches ``export_every_organisation`` (they reach ``export.export_json``).
"""

from __future__ import annotations

import datetime
import gc
import os
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson
from django.db import connection, connections, models, transaction
from django.utils import timezone

from regie.register.models import Country, Organisation

from .encoding import ORGANISATION_FIELDS, encode, value_of
from .framework import PARTS, SUBJECT_MODELS, export_parts
from .owned import Batch, Names, Row, read_batch, shared_roots, sort_keys
from .sections import FORMAT, VERSION
from .shared import OWNED_PLANS, PLANS, SHARED_PLANS, Plan, Shared, load_shared

BATCH = 50  # organisations per batch: about 50,000 dependencies per query at the national scale
INDENT = orjson.OPT_INDENT_2


@dataclass(frozen=True)
class BulkResult:
    organisations: int
    bytes: int
    seconds: float  # wall clock
    cpu_seconds: float  # processor time of every process that took part
    jobs: int


def export_every_organisation(
    directory: Path, *, jobs: int = 1, batch: int = BATCH, exported_at: datetime.datetime | None = None
) -> BulkResult:
    """Write ``<code>.json`` for every organisation into ``directory``; ``jobs`` processes."""
    started, cpu = time.perf_counter(), time.process_time()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (exported_at or timezone.now()).isoformat()
    pks = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    batches = [pks[i : i + batch] for i in range(0, len(pks), batch)]
    jobs = max(1, min(jobs, len(batches)))
    if connection.in_atomic_block:
        jobs = 1  # inside a transaction (a test): other processes could not see its writes
    if jobs == 1:
        written = [_run_share(batches, directory, stamp)]
    else:
        import multiprocessing

        connections.close_all()  # each process opens its own connection
        shares = [(batches[i::jobs], directory, stamp) for i in range(jobs)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            written = pool.starmap(_run_share, shares)
    count = sum(w[0] for w in written)
    size = sum(w[1] for w in written)
    children = sum(w[2] for w in written) if jobs > 1 else 0.0
    return BulkResult(count, size, time.perf_counter() - started, time.process_time() - cpu + children, jobs)


def _run_share(batches: Sequence[Sequence[Any]], directory: Path, stamp: str) -> tuple[int, int, float]:
    """Export these batches of organisations in one transaction: every document is read from
    one state of the database (on PostgreSQL: repeatable read)."""
    cpu = time.process_time()
    count = size = 0
    with read_snapshot():
        for code, data in documents(batches, stamp):
            (directory / f"{code}.json").write_bytes(data)
            count, size = count + 1, size + len(data)
    return count, size, time.process_time() - cpu


@contextmanager
def read_snapshot() -> Iterator[None]:
    """One read transaction: what is read in it is one state of the database. On SQLite a
    deferred transaction (Django's ``atomic`` would take the write lock); on PostgreSQL
    repeatable read. Inside a transaction already (a test), that one."""
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # nothing was written
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield


def documents(batches: Sequence[Sequence[Any]], stamp: str) -> Iterator[tuple[str, bytes]]:
    """(code, document) of every organisation of the batches, batch after batch."""
    shared = load_shared()
    gc.freeze()  # the shared records live to the end: the collector need not walk them again
    for pks in batches:
        batch = read_batch(pks)
        context = Context.of(batch, shared, stamp)
        for org in batch.organisations:
            yield org[1 + _CODE], Document(org, context).encoded()


def organisation_document(pk: Any, stamp: str) -> Document:
    """One organisation's document: a batch of that organisation alone, with only the shared
    records it brings along (read breadth first, not every shared table), in one read
    transaction. ``Document.encoded()`` gives the bytes the export of every organisation
    writes for it (but for ``stamp``)."""
    with read_snapshot():
        batch = read_batch([pk])
        if not batch.organisations:
            raise Organisation.DoesNotExist(f"no organisation with primary key {pk!r}")
        roots = list(shared_roots(batch, pk, SHARED_MODELS))
        shared = load_shared(roots)
        return Document(batch.organisations[0], Context.of(batch, shared, stamp), roots)


_CODE = ORGANISATION_FIELDS.index("code")
SHARED_MODELS = frozenset(plan.section.model for plan in SHARED_PLANS)
_ID_TEXTS: dict[str, list[str]] = {}


def id_texts(prefix: str, count: int) -> list[str]:
    """``prefix-1`` … ``prefix-count`` (made once, shared by every document)."""
    texts = _ID_TEXTS.setdefault(prefix, [])
    texts.extend(f"{prefix}-{i}" for i in range(len(texts) + 1, count + 1))
    return texts[:count]


@dataclass(frozen=True)
class Context:
    batch: Batch
    shared: Shared
    keys: dict[type[models.Model], Callable[[Row], Any]]  # sort keys of the owned sections
    stamp: str

    @classmethod
    def of(cls, batch: Batch, shared: Shared, stamp: str) -> Context:
        names = Names(batch, shared)
        return cls(batch, shared, {plan.section.model: sort_keys(plan, names) for plan in OWNED_PLANS}, stamp)


class Document:
    """One organisation's document from the rows of its batch."""

    def __init__(
        self, org: Row, context: Context, roots: Sequence[tuple[type[models.Model], Any]] | None = None
    ) -> None:
        self.pk = org[0]
        batch, shared = context.batch, context.shared
        self.batch, self.shared = batch, shared
        self.head: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": context.stamp,
            "organisation": {
                **{f: value_of(v) for f, v in zip(ORGANISATION_FIELDS, org[1:], strict=True)},
                "joint_arrangements": sorted(batch.joint.get(self.pk, [])),
                "trusted_countries": sorted(batch.trusted.get(self.pk, [])),
            },
        }
        # the organisation's own records, sorted, with their document ids
        self.rows: dict[type[models.Model], list[Row]] = {}
        self.ids: dict[type[models.Model], Mapping[Any, str]] = {}
        for plan in OWNED_PLANS:
            model = plan.section.model
            rows = sorted(batch.owned[model].get(self.pk, []), key=context.keys[model])
            self.rows[model] = rows
            self.ids[model] = dict(
                zip([r[0] for r in rows], id_texts(plan.section.prefix, len(rows)), strict=True)
            )
        self.parts = batch.parts.get(self.pk)
        # the shared records it brings along, in document order, with their document ids
        if roots is None:
            roots = list(shared_roots(batch, self.pk, shared.index))
        members = shared.closure({shared.index[model][pk] for model, pk in roots})
        self.members: dict[int, list[int]] = {}  # by position of the section
        self.number_ids: dict[int, str] = {}
        for position, (start, end) in shared.bounds.items():
            chunk = members[bisect_left(members, start) : bisect_left(members, end)]
            plan = PLANS[position]
            if plan.section.model is Country:  # a country's id is its code
                texts = [shared.pks[n] for n in chunk]
            else:
                texts = id_texts(plan.section.prefix, len(chunk))
            self.members[position] = chunk
            self.number_ids.update(zip(chunk, texts, strict=True))
            self.ids[plan.section.model] = dict(zip(_pick(shared.pks, chunk), texts, strict=True))

    # -- the records --------------------------------------------------------------------------

    def own_records(self, plan: Plan) -> list[dict[str, Any]]:
        """The section's records, column by column: references become document ids."""
        model = plan.section.model
        rows = self.rows[model]
        if not rows:
            return []
        columns: list[Any] = list(zip(*rows, strict=True))
        columns[0] = id_texts(plan.section.prefix, len(rows))
        for i in plan.converted:
            columns[1 + i] = [None if v is None else value_of(v) for v in columns[1 + i]]
        for i, target in enumerate(plan.targets):
            if target is not None:
                referred: dict[Any, str | None] = {None: None, **self.ids[target]}
                columns[1 + i] = map(referred.__getitem__, columns[1 + i])
        for many in plan.many:
            links, related = self.batch.links[(model, many.name)], self.ids[many.related_model]
            columns.append([sorted(related[pk] for pk in links.get(row[0], ())) for row in rows])
        names = plan.names
        return [dict(zip(names, values)) for values in zip(*columns, strict=True)]  # noqa: B905 (as long)

    def shared_texts(self, position: int, members: list[int]) -> str:
        """A section of shared records: their templates filled with this document's ids, as
        one ``%`` format over the joined templates."""
        if not members:
            return "[]"
        shared, ids = self.shared, self.number_ids
        slots = shared.slots
        templates = _pick(shared.templates, members)
        if position not in shared.mixed:  # single ids only
            numbers = list(chain.from_iterable(_pick(slots, members)))
        else:
            if None in templates:
                raise SlowPathError
            numbers = []
            lists = shared.lists
            for number in members:
                if number not in lists:
                    numbers.extend(slots[number])
                    continue
                for slot in slots[number]:  # the first is the record's own id
                    if isinstance(slot, int):
                        numbers.append(slot)
                    else:  # a list of ids, sorted by id in this document
                        numbers.extend(sorted(slot, key=ids.__getitem__))
        return "[\n    " + _SEPARATOR.join(templates) % _pick(ids, numbers) + "\n  ]"

    def shared_records(self, members: list[int]) -> list[dict[str, Any]]:
        ids, shared = self.number_ids, self.shared
        out = []
        for number in members:
            record = dict(shared.records[number])
            for name, slot in zip(shared.slot_fields[number], shared.slots[number], strict=True):
                record[name] = (
                    [ids[slot]]
                    if isinstance(record[name], list) and isinstance(slot, int)
                    else (ids[slot] if isinstance(slot, int) else sorted(ids[n] for n in slot))
                )
            out.append(record)
        return out

    def framework(self) -> dict[str, list[dict[str, Any]]]:
        if not self.parts:
            return {part.key: [] for part in PARTS}
        subjects: dict[str, dict[str, str | None]] = {
            kind: {str(pk): i for pk, i in self.ids[model].items()} for kind, model in SUBJECT_MODELS.items()
        }
        return export_parts(
            Organisation(pk=self.pk),
            lambda model, pk: self.ids[model][pk],
            value_of,
            rows={part.key: self.parts.get(part.key, []) for part in PARTS},
            subjects=subjects,
        )

    # -- the document ---------------------------------------------------------------------------

    def encoded(self) -> bytes:
        try:
            return self._fast()
        except SlowPathError:
            return encode(self.dictionary())

    def _fast(self) -> bytes:
        document: dict[str, Any] = dict(self.head)
        for position, plan in enumerate(PLANS):
            if position in self.members:
                text = self.shared_texts(position, self.members[position])
                document[plan.section.key] = orjson.Fragment(text)
            else:
                encoded = _dumps(self.own_records(plan))
                document[plan.section.key] = orjson.Fragment(encoded.replace(b"\n", b"\n  "))
        document.update(self.framework())
        document["audit"] = self.batch.audit.get(self.pk, [])
        return _dumps(document) + b"\n"

    def dictionary(self) -> dict[str, Any]:
        """The document as a dictionary (``export.build_document``; the slow path's)."""
        document: dict[str, Any] = dict(self.head)
        for position, plan in enumerate(PLANS):
            if position in self.members:
                document[plan.section.key] = self.shared_records(self.members[position])
            else:
                document[plan.section.key] = self.own_records(plan)
        document.update(self.framework())
        document["audit"] = self.batch.audit.get(self.pk, [])
        return document


_SEPARATOR = ",\n    "  # between the records of a section


def _pick(values: Sequence[Any] | Mapping[Any, Any], keys: Sequence[Any]) -> tuple[Any, ...]:
    """``values[k]`` for each of the keys, in one call (``itemgetter``; one key gives no tuple)."""
    if len(keys) > 1:
        return itemgetter(*keys)(values)  # type: ignore[no-any-return]
    return (values[keys[0]],) if keys else ()


class SlowPathError(Exception):
    """A value orjson refuses, or a shared record without a template: this document is built
    as a dictionary and encoded with ``encoding.encode``."""


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value, option=INDENT)
    except orjson.JSONEncodeError as exc:  # (TypeError)
        raise SlowPathError from exc


def default_jobs() -> int:
    """One process per processor this process may use, at most four."""
    return max(
        1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    )


__all__ = [
    "BATCH",
    "BulkResult",
    "Document",
    "default_jobs",
    "documents",
    "export_every_organisation",
    "organisation_document",
]
