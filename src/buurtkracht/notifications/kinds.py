"""The kinds of notification, each with its label and the channel a user gets until they
choose another (docs/notifications.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    HOUSEHOLD_ASSIGNED = "household_assigned", _("A household assigned to me")
    INTAKE_NEW = "intake_new", _("A new intake for my team")
    ACTION_DUE = "action_due", _("An action is due")
    REVIEW_DUE = "review_due", _("A review is due")
    AFTERCARE_DUE = "aftercare_due", _("An aftercare check is due")
    REFERRAL_OVERDUE = "referral_overdue", _("A referral check is overdue")
    REFERRAL_DROPPED_OUT = "referral_dropped_out", _("A referral dropped out")
    VISIT_FLAGGED = "visit_flagged", _("A volunteer flagged a visit")
    EMERGENCY_ACCESS = "emergency_access", _("An emergency access to review")
    PROPOSAL = "proposal", _("A proposal to moderate")
    APPOINTMENT_TOMORROW = "appointment_tomorrow", _("An appointment tomorrow")
    DATA_REQUEST = "data_request", _("A request about personal data")
    CONFERENCE_SCHEDULED = "conference_scheduled", _("A case conference I take part in")
    CONSENT_CHANGED = "consent_changed", _("A resident changed a consent online")
    PLAN_PROPOSAL = "plan_proposal", _("A resident proposed something in their plan")
    MESSAGE_WAITING = "message_waiting", _("A message waits for me")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the list only")
    EMAIL = "email", _("In the list and by e-mail at once")
    DIGEST = "digest", _("In the list and in a daily e-mail")
    OFF = "off", _("Not at all")


# What a user gets until they choose: the urgent kinds at once, the rest once a day.
DEFAULT_CHANNEL: dict[str, str] = {
    Kind.HOUSEHOLD_ASSIGNED: Channel.EMAIL,
    Kind.INTAKE_NEW: Channel.DIGEST,
    Kind.ACTION_DUE: Channel.DIGEST,
    Kind.REVIEW_DUE: Channel.DIGEST,
    Kind.AFTERCARE_DUE: Channel.DIGEST,
    Kind.REFERRAL_OVERDUE: Channel.DIGEST,
    Kind.REFERRAL_DROPPED_OUT: Channel.DIGEST,
    Kind.VISIT_FLAGGED: Channel.EMAIL,
    Kind.EMERGENCY_ACCESS: Channel.EMAIL,
    Kind.PROPOSAL: Channel.DIGEST,
    Kind.APPOINTMENT_TOMORROW: Channel.DIGEST,
    # A legal deadline of one month: told at once.
    Kind.DATA_REQUEST: Channel.EMAIL,
    Kind.CONFERENCE_SCHEDULED: Channel.EMAIL,
    # A withdrawal means: stop sharing now.
    Kind.CONSENT_CHANGED: Channel.EMAIL,
    Kind.PLAN_PROPOSAL: Channel.DIGEST,
    # Only that a message waits: its text stays on the site.
    Kind.MESSAGE_WAITING: Channel.EMAIL,
}
