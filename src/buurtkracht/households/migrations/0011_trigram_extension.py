"""pg_trgm for the search box (docs/search.md): names found with a typo on PostgreSQL.

`TrigramExtension` does nothing on another database (Django's CreateExtension returns at
once unless `schema_editor.connection.vendor` is "postgresql"), so SQLite, where the
search folds and matches word starts instead, migrates past it. No index: the search runs
within the households a user may read (a subquery of households.visibility), never over
every resident."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("households", "0010_outside_professional")]

    operations = [TrigramExtension()]
