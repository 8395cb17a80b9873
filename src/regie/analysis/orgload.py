# ruff: noqa: S608 - SQL is built from table names and fixed vocabularies; values are parameters
"""The organisations' part of the register read straight into engine columns (the bulk path).

Large tables (dependencies, usages, processes, contract links, clauses) are read with lean SQL
that returns integers only (NULL as -1, choices mapped to their engine index in the query), so
that a national register loads as a few big integer arrays instead of millions of Python objects
passed through the row-by-row builder. References are resolved by sorted-key lookups in numpy.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np
from django.db import connections, transaction
from django.db.models import Model

from regie.core.catalogue import Catalogue
from regie.core.columns import NODE_PROCESS, NODE_SERVICE, NODE_USAGE, OrgColumns, f64, i8, i32, ptr
from regie.core.facts import CLAUSES, DEPENDENCY_KINDS, PERSONAL_DATA
from regie.register.models import (
    Contract,
    ContractClause,
    Country,
    DataSet,
    Dependency,
    ExitPlan,
    LifecycleStatus,
    Organisation,
    Process,
    RedundancyGroup,
    Usage,
)

T = TypeVar("T")

_OVERRIDE = {"easy": 0, "medium": 1, "high": 2, "none": 3}
STATUSES: tuple[str, ...] = tuple(s.value for s in LifecycleStatus)
_TRI_SQL = "CASE {col} WHEN 'yes' THEN 1 WHEN 'no' THEN 0 ELSE -1 END"


def _table(model: type[Model]) -> str:
    return model._meta.db_table


def _col(model: type[Model], field: str) -> str:
    return str(model._meta.get_field(field).column)  # type: ignore[union-attr]


class _Reader:
    """Lean SQL on one database, optionally limited to some organisations.

    Numeric tables never become Python tuples. PostgreSQL sends each table as one bytea value
    of fixed-width big-endian int8/float8 values (never NULL) that numpy reads in place. SQLite
    (in-process) renders each integer as 16 hexadecimal digits and concatenates them in one
    ``group_concat``, which ``bytes.fromhex`` and numpy turn back into int64 in C. Texts come
    back as one string per query, separated by the unit separator.
    """

    SEP = "\x1f"

    def __init__(self, using: str, org_ids: Sequence[int] | None) -> None:
        self.connection = connections[using]
        self.pg = self.connection.vendor == "postgresql"
        self.org_ids = None if org_ids is None else [int(i) for i in org_ids]

    def where(self, column: str) -> tuple[str, list[int]]:
        if self.org_ids is None:
            return "", []
        marks = ", ".join(["%s"] * len(self.org_ids))
        return f" WHERE {column} IN ({marks})", list(self.org_ids)

    def _one(self, sql: str, params: Sequence[Any]) -> Any:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            row = cursor.fetchone()
        return None if row is None else row[0]

    def _binary(self, exprs: Sequence[str], source: str, params: Sequence[Any], order: str, kind: str) -> Any:
        """PostgreSQL: the expressions as an (n, k) array, sent as one bytea value.

        Every value is rendered by ``int8send``/``float8send`` (8 bytes, big-endian) and the
        rows are concatenated by ``string_agg`` in the server; the value is fetched in binary
        so that it arrives as raw bytes, which numpy reads in place. (A binary ``COPY`` is
        delivered one row per call by libpq, which costs seconds in Python at this size.)"""
        send, cast = ("int8send", "int8") if kind == "i" else ("float8send", "float8")
        row = " || ".join(f"{send}(({e})::{cast})" for e in exprs)
        by = f" ORDER BY {order}" if order else ""
        sql = f"SELECT string_agg({row}, ''::bytea{by}), count(*) FROM {source}"
        self.connection.ensure_connection()
        raw = self.connection.connection
        import psycopg  # PostgreSQL only; Django's own cursors bind client-side, text results

        with psycopg.Cursor(raw) as cursor:
            cursor.execute(sql, list(params) or None, binary=True)
            found = cursor.fetchone()
        data = b"" if found is None or found[0] is None else bytes(found[0])
        rows = 0 if found is None else int(found[1])
        if len(data) != rows * 8 * len(exprs):  # a NULL value drops its whole row
            raise ValueError(
                f"snapshot load: a NULL value in {source.split(maxsplit=1)[0]} ({', '.join(exprs)})"
            )
        values = np.frombuffer(data, dtype=f">{kind}8")
        return values.astype(np.int64 if kind == "i" else np.float64).reshape(-1, len(exprs))

    def numbers(self, exprs: Sequence[str], source: str, params: Sequence[Any], ordered: bool = False) -> Any:
        """(rows, len(exprs)) float64 array of the expressions (never NULL), in the order of the
        first expression when ``ordered``."""
        by = f" ORDER BY {exprs[0]}" if ordered else ""
        if self.pg:
            return self._binary(exprs, source, params, exprs[0] if ordered else "", "f")
        with self.connection.cursor() as cursor:  # SQLite: small tables only (processes)
            cursor.execute(f"SELECT {', '.join(exprs)} FROM {source}{by}", list(params))
            rows = cursor.fetchall()
        return np.array(rows, dtype=np.float64).reshape(-1, len(exprs))

    def ints(self, exprs: Sequence[str], source: str, params: Sequence[Any], ordered: bool = False) -> Any:
        """(rows, len(exprs)) int64 array of integer expressions (never NULL)."""
        by = f" ORDER BY {exprs[0]}" if ordered else ""
        if self.pg:
            return self._binary(exprs, source, params, exprs[0] if ordered else "", "i")
        fmt = "%016X" * len(exprs)
        args = ", ".join(f"({e})" for e in exprs)
        sql = f"SELECT group_concat(r, '') FROM (SELECT printf('{fmt}', {args}) AS r FROM {source}{by})"
        text = self._one(sql, params)
        if not text:
            return np.zeros((0, len(exprs)), dtype=np.int64)
        # 16 hex digits per value: the 64-bit two's complement, negative numbers included
        values = np.frombuffer(bytes.fromhex(text), dtype=">i8").astype(np.int64)
        return values.reshape(-1, len(exprs))

    def texts(self, expr: str, source: str, params: Sequence[Any], order: str) -> list[str]:
        """One text column in the order of ``order``."""
        if self.pg:
            sql = f"SELECT string_agg(COALESCE({expr}, ''), chr(31) ORDER BY {order}) FROM {source}"
        else:
            sql = (
                f"SELECT group_concat(COALESCE(t, ''), char(31)) "
                f"FROM (SELECT {expr} AS t FROM {source} ORDER BY {order})"
            )
        text = self._one(sql, params)
        return [] if text is None else str(text).split(self.SEP)


def _lookup(keys: Any, wanted: Any) -> Any:
    """Positions of ``wanted`` in the sorted integer array ``keys`` (-1 where absent or -1)."""
    if len(keys) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    wanted = np.asarray(wanted, dtype=np.int64)
    lo, hi = int(keys[0]), int(keys[-1])
    if lo >= 0 and hi < 4 * len(keys) + 1_000_000:  # dense primary keys: a direct table
        table = np.full(hi + 2, -1, dtype=np.int64)
        table[keys] = np.arange(len(keys))
        return table[np.where((wanted >= 0) & (wanted <= hi), wanted, hi + 1)]
    pos = np.searchsorted(keys, wanted)
    pos = np.clip(pos, 0, len(keys) - 1)
    return np.where((keys[pos] == wanted) & (wanted >= 0), pos, -1)


def _catalogue_lookup(keys: Sequence[Hashable], wanted: Any) -> Any:
    """Index into a catalogue table (whose keys are integer primary keys) per wanted key."""
    arr = np.asarray(keys, dtype=np.int64)
    order = np.argsort(arr, kind="stable")
    pos = _lookup(arr[order], wanted)
    return np.where(pos >= 0, order[np.maximum(pos, 0)], -1)


def _hours(value: Any) -> float:
    return math.nan if value is None else float(value)


class _Scope:
    """Where to read from, and the organisations' primary keys (sorted) to index by."""

    def __init__(self, using: str, org_ids: Sequence[int] | None) -> None:
        self.using = using
        self.org_ids = None if org_ids is None else list(org_ids)
        self.r = _Reader(using, org_ids)

    def limit(self, queryset: Any, field: str = "organisation_id") -> Any:
        qs = queryset.using(self.using)
        return qs if self.org_ids is None else qs.filter(**{f"{field}__in": self.org_ids})


