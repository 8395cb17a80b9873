"""Refuse UPDATE and DELETE of audit entries in the database itself.

Row-level triggers stop every application code path and every SQL client that edits or deletes
entries. TRUNCATE is left to the database owner (it is how test databases are emptied).
"""

from django.db import migrations

TABLE = "audit_auditentry"

SQLITE_FORWARD = [
    f"CREATE TRIGGER auditentry_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    f"CREATE TRIGGER auditentry_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS auditentry_no_update;",
    "DROP TRIGGER IF EXISTS auditentry_no_delete;",
]
POSTGRES_FORWARD = [
    """
    CREATE FUNCTION regie_audit_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'the audit trail is append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"CREATE TRIGGER auditentry_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION regie_audit_append_only();",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS auditentry_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS regie_audit_append_only();",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def reverse(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
