"""A delivery about a resident who moved: the report goes to the team of the new address;
a placeholder date of birth is set aside with a warning and the signal is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from buurtkracht.core.models import Area
from buurtkracht.signals import matching
from buurtkracht.signals.models import Delivery, Signal
from tests import factories
from tests.conftest import Personas
from tests.signals.test_pipeline import HEADER, _deliver, _resident, _row

pytestmark = pytest.mark.django_db


def test_a_signal_at_the_old_address_reaches_the_team_of_the_new_one(
    personas: Personas,
) -> None:
    person = _resident(personas)
    west = Area.objects.get(name="Vogelwijk")
    old = factories.HouseholdFactory.create(address__neighbourhood=west)
    factories.MembershipFactory.create(
        household=old, person=person, start_date=dt.date(2015, 1, 1), end_date=dt.date(2025, 3, 1)
    )
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("M-1", person, old.address))
    signal = Signal.objects.get()
    assert signal.person == person
    assert signal.match_status == Signal.MatchStatus.AUTOMATIC
    assert "moved: lives at another address in the municipality now" in signal.match_reasons
    report = signal.report
    assert report.team is not None and report.team.name == "Team Oost"
    assert report.household == personas.household
    assert report.address == personas.household.address


def test_a_placeholder_date_of_birth_is_set_aside_and_the_signal_kept(
    personas: Personas,
) -> None:
    person = _resident(personas)
    client = Client()
    client.force_login(personas.partner_liaison)
    _deliver(client, HEADER + _row("P-1", person, personas.household.address, dob="01-01-1900"))
    delivery = Delivery.objects.get()
    assert (delivery.rows_valid, delivery.rows_rejected) == (1, 0)
    signal = Signal.objects.get()
    assert signal.date_of_birth is None
    assert signal.person == person
    assert matching.R_DOB_SET_ASIDE in signal.match_reasons


def test_a_mover_confirmed_from_the_review_list_goes_to_the_new_team(
    personas: Personas,
) -> None:
    from buurtkracht.signals.outreach import match_decide

    person = factories.PersonFactory.create(given_names="Jan Hendrik", surname="Wolters")
    factories.MembershipFactory.create(
        household=personas.household, person=person, start_date=dt.date(2025, 3, 2)
    )
    west = Area.objects.get(name="Vogelwijk")
    old = factories.HouseholdFactory.create(address__neighbourhood=west)
    factories.MembershipFactory.create(
        household=old, person=person, start_date=dt.date(2015, 1, 1), end_date=dt.date(2025, 3, 1)
    )
    client = Client()
    client.force_login(personas.partner_liaison)
    # Without a date of birth and with one of two initials, the surname at the old
    # address is not enough to follow someone: the officer decides.
    _deliver(client, HEADER + _row("M-2", person, old.address, dob="", initials="J."))
    signal = Signal.objects.get()
    assert signal.match_status == Signal.MatchStatus.REVIEW
    report = signal.report
    assert report.neighbourhood == west and report.household is None
    match_decide(signal=signal, person=person, user=personas.signal_officer)
    report.refresh_from_db()
    assert report.household == personas.household
    assert report.neighbourhood == personas.household.neighbourhood
    assert report.team is not None and report.team.name == "Team Oost"
