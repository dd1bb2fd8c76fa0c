"""Render form widgets in NL Design System markup, with the ARIA links that make errors
and help texts readable by screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.utils.safestring import SafeString

register = template.Library()

# Widgets whose label never says "optional": a lone checkbox is a yes/no question, and a
# hidden field has no label.
_NEVER_MARKED = {"checkbox"}


@register.filter
def bk_optional(field: BoundField) -> bool:
    """Whether the label says "(optional)": only when the form lets the field stay empty.

    Django's `required` is not the whole truth: a field may be one of two where either will
    do (a name or an address), or be checked by the form's `clean()`, its service or a
    parser. Such a form lists the field in `required_elsewhere`, so its label does not tell
    the user it may be left out and then refuse the form for leaving it out."""
    if field.is_hidden or field.widget_type in _NEVER_MARKED:
        return False
    if field.field.required:
        return False
    return field.name not in getattr(field.form, "required_elsewhere", ())


_CLASSES = {
    "textarea": "utrecht-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "radioselect": "utrecht-radio-button utrecht-radio-button--html-input",
}


@register.simple_tag
def bk_widget(field: BoundField, autocomplete: str = "") -> SafeString:
    kind = field.widget_type
    css = _CLASSES.get(kind, "utrecht-textbox utrecht-textbox--html-input")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-help")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        css += f" {css.split()[0]}--invalid"
    attrs: dict[str, str | bool] = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return field.as_widget(attrs=attrs)


@dataclass(frozen=True)
class SummaryError:
    message: str
    target: str  # the id of the input to jump to; "" for an error about the whole form
    name: str = ""  # the input's name, for a page that gives its inputs ids of its own


def _forms_in(value: Any, depth: int = 0) -> list[BaseForm]:
    # Pages pass a form, or a list of (object, form) pairs: one form under each goal, one
    # per row set aside.
    if isinstance(value, BaseForm):
        return [value]
    if depth < 2 and isinstance(value, list | tuple):
        return [form for item in value for form in _forms_in(item, depth + 1)]
    return []


def _target(field: BoundField) -> str:
    if field.is_hidden:
        return ""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return f"{field.auto_id}_0" if field.auto_id else ""  # the first choice
    return field.id_for_label or ""


@register.simple_tag(takes_context=True)
def bk_error_summary(context: template.Context) -> list[SummaryError]:
    """Every error of every refused form on the page, in the order of its fields, for the
    error summary at the top (components/error_summary.html). On a phone the field in
    trouble can be screens below the top of the reloaded page. A form class that is its
    own summary says `error_summary = False`."""
    errors: list[SummaryError] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        for form in _forms_in(value):
            if id(form) in seen or not getattr(form, "error_summary", True):
                continue
            if not form.is_bound or not form.errors:
                continue
            seen.add(id(form))
            errors += [SummaryError(str(m), "") for m in form.non_field_errors()]
            for field in form:
                errors += [
                    SummaryError(str(m), _target(field), field.html_name) for m in field.errors
                ]
    return errors
