"""The partners that deliver signals, and the municipality's outreach settings and rules."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from buurtkracht.core.models import Municipality, Organisation
from buurtkracht.signals.models import (
    OutreachSettings,
    PartnerKind,
    PriorityRule,
)

# The partner kinds of organisations that must deliver signals (Wgs), and their signal kind.
PARTNER_KIND_OF_ORGANISATION = {
    Organisation.Kind.HOUSING_CORPORATION: PartnerKind.HOUSING,
    Organisation.Kind.ENERGY_SUPPLIER: PartnerKind.ENERGY,
    Organisation.Kind.WATER_COMPANY: PartnerKind.WATER,
    Organisation.Kind.HEALTH_INSURER: PartnerKind.HEALTH_INSURER,
}

# The rule set a municipality starts with; the functional admin adjusts it (Beheer).
DEFAULT_RULES: tuple[tuple[str, Decimal | None, int], ...] = (
    (PriorityRule.Condition.END_OF_SUPPLY_WITHIN, Decimal(30), 4),
    (PriorityRule.Condition.HOUSING_PARTNER, None, 3),
    (PriorityRule.Condition.SEVERAL_PARTNERS, None, 3),
    (PriorityRule.Condition.AMOUNT_AT_LEAST, Decimal(1000), 2),
    (PriorityRule.Condition.TERMS_AT_LEAST, Decimal(3), 2),
    (PriorityRule.Condition.CONSECUTIVE, None, 2),
    (PriorityRule.Condition.CHILDREN, None, 2),
    (PriorityRule.Condition.OPEN_FILE, None, 1),
)


def outreach_settings(municipality: Municipality | None = None) -> OutreachSettings:
    """The municipality's outreach settings, made with the default rules the first time."""
    municipality = municipality or Municipality.objects.order_by("pk").first()
    if municipality is None:
        raise ValidationError(_("Set up the municipality first."))
    settings, created = OutreachSettings.objects.get_or_create(municipality=municipality)
    if created:
        priority_rules_create_default(settings=settings)
    return settings


def priority_rules_create_default(*, settings: OutreachSettings) -> None:
    """Give new outreach settings the rule set a municipality starts with."""
    PriorityRule.objects.bulk_create(
        PriorityRule(settings=settings, condition=c, threshold=t, points=p)
        for c, t, p in DEFAULT_RULES
    )


def partner_kind_for(organisation: Organisation) -> str:
    """The signal kind of a partner organisation; refuses organisations that are none."""
    kind = PARTNER_KIND_OF_ORGANISATION.get(organisation.kind)  # type: ignore[call-overload]
    if kind is None:
        raise PermissionDenied(
            _(
                "%(organisation)s is not registered as a partner that delivers signals "
                "(housing corporation, energy supplier, water company or health insurer)."
            )
            % {"organisation": organisation}
        )
    return str(kind)