def _organisations(sc: _Scope) -> dict[str, Any]:
    org_rows = list(
        sc.limit(Organisation.objects, "pk").order_by("pk").values_list("pk", "code", "name", "kind")
    )
    countries = Country.objects.using(sc.using)
    default_trusted = frozenset(countries.filter(eu_member=True).values_list("code", flat=True)) | frozenset(
        countries.filter(eea_member=True).values_list("code", flat=True)
    )
    trusted: dict[int, set[str]] = defaultdict(set)
    for org_id, code in sc.limit(Organisation.trusted_countries.through.objects).values_list(
        "organisation_id", "country_id"
    ):
        trusted[org_id].add(code)
    return {
        "org_keys": [row[0] for row in org_rows],
        "org_codes": [row[1] for row in org_rows],
        "org_names": [row[2] for row in org_rows],
        "org_kinds": [row[3] for row in org_rows],
        "org_trusted": [frozenset(trusted.get(row[0]) or default_trusted) for row in org_rows],
    }


def _processes(sc: _Scope, org_index: Any) -> dict[str, Any]:
    where, params = sc.r.where("organisation_id")
    personal = " ".join(f"WHEN '{p}' THEN {i}" for i, p in enumerate(PERSONAL_DATA))
    source = f"{_table(Process)}{where}"
    num = sc.r.numbers(
        [
            "id",
            "organisation_id",
            "availability",
            "integrity",
            "confidentiality",
            "CASE WHEN critical THEN 1 ELSE 0 END",
            f"CASE personal_data {personal} ELSE 0 END",
            "COALESCE(max_tolerable_downtime_hours, -1)",
            "COALESCE(rto_hours, -1)",
        ],
        source,
        params,
        ordered=True,
    )
    proc = num[:, :7].astype(np.int64)
    names = sc.r.texts("name", source, params, "id")
    return {
        "process_keys": proc[:, 0].tolist(),
        "process_names": names,
        "process_org": org_index(proc[:, 1]),
        "process_availability": i8(proc[:, 2]),
        "process_integrity": i8(proc[:, 3]),
        "process_confidentiality": i8(proc[:, 4]),
        "process_critical": proc[:, 5] == 1,
        "process_mtd": f64(np.where(num[:, 7] < 0, np.nan, num[:, 7])),
        "process_rto": f64(np.where(num[:, 8] < 0, np.nan, num[:, 8])),
        "process_personal": i8(proc[:, 6]),
    }


