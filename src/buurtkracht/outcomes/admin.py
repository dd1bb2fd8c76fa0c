"""Admin for the functional administrator: instrument definitions only. Assessments are
resident data and are never registered here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from buurtkracht.outcomes.models import Instrument, InstrumentVersion


class InstrumentVersionInline(admin.TabularInline[InstrumentVersion, Instrument]):
    model = InstrumentVersion
    extra = 0
    fields = ("number", "active", "created_at")
    readonly_fields = ("number", "created_at")
    can_delete = False
    show_change_link = True


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    inlines = (InstrumentVersionInline,)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin[InstrumentVersion]):
    """A definition in use is never edited: past assessments must read as they did on the
    day. Change an instrument by adding a new version (copy the items and the scale)."""

    list_display = ("instrument", "number", "active", "created_at")
    list_filter = ("instrument", "active")
    list_select_related = ("instrument",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.assessments.exists():
            return ("instrument", "number", "items", "scale", "created_at")
        return ("created_at",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.assessments.exists():
            return False
        return super().has_delete_permission(request, obj)
