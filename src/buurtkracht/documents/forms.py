from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.filetypes import Examined, examine
from buurtkracht.core.forms import DATE_FORMATS
from buurtkracht.documents.models import Document

ACCEPT = ",".join(
    [
        ".pdf",
        ".jpg",
        ".jpeg",
        ".png",
        ".heic",
        ".heif",
        ".webp",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        "application/pdf",
        "image/*",
    ]
)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Choose the file to add."),
            "empty": _("The file is empty. Choose another file."),
            "invalid": _("Choose the file to add."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What it is, for example “Letter from the landlord about rent arrears”."),
        error_messages={"required": _("Give the document a title.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of document it is.")},
    )
    dated = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Date of the document"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("The date on the letter or overview, for example 3-11-2026."),
        error_messages={"invalid": _("Write the date as day-month-year, for example 3-11-2026.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, a photo (JPEG, PNG, HEIC) or an office document (Word, Excel, "
            "OpenDocument), at most %(mb)s MB."
        ) % {"mb": settings.DOCUMENTS_MAX_MB}

    def clean_file(self) -> Examined:
        """The file's content decides what it is; its name and the browser's type are
        only what the sender says (core.filetypes)."""
        upload: UploadedFile = self.cleaned_data["file"]
        return examine(upload)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why remove it?"),
        max_length=500,
        help_text=_("For example: added to the wrong file. The reason goes into the access log."),
        error_messages={"required": _("Write why the document is removed.")},
    )
