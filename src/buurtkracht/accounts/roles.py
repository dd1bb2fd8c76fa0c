"""Django groups that carry the model permissions of a role in the admin.

Only the functional administrator works in the Django admin. They configure the shared
vocabulary (areas, postcode table, organisations, teams, accounts) and see no case
content: no permission on households or persons is ever given to this group.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

FUNCTIONAL_ADMIN_GROUP = "Functioneel beheer"

FUNCTIONAL_ADMIN_MODELS: dict[str, tuple[str, ...]] = {
    "core": ("municipality", "area", "postcoderange", "organisation", "team"),
    "accounts": ("user", "rolegrant", "teammembership"),
    # Partner API tokens and the outreach settings (targets, priority rules, retention,
    # cost amounts): configuration, no resident data.
    "signals": ("apitoken", "outreachsettings", "priorityrule"),
    # Instruments and their versions: definitions, no resident data (assessments are).
    "outcomes": ("instrument", "instrumentversion"),
    # Resident budgets and their decision routes: configuration, no resident data.
    "initiatives": ("budget", "routestep"),
    # Mandates partner organisations delegate: configuration; the decisions under them
    # are resident data and are not here.
    "mandates": ("mandate",),
}


def sync_role_groups(**kwargs: Any) -> None:
    """Create or update the groups after every migrate, so a new model's rights follow."""
    group, _ = Group.objects.get_or_create(name=FUNCTIONAL_ADMIN_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label__in=FUNCTIONAL_ADMIN_MODELS.keys()
    ).select_related("content_type")
    allowed = [
        permission
        for permission in permissions
        if permission.content_type.model
        in FUNCTIONAL_ADMIN_MODELS.get(permission.content_type.app_label, ())
    ]
    group.permissions.set(allowed)
