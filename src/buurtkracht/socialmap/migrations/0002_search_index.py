"""The GIN index on the Dutch search vector. PostgreSQL only: on SQLite the search falls
back to folded text (see socialmap.search), so there is nothing to index there."""

from django.db import migrations

INDEX = "socialmap_resource_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON socialmap_resource USING gin (search_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