def _usages(sc: _Scope, catalogue: Catalogue, org_index: Any) -> dict[str, Any]:
    where, params = sc.r.where("organisation_id")
    overrides = " ".join(f"WHEN '{k}' THEN {v}" for k, v in _OVERRIDE.items())
    source = f"{_table(Usage)}{where}"
    status = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(STATUSES))
    use = sc.r.ints(
        [
            "id",
            "organisation_id",
            "COALESCE(product_id, -1)",
            f"CASE substitutability_override {overrides} ELSE -1 END",
            f"CASE status {status} ELSE -1 END",
        ],
        source,
        params,
        ordered=True,
    )
    names = sc.r.texts("name", source, params, "id")
    use_pk = use[:, 0]
    justification = dict(
        sc.limit(Usage.objects)
        .exclude(substitutability_override="")
        .values_list("pk", "override_justification")
    )
    refcomps: dict[int, str] = dict(
        sc.limit(Usage.objects)
        .filter(reference_component__isnull=False)
        .values_list("pk", "reference_component__name")
    )
    rc_names = sorted(set(refcomps.values()))
    usage_refcomp = np.full(len(use_pk), -1, dtype=np.int64)
    if refcomps:
        index = {n: i for i, n in enumerate(rc_names)}
        usage_refcomp[_lookup(use_pk, np.array(list(refcomps), dtype=np.int64))] = [
            index[refcomps[k]] for k in refcomps
        ]
    volume = np.full(len(use_pk), math.nan)
    for usage_id, gb in (
        sc.limit(DataSet.objects).filter(volume_gb__isnull=False).values_list("usage_id", "volume_gb")
    ):
        i = int(_lookup(use_pk, np.array([usage_id]))[0])
        if i >= 0:
            volume[i] = (0.0 if math.isnan(volume[i]) else volume[i]) + float(gb)
    return {
        "usage_keys": use_pk.tolist(),
        "usage_names": names,
        "usage_org": org_index(use[:, 1]),
        "usage_product": i32(_catalogue_lookup(catalogue.cols.product_keys, use[:, 2])),
        "usage_refcomp": i32(usage_refcomp),
        "refcomp_names": rc_names,
        "usage_status": i32(use[:, 4]),
        "status_names": list(STATUSES),
        "usage_override": i8(use[:, 3]),
        "usage_justification": _justifications(use_pk, justification),
        "usage_open_export": i8(np.full(len(use_pk), -1)),
        "usage_volume_gb": f64(volume),
    }


