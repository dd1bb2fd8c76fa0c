"""Shared makers for the notification tests."""

from __future__ import annotations

from django.core import mail

from buurtkracht.accounts.models import User
from buurtkracht.households.models import Household
from buurtkracht.notifications.kinds import Channel, Kind
from buurtkracht.notifications.models import Notification
from buurtkracht.notifications.services import preferences_set
from tests.conftest import Personas


def everyone_mailed_at_once(personas: Personas, *extra: User) -> None:
    """Every persona has an address and wants every kind by e-mail at once, so that each
    notification shows up in the outbox."""
    for user in [*personas.all().values(), *extra]:
        user.email = f"{user.username}@gemeente.example"
        user.save(update_fields=["email"])
        preferences_set(user=user, channels=dict.fromkeys(Kind.values, Channel.EMAIL))


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def resident_words(household: Household) -> list[str]:
    """What would identify a resident of `household`: names, street, postcode."""
    words: list[str] = []
    for person in household.members.all():
        words += [person.surname, *person.given_names.split()]
    address = household.address
    words += [address.street, address.postcode, f"{address.postcode[:4]} {address.postcode[4:]}"]
    return [w for w in words if w]


def assert_no_resident_data_in_mail(household: Household) -> None:
    assert mail.outbox, "the test should have sent mail"
    words = resident_words(household)
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for word in words:
            assert word not in text, f"{word!r} in a mail: {text}"
    for notification in Notification.objects.all():
        for word in words:
            assert word not in notification.text
