"""Account activation: the owner of an account, not the administrator, chooses the password
and sets up two-step login, through a one-time link that is valid for 72 hours.

- The link carries a random token (256 bits); only its SHA-256 is stored, so a copy of the
  database opens no account. A new link replaces every older open one.
- The authenticator secret is made per browser session and kept in that session until
  the first code confirms it; only then is the device created. A second session with the
  same link sees another secret and finds the link used once the first one finished.
- At activation the owner gets ten recovery codes, shown once and stored hashed; each
  stands in for one code from the app, once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.models import Activation, RecoveryCode, User
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record

VALID_FOR = dt.timedelta(hours=72)
RECOVERY_CODES = 10
DEVICE_NAME = "Authenticator"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_activated(user: User) -> bool:
    """Whether the owner has ever chosen a password or set up two-step login. A link for an
    activated account is a reset and needs a second person (see approvals)."""
    return user.has_usable_password() or TOTPDevice.objects.filter(user=user).exists()


def activation_path(token: str) -> str:
    return reverse("accounts:activate-link", kwargs={"token": token})


@transaction.atomic
def activation_issue(*, user: User, by: User | None, request: HttpRequest | None = None) -> str:
    """A new one-time link for `user`; older open links stop working. Returns the token,
    which is nowhere stored: the caller mails it (or, for the operator, prints it)."""
    now = timezone.now()
    Activation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    activation = Activation.objects.create(
        user=user,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + VALID_FOR,
        created_by=by,
        sent_to=user.email,
    )
    audit_record(
        action=Action.CREATE,
        user=by,
        request=request,
        obj=user,
        ground=Ground.ROLE,
        details={
            "activation": "link issued",
            "activation_id": activation.pk,
            "valid_until": activation.expires_at.isoformat(),
            "sent_to": user.email,
        },
    )
    return token


def activation_mail(*, user: User, token: str, base_url: str) -> None:
    """Mail the link to the account's owner. The administrator never sees it."""
    link = base_url.rstrip("/") + activation_path(token)
    send_mail(
        subject=_("Activate your Buurtkracht account"),
        message=_(
            "Hello %(name)s,\n\nAn account was made for you in Buurtkracht (user name "
            "%(username)s). Open this link within 72 hours to choose your password and set "
            "up two-step login:\n\n%(link)s\n\nThe link works once. Did you not expect this "
            "mail? Then ignore it and tell your privacy officer."
        )
        % {"name": user.get_full_name() or user.username, "username": user.username, "link": link},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def open_activation(token: str) -> Activation | None:
    """The activation this token opens, if it is unused, not replaced and not expired."""
    return (
        Activation.objects.filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("user")
        .first()
    )


def activation_by_id(pk: int) -> Activation | None:
    return (
        Activation.objects.filter(
            pk=pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .first()
    )


def new_secret() -> str:
    """A fresh TOTP secret (hex, as django-otp stores it), held in one session only."""
    return secrets.token_hex(20)


def code_matches(secret: str, code: str) -> bool:
    """Whether `code` is the app's code for `secret` now (one step of drift either way)."""
    return bool(TOTP(bytes.fromhex(secret), step=30, digits=6).verify(int(code), tolerance=1))


def recovery_code_hash(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_codes_create(*, user: User) -> list[str]:
    """Ten new codes (80 random bits each), replacing the old ones; returned once."""
    RecoveryCode.objects.filter(user=user).delete()
    now = timezone.now()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, len(raw), 4)))
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=recovery_code_hash(c), created_at=now) for c in codes]
    )
    return codes


@transaction.atomic
def recovery_code_use(*, user: User, code: str) -> bool:
    """Spend one recovery code; False when it is unknown or already used."""
    used = RecoveryCode.objects.filter(
        user=user, code_hash=recovery_code_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used == 1


class ActivationGone(Exception):
    """The link was used, replaced or expired meanwhile (another session finished first)."""


@transaction.atomic
def activation_complete(
    *, activation_id: int, secret: str, password: str, request: HttpRequest | None = None
) -> tuple[User, list[str]]:
    """The owner confirmed their first code: set the password they chose, create the
    confirmed device with the secret their session showed, and make recovery codes."""
    activation = (
        Activation.objects.select_for_update()
        .filter(
            pk=activation_id,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("user")
        .first()
    )
    if activation is None:
        raise ActivationGone
    user = activation.user
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at"])
    user.set_password(password)
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=secret, confirmed=True)
    codes = recovery_codes_create(user=user)
    audit_record(
        action=Action.UPDATE,
        user=user,
        request=request,
        obj=user,
        ground=Ground.OWN_DATA,
        details={
            "activation": "completed",
            "activation_id": activation.pk,
            "recovery_codes": len(codes),
        },
    )
    return user, codes
