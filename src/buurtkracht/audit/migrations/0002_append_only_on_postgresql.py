"""On PostgreSQL the database itself refuses to change or delete audit entries, so that
not even a bug or a hand-typed SQL statement through the application's account can
rewrite history. (TRUNCATE stays possible for the test suite's flush; production grants
the application no TRUNCATE on these tables — see docs/operations.md.)"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION buurtkracht_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = [
    f"""
    CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION buurtkracht_audit_append_only();
    """
    for table in ("audit_auditevent", "audit_auditsubject")
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_auditsubject_append_only ON audit_auditsubject;",
    "DROP FUNCTION IF EXISTS buurtkracht_audit_append_only();",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for statement in TRIGGERS:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
