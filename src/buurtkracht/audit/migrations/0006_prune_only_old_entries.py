"""Tighten the append-only guard on PostgreSQL (security review):

- DELETE passes only inside the retention command's transaction AND only for entries
  older than five years (the legal minimum), so setting the flag by hand cannot remove
  recent entries;
- retention checkpoints are append-only too, so a fake checkpoint cannot be slipped in
  front of a removed stretch, and may only name a cutoff at least five years back."""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION buurtkracht_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('buurtkracht.audit_prune', true) = 'on'
       AND OLD.occurred_at < now() - interval '5 years' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION buurtkracht_audit_subject_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('buurtkracht.audit_prune', true) = 'on'
       AND (SELECT occurred_at FROM audit_auditevent WHERE id = OLD.event_id)
           < now() - interval '5 years' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION buurtkracht_audit_checkpoint_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.cutoff <= now() - interval '5 years' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Audit checkpoints are append-only and name a cutoff of five years or more: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_auditsubject_append_only ON audit_auditsubject;
CREATE TRIGGER audit_auditsubject_append_only
    BEFORE UPDATE OR DELETE ON audit_auditsubject
    FOR EACH ROW EXECUTE FUNCTION buurtkracht_audit_subject_append_only();

CREATE TRIGGER audit_auditcheckpoint_guard
    BEFORE INSERT OR UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION buurtkracht_audit_checkpoint_guard();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS audit_auditcheckpoint_guard ON audit_auditcheckpoint;
DROP TRIGGER IF EXISTS audit_auditsubject_append_only ON audit_auditsubject;
CREATE TRIGGER audit_auditsubject_append_only
    BEFORE UPDATE OR DELETE ON audit_auditsubject
    FOR EACH ROW EXECUTE FUNCTION buurtkracht_audit_append_only();
DROP FUNCTION IF EXISTS buurtkracht_audit_checkpoint_guard();
DROP FUNCTION IF EXISTS buurtkracht_audit_subject_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_prune_allowed_on_postgresql")]
    operations = [migrations.RunPython(forwards, backwards)]
