"""On PostgreSQL the audit table itself refuses UPDATE and DELETE: a trigger raises, whoever runs the statement
(the application, a shell, a script with the application's credentials). SQLite (the demo, one centre) keeps
the application-level guard of AuditEvent only.

No TRUNCATE trigger: Django's `flush` (run between the serial and browser tests, and by `tirek flush`)
truncates every table, and a refused TRUNCATE would break it. TRUNCATE is a privilege of its own: the
production database role should not hold it on this table (docs/deploy.md). A DROP (pg_restore --clean in
`tirek restore`) removes the trigger with the table and the restore creates both again.
"""

from django.db import migrations

FUNCTION = "tirek_audit_event_append_only"
TRIGGER = "audit_event_append_only"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """,
        params=None,  # the % of RAISE are the function's, not query parameters
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_security_actions"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
