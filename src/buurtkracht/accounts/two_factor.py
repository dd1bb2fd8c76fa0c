"""Two-factor login with a time-based code (TOTP), mandatory for every staff role.

After the password, a staff user without a verified second factor can only reach the
two-factor pages, logout and the language switch. Enrolment is not part of login: the
owner sets up the app within the activation of their account (see `activation`), so a
password alone never reaches a secret. Residents are not asked.

A staff member who signs in through the municipality's identity provider (accounts/oidc.py)
is not asked either when the provider asserted a second factor itself (its `amr` or `acr`
claim, as configured): the session then remembers that it passed."""

from __future__ import annotations

import base64
import math
from io import BytesIO
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.models import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

# The account whose second factor the identity provider asserted in this session.
PROVIDER_SECOND_FACTOR_SESSION = "buurtkracht_provider_second_factor"


def needs_two_factor(user: User) -> bool:
    """Every account with a role other than resident or learning-circle member (neither
    reads anyone else's case data), and every admin-site user."""
    if not settings.REQUIRE_TWO_FACTOR or not user.is_authenticated:
        return False
    return (
        bool(user.role_set - {Role.RESIDENT, Role.CIRCLE_MEMBER})
        or user.is_staff
        or user.is_superuser
    )


def is_verified(user: User) -> bool:
    """Whether this session passed the second factor (django-otp's OTPMiddleware sets it)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_passed(request: HttpRequest) -> bool:
    """The code of the app (or a recovery code) in this session, or the identity provider's
    own second factor at this session's login."""
    user = request.user
    if is_verified(user):  # type: ignore[arg-type]
        return True
    return bool(user.pk) and request.session.get(PROVIDER_SECOND_FACTOR_SESSION) == user.pk


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def config_url(user: User, secret: str) -> str:
    """The otpauth:// URL of a secret not yet stored (the device exists once confirmed)."""
    url: str = TOTPDevice(user=user, name="Authenticator", key=secret).config_url
    return url


def qr_svg(url: str) -> str:
    """The otpauth:// URL as an inline SVG: no image request, no script (CSP)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def readable_secret(secret_hex: str) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(bytes.fromhex(secret_hex)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def seconds_to_wait(device: TOTPDevice) -> int:
    """How long django-otp's throttle still refuses codes: it doubles the wait after
    every wrong code (1, 2, 4, 8 … seconds) against guessing."""
    if not device.throttling_failure_count or device.throttling_failure_timestamp is None:
        return 0
    factor: int = device.get_throttle_factor()
    required = factor * 2 ** (device.throttling_failure_count - 1)
    elapsed: float = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    wait: int = math.ceil(required - elapsed)
    return max(1, wait)
