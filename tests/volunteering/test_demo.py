"""The demo has volunteer requests in every state, `vrijwilliger` matched to two with
visits, consent where matched, and three requests in the coordinator's queue."""

from __future__ import annotations

import pytest
from django.test import Client

from buurtkracht.accounts.models import Role, User
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.demo.volunteering import volunteering_demo_create
from buurtkracht.households.consent import Purpose, consent_require
from buurtkracht.volunteering.models import Visit, VolunteerRequest
from buurtkracht.volunteering.services import volunteer_name

pytestmark = pytest.mark.django_db
Status = VolunteerRequest.Status


def test_the_demo_has_volunteer_requests_in_every_state() -> None:
    generate_municipality(seed=3, households=300, batch_size=300, progress=False)
    if not VolunteerRequest.objects.exists():  # until the generator calls it
        assert volunteering_demo_create(seed=3) >= 10
    assert set(VolunteerRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert VolunteerRequest.objects.waiting().count() == 3
    main = User.objects.get(username="vrijwilliger")
    mine = VolunteerRequest.objects.for_volunteer(main)
    assert mine.count() == 2
    assert Visit.objects.filter(request__in=mine).exists()
    assert User.objects.filter(role_grants__role=Role.VOLUNTEER).count() > 1
    for vrequest in VolunteerRequest.objects.filter(status=Status.MATCHED):
        assert vrequest.volunteer is not None
        consent_require(
            person=vrequest.person,
            purpose=Purpose.SHARE_WITH_VOLUNTEER,
            counterpart=volunteer_name(vrequest.volunteer),
        )
    client = Client()
    client.force_login(main)
    assert client.get("/vrijwilligers/mijn/").status_code == 200
    client.force_login(User.objects.get(username="vrijwilligerscoordinator"))
    body = client.get("/vrijwilligers/hulpvragen/").content.decode()
    assert "Gemiddelde tijd van vraag tot koppeling" in body
