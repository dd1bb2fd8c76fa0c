"""Anchoring the audit log (docs/operations.md, "Anchors"):

- retention checkpoints carry a signature made with the anchor key, which lives outside
  the database, so a checkpoint made by hand is reported;
- on PostgreSQL a statement trigger refuses TRUNCATE on the audit tables. Only a database
  its owner marked as disposable lets TRUNCATE through (the test suite's flush):
  `ALTER DATABASE <name> SET buurtkracht.disposable = 'on'`. That mark is a database
  setting, which only the database's owner or a superuser can make; a session's own
  `SET buurtkracht.disposable` does not count."""

from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION buurtkracht_audit_no_truncate() RETURNS trigger
SET search_path = pg_catalog AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database() AND s.setrole = 0
          AND 'buurtkracht.disposable=on' = ANY (s.setconfig)
    ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: TRUNCATE on % is refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TABLES = ("audit_auditevent", "audit_auditsubject", "audit_auditcheckpoint")

TRIGGERS = [
    f"""
    CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION buurtkracht_audit_no_truncate();
    """
    for table in TABLES
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
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};", None)
    schema_editor.execute("DROP FUNCTION IF EXISTS buurtkracht_audit_no_truncate();", None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_prune_only_old_entries")]
    operations = [
        migrations.AddField(
            model_name="auditcheckpoint",
            name="signature",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="signature"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