def _justifications(use_pk: Any, justification: dict[int, str]) -> list[str | None]:
    """Per usage, the justification of its substitutability override (few usages have one)."""
    out: list[str | None] = [None] * len(use_pk)
    if justification:
        keys = list(justification)
        for pos, key in zip(_lookup(use_pk, np.array(keys, dtype=np.int64)).tolist(), keys, strict=True):
            if pos >= 0:
                out[pos] = justification[key] or None
    return out


def _dependency_rows(r: _Reader) -> tuple[Any, Any]:
    """The redundancy groups (id, organisation, k) and the dependencies as integer arrays."""
    where, params = r.where("organisation_id")
    groups = r.ints(["id", "organisation_id", "k"], f"{_table(RedundancyGroup)}{where}", params, ordered=True)
    kinds = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(DEPENDENCY_KINDS))
    dep = r.ints(
        [
            "organisation_id",
            f"CASE kind {kinds} ELSE -1 END",
            "COALESCE(from_process_id, -1)",
            "COALESCE(from_usage_id, -1)",
            "COALESCE(to_usage_id, -1)",
            "COALESCE(to_service_id, -1)",
            "COALESCE(group_id, -1)",
            "CASE proprietary WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE -1 END",
        ],
        f"{_table(Dependency)}{where}",
        params,
    )
    return groups, dep


