"""Revision counters of the register's data, bumped by database triggers (ADR 0125).

``api_datarevision`` holds one counter per organisation (``scope`` = the organisation's id)
and one for the shared catalogue (``scope`` = 0). Every insert, update and delete of a
register table, of its many-to-many tables and of the local fact overrides adds one to the
counter of the organisation the row belongs to (or of the catalogue), in the same transaction
as the write, whoever writes: the services, bulk imports, raw SQL. Cached representations are
keyed by these counters (:mod:`regie.api.revision`).

The tables are listed here, not taken from the models, so that this migration stays what it
was; ``tests/api/test_revision.py`` fails when a register table has no trigger.
"""

from django.db import migrations, models

T = "api_datarevision"

# Shared catalogue: every write bumps scope 0.
CATALOGUE = (
    "register_country",
    "register_law",
    "register_gemmaelement",
    "register_legalentity",
    "register_legalentityancestor",
    "register_product",
    "register_product_reference_components",
    "register_product_standards",
    "register_service",
    "register_servicelocation",
    "register_servicedependency",
    "register_alternative",
    "register_alternative_replaces_products",
    "register_alternative_replaces_components",
    "register_provenance",
)
# Organisation rows: table -> the column holding the organisation's id.
OWNED = {
    "register_organisation": "id",
    "register_organisation_trusted_countries": "organisation_id",
    "register_organisation_joint_arrangements": "from_organisation_id",
    "register_process": "organisation_id",
    "register_usage": "organisation_id",
    "register_redundancygroup": "organisation_id",
    "register_dependency": "organisation_id",
    "register_dataset": "organisation_id",
    "register_contract": "organisation_id",
    "register_exitplan": "organisation_id",
    "reference_factoverride": "organisation_id",
}
# Rows of an organisation's row: table -> (foreign key column, parent table with organisation_id).
CHILDREN = {
    "register_contractclause": ("contract_id", "register_contract"),
    "register_contract_usages": ("contract_id", "register_contract"),
    "register_contract_services": ("contract_id", "register_contract"),
    "register_exitplanstep": ("plan_id", "register_exitplan"),
}

# SQLite (development, tests): the counter plus one.
UPSERT = f"INSERT INTO {T} (scope, value) {{rows}} ON CONFLICT (scope) DO UPDATE SET value = {T}.value + 1;"
# PostgreSQL: the next value of a sequence, which a rollback does not give back, so that a
# value seen inside a transaction that was rolled back is never the value of other data.
SEQUENCE = "api_datarevision_seq"
PG_UPSERT = (
    f"INSERT INTO {T} (scope, value) {{rows}} ON CONFLICT (scope) DO UPDATE SET value = EXCLUDED.value;"
)
NEXT = f"nextval('{SEQUENCE}')"


def _sqlite_rows(row: str, table: str) -> str:
    if table in CATALOGUE:
        return "SELECT 0, 1 WHERE true"
    if table in OWNED:
        return f"SELECT {row}.{OWNED[table]}, 1 WHERE {row}.{OWNED[table]} IS NOT NULL"
    fk, parent = CHILDREN[table]
    return f"SELECT p.organisation_id, 1 FROM {parent} p WHERE p.id = {row}.{fk}"  # noqa: S608 (our table names)


def _sqlite() -> tuple[list[str], list[str]]:
    forward, reverse = [], []
    for table in (*CATALOGUE, *OWNED, *CHILDREN):
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            name = f"regie_revision_{table}_{event.lower()}"
            body = " ".join(UPSERT.format(rows=_sqlite_rows(row, table)) for row in rows)
            forward.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END;")
            reverse.append(f"DROP TRIGGER IF EXISTS {name};")
    return forward, reverse


POSTGRES_FUNCTIONS = [
    f"CREATE SEQUENCE {SEQUENCE};",
    f"""
    CREATE FUNCTION regie_revision_catalogue() RETURNS trigger AS $$
    BEGIN
      {PG_UPSERT.format(rows=f"VALUES (0, {NEXT})")}
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE FUNCTION regie_revision_owned() RETURNS trigger AS $$
    DECLARE
      old_scope bigint;
      new_scope bigint;
    BEGIN
      IF TG_OP <> 'INSERT' THEN old_scope := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint; END IF;
      IF TG_OP <> 'DELETE' THEN new_scope := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint; END IF;
      IF old_scope IS NOT NULL THEN {PG_UPSERT.format(rows=f"VALUES (old_scope, {NEXT})")} END IF;
      IF new_scope IS NOT NULL AND new_scope IS DISTINCT FROM old_scope THEN
        {PG_UPSERT.format(rows=f"VALUES (new_scope, {NEXT})")}
      END IF;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE FUNCTION regie_revision_child() RETURNS trigger AS $$
    DECLARE
      parent_ids bigint[] := ARRAY[]::bigint[];
    BEGIN
      IF TG_OP <> 'INSERT' THEN parent_ids := parent_ids || (to_jsonb(OLD) ->> TG_ARGV[0])::bigint; END IF;
      IF TG_OP <> 'DELETE' THEN parent_ids := parent_ids || (to_jsonb(NEW) ->> TG_ARGV[0])::bigint; END IF;
      EXECUTE format(
        'INSERT INTO {T} (scope, value) SELECT organisation_id, {NEXT.replace("'", "''")} '
        'FROM (SELECT DISTINCT organisation_id FROM %I WHERE id = ANY($1) AND organisation_id IS NOT NULL) p '
        'ON CONFLICT (scope) DO UPDATE SET value = EXCLUDED.value', TG_ARGV[1]
      ) USING parent_ids;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,  # noqa: S608 (our table names)
]


def _postgres() -> tuple[list[str], list[str]]:
    forward = list(POSTGRES_FUNCTIONS)
    reverse = []
    for table in CATALOGUE:  # one bump per statement: bulk writes of the catalogue stay cheap
        forward.append(
            f"CREATE TRIGGER regie_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION regie_revision_catalogue();"
        )
        reverse.append(f"DROP TRIGGER IF EXISTS regie_revision ON {table};")
    for table, column in OWNED.items():
        forward.append(
            f"CREATE TRIGGER regie_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION regie_revision_owned('{column}');"
        )
        reverse.append(f"DROP TRIGGER IF EXISTS regie_revision ON {table};")
    for table, (fk, parent) in CHILDREN.items():
        forward.append(
            f"CREATE TRIGGER regie_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION regie_revision_child('{fk}', '{parent}');"
        )
        reverse.append(f"DROP TRIGGER IF EXISTS regie_revision ON {table};")
    reverse += [
        "DROP FUNCTION IF EXISTS regie_revision_catalogue();",
        "DROP FUNCTION IF EXISTS regie_revision_owned();",
        "DROP FUNCTION IF EXISTS regie_revision_child();",
        f"DROP SEQUENCE IF EXISTS {SEQUENCE};",
    ]
    return forward, reverse


def _run(schema_editor: object, forward: bool) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    statements = (_postgres() if connection.vendor == "postgresql" else _sqlite())[0 if forward else 1]
    with connection.cursor() as cursor:  # without parameters: '%I' in format() stays as written
        for sql in statements:
            cursor.execute(sql)


def forwards(apps: object, schema_editor: object) -> None:
    _run(schema_editor, forward=True)


def backwards(apps: object, schema_editor: object) -> None:
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("register", "0005_dependency_organisation_id_index"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataRevision",
            fields=[
                ("scope", models.BigIntegerField(primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
