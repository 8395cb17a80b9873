"""Maintain the control-chain closure (LegalEntityAncestor) with database triggers.

The closure table's check constraint forbids an entity being its own ancestor, so a parent
that would close a cycle makes the trigger's insert fail and the whole update is refused,
whichever client wrote it. The same SQL statements serve SQLite and PostgreSQL.
"""

from django.db import migrations

T = "register_legalentityancestor"
E = "register_legalentity"

INSERT_LINKS = f"""
    INSERT INTO {T} (descendant_id, ancestor_id, depth)
    SELECT sub.descendant_id, sup.ancestor_id, sub.depth + sup.depth + 1
    FROM (SELECT NEW.id AS descendant_id, 0 AS depth
          UNION ALL SELECT descendant_id, depth FROM {T} WHERE ancestor_id = NEW.id) AS sub
    CROSS JOIN (SELECT NEW.parent_id AS ancestor_id, 0 AS depth
          UNION ALL SELECT ancestor_id, depth FROM {T} WHERE descendant_id = NEW.parent_id) AS sup
    WHERE NEW.parent_id IS NOT NULL;
"""

DETACH = f"""
    DELETE FROM {T}
    WHERE ancestor_id IN (SELECT ancestor_id FROM {T} WHERE descendant_id = OLD.id)
      AND (descendant_id = OLD.id
           OR descendant_id IN (SELECT descendant_id FROM {T} WHERE ancestor_id = OLD.id));
"""

SQLITE_FORWARD = [
    f"CREATE TRIGGER legalentity_chain_insert AFTER INSERT ON {E} WHEN NEW.parent_id IS NOT NULL "
    f"BEGIN {INSERT_LINKS} END;",
    f"CREATE TRIGGER legalentity_chain_update AFTER UPDATE OF parent_id ON {E} "
    f"WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN {DETACH} {INSERT_LINKS} END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS legalentity_chain_insert;",
    "DROP TRIGGER IF EXISTS legalentity_chain_update;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION regie_legalentity_chain() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF OLD.parent_id IS NOT DISTINCT FROM NEW.parent_id THEN RETURN NEW; END IF;
        {DETACH}
      END IF;
      {INSERT_LINKS}
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"CREATE TRIGGER legalentity_chain AFTER INSERT OR UPDATE OF parent_id ON {E} "
    "FOR EACH ROW EXECUTE FUNCTION regie_legalentity_chain();",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS legalentity_chain ON {E};",
    "DROP FUNCTION IF EXISTS regie_legalentity_chain();",
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
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