def _dependencies(
    catalogue: Catalogue, org_index: Any, proc_pk: Any, use_pk: Any, rows: tuple[Any, Any]
) -> dict[str, Any]:
    groups, dep = rows
    from_process = dep[:, 2] >= 0
    src = np.where(from_process, _lookup(proc_pk, dep[:, 2]), _lookup(use_pk, dep[:, 3]))
    to_usage = dep[:, 4] >= 0
    to_service = _catalogue_lookup(catalogue.cols.service_keys, dep[:, 5])
    dst = np.where(to_usage, _lookup(use_pk, dep[:, 4]), to_service)
    ok = (src >= 0) & (dst >= 0) & (dep[:, 1] >= 0)
    return {
        "rgroup_keys": groups[:, 0].tolist(),
        "rgroup_org": org_index(groups[:, 1]),
        "rgroup_k": i32(groups[:, 2]),
        "dep_org": org_index(dep[ok, 0]),
        "dep_src_kind": i8(np.where(from_process, NODE_PROCESS, NODE_USAGE)[ok]),
        "dep_src": i32(src[ok]),
        "dep_dst_kind": i8(np.where(to_usage, NODE_USAGE, NODE_SERVICE)[ok]),
        "dep_dst": i32(dst[ok]),
        "dep_kind": i8(dep[ok, 1]),
        "dep_group": i32(_lookup(groups[:, 0], dep[:, 6])[ok]),
        "dep_open_standard": i8(dep[ok, 7]),
    }


def _contracts(sc: _Scope, catalogue: Catalogue, org_index: Any, use_pk: Any) -> dict[str, Any]:
    con_rows = list(
        sc.limit(Contract.objects)
        .order_by("pk")
        .values_list(
            "pk",
            "organisation_id",
            "counterparty_id",
            "annual_value",
            "start_date",
            "end_date",
            "notice_days",
        )
    )
    con_pk = np.array([c[0] for c in con_rows], dtype=np.int64)
    cwhere, cparams = sc.r.where("c.organisation_id")
    clause_kinds = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(CLAUSES))
    clause = sc.r.ints(
        ["cc.contract_id", f"CASE cc.kind {clause_kinds} ELSE -1 END", _TRI_SQL.format(col="cc.present")],
        f"{_table(ContractClause)} cc JOIN {_table(Contract)} c ON c.id = cc.contract_id{cwhere}",
        cparams,
    )
    clauses = np.full((len(con_pk), len(CLAUSES)), -1, dtype=np.int8)
    crow = _lookup(con_pk, clause[:, 0])
    keep = (crow >= 0) & (clause[:, 1] >= 0)
    clauses[crow[keep], clause[keep, 1]] = clause[keep, 2]

    def links(through: type[Model], column: str, keys: Any) -> tuple[Any, Any]:
        rows = sc.r.ints(
            ["t.contract_id", f"t.{column}"],
            f"{_table(through)} t JOIN {_table(Contract)} c ON c.id = t.contract_id{cwhere}",
            cparams,
        )
        row = _lookup(con_pk, rows[:, 0])
        target = keys(rows[:, 1])
        good = (row >= 0) & (target >= 0)
        row, target = row[good], target[good]
        order = np.argsort(row, kind="stable")
        return ptr(np.bincount(row, minlength=len(con_pk))), i32(target[order])

    service_keys = catalogue.cols.service_keys
    cu_ptr, cu = links(Contract.usages.through, "usage_id", lambda k: _lookup(use_pk, k))
    cs_ptr, cs = links(Contract.services.through, "service_id", lambda k: _catalogue_lookup(service_keys, k))
    counterparty = np.array([-1 if c[2] is None else c[2] for c in con_rows], dtype=np.int64)
    return {
        "contract_keys": con_pk.tolist(),
        "contract_org": org_index(np.array([c[1] for c in con_rows], dtype=np.int64)),
        "contract_counterparty": i32(_catalogue_lookup(catalogue.cols.entity_keys, counterparty)),
        "contract_value": f64([_hours(c[3]) for c in con_rows]),
        "contract_start": i32([c[4].toordinal() if c[4] else -1 for c in con_rows]),
        "contract_end": i32([c[5].toordinal() if c[5] else -1 for c in con_rows]),
        "contract_notice": i32([-1 if c[6] is None else c[6] for c in con_rows]),
        "contract_clauses": clauses,
        "contract_usage_ptr": cu_ptr,
        "contract_usage": cu,
        "contract_service_ptr": cs_ptr,
        "contract_service": cs,
    }


