"""Admin for the functional administrator: the shared vocabulary, never case content."""

from django.contrib import admin

from buurtkracht.core.models import Area, Municipality, Organisation, PostcodeRange, Team


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ("name", "cbs_code")
    search_fields = ("name", "cbs_code")


class PostcodeRangeInline(admin.TabularInline[PostcodeRange, Area]):
    model = PostcodeRange
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ("name", "cbs_code", "kind", "parent", "inhabitants")
    list_filter = ("kind", "municipality")
    search_fields = ("name", "cbs_code")
    list_select_related = ("parent",)
    inlines = (PostcodeRangeInline,)


@admin.register(PostcodeRange)
class PostcodeRangeAdmin(admin.ModelAdmin[PostcodeRange]):
    list_display = ("postcode_from", "postcode_to", "number_from", "number_to", "neighbourhood")
    search_fields = ("postcode_from", "postcode_to", "neighbourhood__name")
    list_select_related = ("neighbourhood",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "municipality")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "organisation", "members_may_assign")
    search_fields = ("name",)
    filter_horizontal = ("neighbourhoods",)
    list_select_related = ("organisation",)
