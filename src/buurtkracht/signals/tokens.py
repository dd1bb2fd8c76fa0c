"""API tokens with which partners deliver signals and fetch their feedback (writes).

A token is shown once, when it is made; only its SHA-256 hash is stored. A token is long
and random (256 bits), so a plain hash is enough: unlike a password, it cannot be guessed
from a list, and looking it up by its hash does not reveal by timing how much of a guess
was right. The first characters are kept so the functional administrator can tell which
token a partner means without seeing it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Organisation
from buurtkracht.signals.models import ApiToken

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

PREFIX_LENGTH = 8
# Writing the last use on every call would turn each read into a write; once a minute is
# precise enough to see whether a partner still uses a token.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# A token is 43 characters; anything much longer is not one of ours and is not hashed.
MAX_TOKEN_LENGTH = 200


def token_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def check_token_account(organisation: Organisation, account: User | None) -> None:
    """A token's account is a partner liaison of the token's own organisation: deliveries
    through the token are shown as that account's."""
    if account is None:
        return
    if account.organisation_id != organisation.pk or not account.has_role(Role.PARTNER_LIAISON):
        raise ValidationError(
            {
                "account": _(
                    "%(account)s is not a partner liaison of %(organisation)s. Choose an "
                    "account of that organisation, or leave the field empty."
                )
                % {"account": account.get_username(), "organisation": organisation}
            }
        )


@transaction.atomic
def api_token_create(
    *, organisation: Organisation, label: str, account: User | None = None, by: User | None = None
) -> tuple[ApiToken, str]:
    """Make a token for a partner; returns the token and its plain text, shown only now.

    `account` is the partner's account the token is for (optional); `by` is the user who
    made it, or None when made on the command line by the operator.
    """
    check_token_account(organisation, account)
    plain = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        account=account,
        label=label.strip()[:100],
        prefix=plain[:PREFIX_LENGTH],
        key_hash=token_hash(plain),
    )
    audit_record(
        action=Action.CREATE,
        user=by,
        obj=token,
        ground=Ground.ROLE,
        on_behalf_of=str(organisation),
        details={
            "api_token": token.prefix,
            "label": token.label,
            "account": account.get_username() if account else "",
        },
    )
    return token, plain


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    """Stop a token from working. It is kept (not deleted), so the audit log and the list
    of tokens still say which token delivered what, and when it stopped."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action=Action.UPDATE,
        user=by,
        obj=token,
        ground=Ground.ROLE,
        on_behalf_of=str(token.organisation),
        details={"api_token": token.prefix, "revoked": True},
    )
    return token


def authenticate_token(header_value: str) -> ApiToken | None:
    """The token named by an `Authorization: Bearer <token>` header, or None when the
    header is missing or malformed, or the token is unknown or revoked."""
    scheme, _space, plain = (header_value or "").strip().partition(" ")
    plain = plain.strip()
    if scheme.lower() != "bearer" or not plain or len(plain) > MAX_TOKEN_LENGTH:
        return None
    digest = token_hash(plain)
    token = (
        ApiToken.objects.select_related("organisation", "account").filter(key_hash=digest).first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        return None
    if token.revoked_at is not None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
