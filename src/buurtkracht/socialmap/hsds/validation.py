"""Validating against the official HSDS schema files in schema/."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing import Resource as SchemaResource

SCHEMA_DIR = Path(__file__).parent / "schema"
# -- schema -------------------------------------------------------------------------


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (path.name, SchemaResource.from_contents(contents, default_specification=_spec()))
        )
    return Registry().with_resources(resources)


def _spec() -> Any:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one HSDS object (`organization`, `service`, ...). References between
    the schema files resolve within `schema/`."""
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=_registry())


def schema_errors(name: str, instance: Any) -> list[str]:
    """The schema errors of one object, each with where it is ("service_at_locations/0/id")."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or name}: {error.message}"
        for error in errors
    ]


def document_errors(document: dict[str, Any]) -> list[str]:
    """Every schema error of a whole exchange document."""
    problems: list[str] = []
    for key, name in (("organizations", "organization"), ("services", "service")):
        for index, item in enumerate(document.get(key, [])):
            problems += [f"{key}[{index}] {message}" for message in schema_errors(name, item)]
    return problems
