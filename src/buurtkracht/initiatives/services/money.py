"""Money and results: funders' shares, the payment, the report back, budget overviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Organisation
from buurtkracht.initiatives.models import (
    Budget,
    Funding,
    Initiative,
    Report,
    ReportPhoto,
)
from buurtkracht.initiatives.photos import MAX_PHOTOS, photo_clean
from buurtkracht.initiatives.services.proposals import CENT, HUNDRED
from buurtkracht.initiatives.services.route import _staff

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

# --- money and results ----------------------------------------------------------------


@dataclass
class FundingShare:
    percent: Decimal
    organisation: Organisation | None = None
    name: str = ""


@transaction.atomic
def funding_set(
    *,
    initiative: Initiative,
    shares: list[FundingShare],
    user: User,
    request: HttpRequest | None = None,
) -> list[Funding]:
    """Record who pays which share of the approved amount. The shares add up to 100%;
    the amounts follow from them (the last funder takes the rounding cent)."""
    _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status != Initiative.Status.APPROVED or initiative.approved_amount is None:
        raise ValidationError(_("Funders can be recorded once the initiative is approved."))
    shares = [s for s in shares if s.percent or s.organisation or s.name.strip()]
    if not shares:
        raise ValidationError(_("Name at least one funder with its share."))
    for share in shares:
        if share.organisation is None and not share.name.strip():
            raise ValidationError(_("Name every funder: choose an organisation or type a name."))
        if share.percent <= 0 or share.percent > HUNDRED:
            raise ValidationError(_("Every share is more than 0% and at most 100%."))
    total = sum((s.percent for s in shares), Decimal("0"))
    if total != HUNDRED:
        raise ValidationError(
            _("The shares add up to %(total)s%%; together they must be 100%%.")
            % {"total": f"{total.normalize():f}".replace(".", ",")}
        )
    initiative.fundings.all().delete()
    amount = initiative.approved_amount
    made: list[Funding] = []
    rest = amount
    for index, share in enumerate(shares):
        part = (
            rest
            if index == len(shares) - 1
            else (amount * share.percent / HUNDRED).quantize(CENT, ROUND_HALF_UP)
        )
        rest -= part
        made.append(
            Funding.objects.create(
                initiative=initiative,
                organisation=share.organisation,
                funder_name=share.name.strip()
                or (share.organisation.name if share.organisation else ""),
                share_percent=share.percent,
                amount=part,
            )
        )
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=initiative,
        ground=Ground.ROLE,
        details={"funding": [[f.funder_name, str(f.share_percent)] for f in made]},
    )
    return made


@transaction.atomic
def initiative_mark_paid(
    *,
    initiative: Initiative,
    paid_on: dt.date | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> Initiative:
    """The money is paid: the initiative runs."""
    _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status != Initiative.Status.APPROVED:
        raise ValidationError(_("Only an approved initiative can be paid."))
    if not initiative.fundings.exists():
        raise ValidationError(_("Record the funders first."))
    initiative.paid_on = paid_on or timezone.localdate()
    initiative.status = Initiative.Status.RUNNING
    initiative.save(update_fields=["paid_on", "status", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=initiative,
        ground=Ground.ROLE,
        details={"status": initiative.status},
    )
    return initiative


@transaction.atomic
def report_create(
    *,
    initiative: Initiative,
    story: str,
    attendance: int | None,
    photos: list[tuple[UploadedFile, str]] | None = None,
    photos_agreed: bool = False,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> Report:
    """The report back afterwards: a short story, how many people took part and up to
    three photos, each with a description (its alternative text). The initiators write it
    through their link, or a community worker for them. Photos are public, so whoever
    sends them confirms that the people recognisable in them agreed."""
    if user is not None:
        _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status not in (Initiative.Status.APPROVED, Initiative.Status.RUNNING):
        raise ValidationError(_("You can tell how it went once the initiative is approved."))
    errors: dict[str, str] = {}
    if not story.strip():
        errors["story"] = _("Tell in a few sentences how it went.")
    if attendance is None or attendance < 0:
        errors["attendance"] = _("Give about how many people took part, for example 12.")
    clean_photos: list[tuple[ContentFile[bytes], str]] = []
    for number, (upload, description) in enumerate((photos or [])[:MAX_PHOTOS], start=1):
        try:
            clean_photos.append((photo_clean(upload), description.strip()))
        except ValidationError as error:
            errors[f"photo_{number}"] = " ".join(error.messages)
        if not description.strip():
            errors[f"description_{number}"] = _(
                "Say in a few words what the photo shows, for people who cannot see it."
            )
    if photos and not photos_agreed:
        errors["photos_agreed"] = _(
            "Photos appear on a public page. Tick that the people recognisable in them "
            "agreed, or leave the photos out."
        )
    if errors:
        raise ValidationError(errors)
    assert attendance is not None
    report = Report.objects.create(
        initiative=initiative, story=story.strip(), attendance=attendance
    )
    for content, description in clean_photos:
        photo = ReportPhoto(report=report, description=description)
        photo.image.save(content.name or "photo.jpg", content, save=False)
        photo.save()
    initiative.status = Initiative.Status.REPORTED
    initiative.save(update_fields=["status", "updated_at"])
    if user is not None:
        audit_record(
            action=AuditAction.CREATE, user=user, request=request, obj=report, ground=Ground.ROLE
        )
    return report


@dataclass
class BudgetLine:
    budget: Budget
    committed: Decimal
    paid: Decimal
    waiting: int

    @property
    def left(self) -> Decimal:
        return self.budget.amount - self.committed


def budget_overview(budgets: Any) -> list[BudgetLine]:
    """Per budget: approved (committed), paid, what is left, and how many proposals wait.
    One query per figure, whatever the number of budgets."""
    budgets = list(budgets)
    ids = [b.pk for b in budgets]
    committed = dict(
        Initiative.objects.filter(budget_id__in=ids, status__in=Initiative.COMMITTED)
        .values_list("budget_id")
        .annotate(total=Sum("approved_amount"))
    )
    paid = dict(
        Initiative.objects.filter(budget_id__in=ids, paid_on__isnull=False)
        .values_list("budget_id")
        .annotate(total=Sum("approved_amount"))
    )
    waiting = dict(
        Initiative.objects.filter(budget_id__in=ids, status__in=Initiative.OPEN)
        .values_list("budget_id")
        .annotate(total=Count("id"))
    )
    zero = Decimal("0")
    return [
        BudgetLine(
            budget=b,
            committed=committed.get(b.pk) or zero,
            paid=paid.get(b.pk) or zero,
            waiting=waiting.get(b.pk) or 0,
        )
        for b in budgets
    ]