def _exit_plans(sc: _Scope, catalogue: Catalogue, org_index: Any, use_pk: Any) -> dict[str, Any]:
    rows = list(sc.limit(ExitPlan.objects).values_list("organisation_id", "usage_id", "service_id"))
    exit_u = _lookup(use_pk, np.array([u for _, u, _ in rows if u is not None], dtype=np.int64))
    plans = [(o, s) for o, _, s in rows if s is not None]
    exit_s = _catalogue_lookup(catalogue.cols.service_keys, np.array([s for _, s in plans], dtype=np.int64))
    exit_so = org_index(np.array([o for o, _ in plans], dtype=np.int64))
    good = exit_s >= 0
    return {
        "exit_usage": i32(exit_u[exit_u >= 0]),
        "exit_service_org": i32(exit_so[good]),
        "exit_service": i32(exit_s[good]),
    }


def org_columns(
    catalogue: Catalogue,
    *,
    using: str = "default",
    org_ids: Sequence[int] | None = None,
    side_connection: bool | None = None,
) -> OrgColumns:
    """Every organisation-specific table of the register (or of ``org_ids``) as engine columns.

    ``side_connection`` (PostgreSQL only; by default for the whole register outside a
    transaction): the dependencies, the largest table, are read on a second connection in a
    thread while this one reads the rest, both in one snapshot of the database
    (:func:`_shared_snapshot`). The columns are the same either way."""
    sc = _Scope(using, org_ids)
    connection = connections[using]
    if side_connection is None:
        side_connection = org_ids is None and not connection.in_atomic_block
    if not side_connection or connection.vendor != "postgresql":
        return _org_columns(sc, catalogue, lambda: _dependency_rows(sc.r))
    with (
        _shared_snapshot(using) as snapshot_id,
        ThreadPoolExecutor(1, thread_name_prefix="regie-load") as pool,
    ):
        rows = pool.submit(_read_in_snapshot, using, snapshot_id, sc.org_ids, _dependency_rows)
        return _org_columns(sc, catalogue, rows.result)


def _org_columns(
    sc: _Scope, catalogue: Catalogue, dependency_rows: Callable[[], tuple[Any, Any]]
) -> OrgColumns:
    orgs = _organisations(sc)
    org_pk = np.array(orgs["org_keys"], dtype=np.int64)

    def org_index(pks: Any) -> Any:
        return i32(_lookup(org_pk, pks))

    procs = _processes(sc, org_index)
    uses = _usages(sc, catalogue, org_index)
    proc_pk = np.array(procs["process_keys"], dtype=np.int64)
    use_pk = np.array(uses["usage_keys"], dtype=np.int64)
    contracts = _contracts(sc, catalogue, org_index, use_pk)
    exit_plans = _exit_plans(sc, catalogue, org_index, use_pk)
    return OrgColumns(
        **orgs,
        **procs,
        **uses,
        **_dependencies(catalogue, org_index, proc_pk, use_pk, dependency_rows()),
        **contracts,
        **exit_plans,
    )


_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")


@contextmanager
def _shared_snapshot(using: str) -> Iterator[str]:
    """A read-only repeatable-read transaction on ``using`` whose snapshot other connections
    can join while it lasts (PostgreSQL's ``pg_export_snapshot``, as ``pg_dump --jobs``)."""
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = str(cursor.fetchone()[0])
        yield snapshot_id


def _read_in_snapshot(
    using: str, snapshot_id: str, org_ids: Sequence[int] | None, read: Callable[[_Reader], T]
) -> T:
    """``read`` on this thread's own connection, in the exported snapshot; the connection is
    closed afterwards."""
    if not _SNAPSHOT_ID.fullmatch(snapshot_id):
        raise ValueError(f"not a snapshot id: {snapshot_id!r}")
    try:
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot_id}'")
            return read(_Reader(using, org_ids))
    finally:
        connections[using].close()
