"""A resident's login through DigiD (OpenID Connect, via the municipality's broker):
matched by BSN to a person in the register, and through that person to their account.

The person must exist: a login never makes one. A person who lives in the municipality
today and has no account yet gets a resident account at their first login; an existing
account linked to the person is used as it is, as long as it is active and holds the
resident role. Every outcome is in the audit log (accounts/oidc.py, audit/signals.py).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.oidc import RESIDENT, ProviderBackend, provider_settings
from buurtkracht.accounts.services import role_grant
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.queries import in_force
from buurtkracht.core.validators import normalise_bsn
from buurtkracht.households.models import Membership, Person


def lives_here(person: Person) -> bool:
    """Alive and a member today of a household that lives at an address here."""
    if person.date_of_death is not None:
        return False
    return (
        Membership.objects.filter(person=person)
        .filter(in_force())
        .filter(in_force(prefix="household__", end_inclusive=False))
        .exists()
    )


@transaction.atomic
def resident_account_create(*, person: Person, request: HttpRequest | None = None) -> User:
    """The account of a resident at their first DigiD login: no password (DigiD is the
    way in), the resident role, and the person's names for the greeting."""
    user = User(
        username=f"digid-{secrets.token_hex(6)}",
        first_name=(person.given_names.split(" ")[0] if person.given_names else person.initials),
        last_name=person.full_surname,
        person=person,
    )
    user.set_unusable_password()
    user.save()
    role_grant(user=user, role=Role.RESIDENT)
    audit_record(
        action=Action.CREATE,
        user=user,
        request=request,
        subjects=[person.pk],
        obj=user,
        ground=Ground.OWN_DATA,
        details={"account": "resident", "via": "digid"},
    )
    return user


def _bsn(value: Any) -> str | None:
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    try:
        return normalise_bsn(str(value))
    except ValidationError:
        return None


class ResidentOIDCBackend(ProviderBackend):
    kind = RESIDENT
    method = "digid"

    def account_for(self, claims: dict[str, Any], token_claims: dict[str, Any]) -> User | None:
        bsn = _bsn(claims.get(str(provider_settings(RESIDENT).get("BSN_CLAIM") or "bsn")))
        if bsn is None:
            self.refuse("no_bsn")
            return None
        # The BSN itself is never written to the log, only the person it found.
        person = Person.objects.filter(bsn=bsn).first()
        if person is None:
            self.refuse("no_person")
            return None
        if person.date_of_death is not None:
            self.refuse("not_living_here", person=person.pk)
            return None
        account = User.objects.filter(person=person).first()
        if account is None:
            if not lives_here(person):
                self.refuse("not_living_here", person=person.pk)
                return None
            return resident_account_create(person=person, request=self.request)
        if not account.is_active:
            self.refuse("blocked", username=account.username)
            return None
        if not account.has_role(Role.RESIDENT):
            self.refuse("no_resident_role", username=account.username)
            return None
        return account
