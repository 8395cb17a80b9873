"""Revisions of the register's data, for caches that must never serve anything stale (ADR 0125).

Database triggers (migration ``api.0002``) bump a counter per organisation and one for the
shared catalogue on every write of a register table, in the same transaction as the write,
whoever writes it. A cached value is stored with the counters read **before** it was
computed and served only while they are unchanged, so it is never older than the data; the
counters are read from the database on every request, so every server process sees a write
made by another one at once. On PostgreSQL the counters take the next value of a sequence,
which a rollback does not give back, so a value is never reused for other data.
"""

from __future__ import annotations

from django.db import connection

CATALOGUE = 0  # the scope of the shared catalogue; an organisation's scope is its id

Revision = tuple[int, int]  # (catalogue, organisation)

_BY_ID = (
    "SELECT COALESCE((SELECT value FROM api_datarevision WHERE scope = 0), 0), "
    "COALESCE((SELECT value FROM api_datarevision WHERE scope = %s), 0)"
)
_BY_CODE = (
    "SELECT o.id, COALESCE((SELECT value FROM api_datarevision WHERE scope = 0), 0), "
    "COALESCE((SELECT value FROM api_datarevision WHERE scope = o.id), 0) "
    "FROM register_organisation o WHERE o.code = %s"
)


def revision(organisation_id: int | None = None) -> Revision:
    """The catalogue's counter and the organisation's (0 without one), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_BY_ID, [organisation_id if organisation_id is not None else -1])
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if organisation_id is not None else (int(row[0]), 0)


def catalogue_revision() -> int:
    return revision(None)[0]


def organisation_revision(code: str) -> tuple[int, Revision] | None:
    """The id of the organisation with this code and its revision, in one query (None: no such
    organisation). Says nothing about who may see it: callers check that."""
    with connection.cursor() as cursor:
        cursor.execute(_BY_CODE, [code])
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), (int(row[1]), int(row[2]))


def bump_all() -> None:
    """Count a change of everything: for loaders that write with the triggers switched off
    (the benchmark's bulk load with ``session_replication_role = replica``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            nxt = "nextval('api_datarevision_seq')"
            cursor.execute(
                f"INSERT INTO api_datarevision (scope, value) SELECT 0, {nxt} UNION ALL "  # noqa: S608
                f"SELECT id, {nxt} FROM register_organisation "
                "ON CONFLICT (scope) DO UPDATE SET value = EXCLUDED.value"
            )
        else:
            cursor.execute(
                "INSERT INTO api_datarevision (scope, value) SELECT 0, 1 UNION ALL "
                "SELECT id, 1 FROM register_organisation WHERE true "
                "ON CONFLICT (scope) DO UPDATE SET value = api_datarevision.value + 1"
            )
