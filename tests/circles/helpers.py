"""A learning circle for tests: started by the team leader (support team), with the
library worker (the `circle_member` persona) as a member from outside, a meeting, a
learning moment, an action, a file and a published summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from buurtkracht.circles import services
from buurtkracht.circles.models import Circle, Member
from buurtkracht.core.filetypes import PDF, Examined
from tests.conftest import Personas

PDF_BYTES = b"%PDF-1.4\n% Uitnodiging\n%%EOF\n"


def start(personas: Personas, title: str = "Eenzaamheid in de Lindenbuurt") -> Circle:
    hood = personas.household.address.neighbourhood
    assert hood is not None
    today = timezone.localdate()
    return services.circle_start(
        user=personas.team_leader,
        title=title,
        question="Hoe vinden buren die alleen zijn elkaar?",
        neighbourhoods=[hood],
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=150),
    )


def join(circle: Circle, personas: Personas) -> Member:
    return Member.objects.create(
        circle=circle,
        user=personas.circle_member,
        kind=Member.Kind.ORGANISATION,
        speaks_for="Bibliotheek Test",
    )


def circle_planted(personas: Personas, *, publish: bool = True) -> dict[str, Any]:
    circle = start(personas)
    member = join(circle, personas)
    by = personas.team_leader
    today = timezone.localdate()
    meeting = services.meeting_plan(
        circle=circle,
        by=by,
        held_on=today - dt.timedelta(days=7),
        place="Bibliotheek",
        agenda="Kennismaken",
    )
    services.moment_mark(
        circle=circle,
        by=by,
        learnt="Een vaste koffieochtend helpt.",
        noted_on=today,
        meeting=meeting,
    )
    action = services.action_add(
        circle=circle, by=by, what="Flyer maken", owner=member, due_on=today
    )
    document = services.document_add(
        circle=circle,
        by=by,
        title="Uitnodiging",
        examined=Examined(data=PDF_BYTES, kind=PDF, filename="uitnodiging.pdf"),
    )
    if publish:
        services.summary_publish(
            circle=circle,
            by=by,
            learnt="Een vaste plek en tijd maakt de drempel lager.",
            happened="Elke dinsdag koffie in de bibliotheek.",
        )
    return {
        "pk": circle.pk,
        "circle": circle,
        "member": member,
        "values": {
            "member_pk": str(member.pk),
            "meeting_pk": str(meeting.pk),
            "circle_action_pk": str(action.pk),
            "file_pk": str(document.pk),
            "public_id": str(circle.public_id),
        },
    }
