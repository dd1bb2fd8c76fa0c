"""Inserting many rows at once, for imports of a whole register (docs/register.md).

On PostgreSQL rows go in through COPY, without building a model instance per row; ids,
when asked for, are taken from the table's sequence first. Elsewhere (SQLite, in tests
and development) `bulk_create` does the same. Fields not given get their default (or the
current time for `auto_now_add`), as `Model.save` would give them; no `save()` or signal
runs, so use this only for models whose `save` adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _filled(model: type[models.Model], fields: Sequence[str]) -> tuple[list[str], list[Any]]:
    """The other concrete fields and the value each gets."""
    names: list[str] = []
    values: list[Any] = []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in fields:
            continue
        names.append(field.attname)
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            values.append(now)
        else:
            values.append(field.get_default())
    return names, values


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning_ids: bool = False,
) -> list[int]:
    """Insert `rows` (values in the order of `fields`, attnames such as `person_id`).
    Returns the new ids in the order of the rows when `returning_ids`, else []."""
    if not rows:
        return []
    others, constants = _filled(model, fields)
    if connection.vendor != "postgresql":
        objects = [
            model(
                **dict(zip(fields, row, strict=True)), **dict(zip(others, constants, strict=True))
            )
            for row in rows
        ]
        made = model._default_manager.bulk_create(objects, batch_size=2000)
        return [obj.pk for obj in made] if returning_ids else []
    meta = model._meta
    by_attname = {f.attname: str(f.column) for f in meta.concrete_fields}
    columns = [by_attname[name] for name in (*fields, *others)]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning_ids:
            assert meta.pk is not None
            pk_column = str(meta.pk.column)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk_column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            columns.insert(0, pk_column)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({quoted}) FROM STDIN"
        tail = tuple(constants)
        # COPY goes to psycopg itself, past Django's cursor wrapper: its errors are
        # translated here, so that a lost connection is Django's OperationalError to the
        # caller (the background jobs queue such a run again instead of failing it).
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
            if returning_ids:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row, *tail))
            else:
                for row in rows:
                    copy.write_row((*row, *tail))
    return ids


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Set `fields` (attnames) on the rows `(pk, *values)`. On PostgreSQL the values go
    through COPY into a temporary table and one UPDATE joins it; `bulk_update` (used
    elsewhere) builds a CASE per row and field, which costs seconds at tens of thousands."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = [model(pk=row[0], **dict(zip(fields, row[1:], strict=True))) for row in rows]
        model._default_manager.bulk_update(objects, fields, batch_size=250)
        return
    meta = model._meta
    assert meta.pk is not None
    quote = connection.ops.quote_name
    by_attname = {f.attname: str(f.column) for f in meta.concrete_fields}
    pk = quote(str(meta.pk.column))
    columns = [quote(by_attname[name]) for name in fields]
    table = quote(meta.db_table)
    scratch = quote(f"_update_{meta.db_table}")
    # Only quoted table and column names of the model go into the statements; the values
    # go through COPY.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        create = f"CREATE TEMPORARY TABLE {scratch} AS SELECT {pk}, {', '.join(columns)} "
        cursor.execute(create + f"FROM {table} WITH NO DATA")
        with (
            connection.wrap_database_errors,  # as in insert_rows
            cursor.cursor.copy(f"COPY {scratch} ({pk}, {', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{c} = u.{c}" for c in columns)
        update = f"UPDATE {table} AS t SET {assignments} FROM {scratch} AS u "  # noqa: S608
        cursor.execute(update + f"WHERE t.{pk} = u.{pk}")
        cursor.execute(f"DROP TABLE {scratch}")
