"""Form helpers every app shares: the date formats people type, and a service's errors
put back on the form next to what the user typed (DESIGN.md: errors are for people)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# Dutch first (31-01-2027), then ISO (2027-01-31, what <input type="date"> sends).
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form, on the field they name where the form has it,
    so the page shows them next to what the user typed."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
