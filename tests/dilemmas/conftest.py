from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from buurtkracht.dilemmas.models import Dilemma, ReflectionMeeting
from buurtkracht.dilemmas.services import dilemma_create, reflection_meeting_create
from tests.conftest import Personas


@pytest.fixture
def dilemma(personas: Personas) -> Dilemma:
    return dilemma_create(
        team=personas.worker.team_memberships.get().team,
        title="Vader wil geen hulp, school maakt zich zorgen",
        description="Een vader wil geen hulp, de school maakt zich zorgen over de kinderen.",
        values=["own_strength", "safety", "child_interest"],
        user=personas.worker,
    )


@pytest.fixture
def meeting(personas: Personas) -> ReflectionMeeting:
    return reflection_meeting_create(
        team=personas.worker.team_memberships.get().team,
        held_on=timezone.localdate() - dt.timedelta(days=1),
        starts_at=dt.time(14, 0),
        facilitator="Ilse (coach)",
        user=personas.team_leader,
    )
