"""Render form widgets in NL Design System markup, with the ARIA links that make errors
and help texts readable by screen readers."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

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
