"""What `households` holds about one resident, for their copy of their data (AVG art. 15,
`privacy/export.py`): the person and their account, the households they live in and
lived in, who is involved, outside professionals, consents, what the register says,
emergency access to their file and their requests about their data."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import User
from buurtkracht.core.person_data import Section, model_record
from buurtkracht.households.models import (
    Consent,
    DataRequest,
    EmergencyAccess,
    Household,
    Involvement,
    Membership,
    OutsideProfessional,
    Person,
    RegisterEntry,
)

PERSON_FIELDS = [
    "initials",
    "given_names",
    "surname_prefix",
    "surname",
    "birth_surname_prefix",
    "birth_surname",
    "date_of_birth",
    "bsn",
    "date_of_death",
    "phone",
    "email",
    "created_at",
]


def person_sections(person: Person, households: list[Household]) -> list[Section]:
    """`households`: those the person lives in today; their file is the person's file."""
    ids = [h.pk for h in households]
    sections = [
        Section("person", _("About you"), [model_record(person, PERSON_FIELDS)]),
        Section(
            "account",
            _("Your account"),
            [
                model_record(user, ["username", "email", "date_joined", "last_login"])
                for user in User.objects.filter(person=person).order_by("pk")
            ],
        ),
        Section(
            "households",
            _("Where you live"),
            [
                model_record(
                    m,
                    ["role", "start_date", "end_date", "from_register"],
                    address=(_("address"), str(m.household.address)),
                )
                for m in Membership.objects.filter(person=person)
                .select_related("household__address")
                .order_by("start_date", "pk")
            ],
        ),
        Section(
            "members",
            _("Who lives with you"),
            [
                model_record(
                    m, ["role", "start_date", "end_date"], name=(_("name"), m.person.full_name)
                )
                for m in Membership.objects.filter(household_id__in=ids)
                .exclude(person=person)
                .select_related("person")
                .order_by("household_id", "start_date", "pk")
            ],
        ),
        Section(
            "involvements",
            _("Workers involved"),
            [
                model_record(
                    i,
                    ["kind", "start_date", "end_date"],
                    worker=(_("worker"), i.worker.get_full_name() or i.worker.username),
                )
                for i in Involvement.objects.filter(household_id__in=ids)
                .select_related("worker")
                .order_by("start_date", "pk")
            ],
            note=_("The notes workers leave each other at a handover are not included."),
        ),
        Section(
            "professionals",
            _("Professionals from outside the team"),
            [
                model_record(
                    p,
                    [
                        "name",
                        "organisation_name",
                        "role",
                        "phone",
                        "email",
                        "shares_data",
                        "start_date",
                        "end_date",
                    ],
                )
                for p in OutsideProfessional.objects.filter(
                    Q(household_id__in=ids) | Q(person=person)
                ).order_by("start_date", "pk")
            ],
        ),
        Section(
            "consents",
            _("Your consents"),
            [
                model_record(
                    c,
                    [
                        "purpose",
                        "organisation",
                        "counterpart",
                        "given",
                        "method",
                        "recorded_at",
                        "valid_until",
                        "note",
                    ],
                )
                for c in Consent.objects.filter(person=person)
                .select_related("organisation")
                .order_by("recorded_at", "pk")
            ],
        ),
        Section(
            "register",
            _("What the register (BRP) says"),
            [
                model_record(r, ["address", "living_since", "departed_on", "died_on", "updated_on"])
                for r in RegisterEntry.objects.filter(person=person).select_related("address")
            ],
        ),
        Section(
            "emergency_access",
            _("Emergency access to your file"),
            [
                model_record(
                    a,
                    ["reason", "started_at", "expires_at", "reviewed_at"],
                    worker=(_("worker"), a.worker.get_full_name() or a.worker.username),
                )
                for a in EmergencyAccess.objects.filter(household_id__in=ids)
                .select_related("worker")
                .order_by("started_at", "pk")
            ],
        ),
        Section(
            "data_requests",
            _("Your requests about your data"),
            [
                model_record(
                    r,
                    [
                        "kind",
                        "requested_at",
                        "due_on",
                        "wrong",
                        "should_be",
                        "status",
                        "answer",
                        "handled_at",
                    ],
                )
                for r in DataRequest.objects.filter(person=person)
                .defer("export_json", "export_pdf", "parts")
                .order_by("requested_at", "pk")
            ],
        ),
    ]
    return sections
