"""Four eyes (issue 15, finding 3): a role that reaches residents' files, and a reset of
someone's two-step login, are in force only after the privacy officer or another
administrator approves; never by the requester; every step audited and on the privacy
officer's page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.approvals import (
    NotAllowed,
    access_request_approve,
    role_request,
    two_factor_reset_request,
)
from buurtkracht.accounts.models import AccessRequest, Role, RoleGrant, User
from buurtkracht.audit.models import AuditEvent
from tests import factories
from tests.accounts.test_activation import inline_management
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def admin_adds_role(client: Client, user: User, role: str) -> None:
    change = reverse("admin:accounts_user_change", args=[user.pk])
    existing = list(RoleGrant.objects.filter(user=user).order_by("pk"))
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "role_grants-TOTAL_FORMS": str(len(existing) + 1),
        "role_grants-INITIAL_FORMS": str(len(existing)),
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
        **{f"role_grants-{i}-id": str(g.pk) for i, g in enumerate(existing)},
        **{f"role_grants-{i}-user": str(user.pk) for i, g in enumerate(existing)},
        f"role_grants-{len(existing)}-role": role,
        f"role_grants-{len(existing)}-user": str(user.pk),
        **inline_management("team_memberships"),
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_admin_raising_a_role_alone_puts_nothing_in_force(
    client: Client, personas: Personas
) -> None:
    """The attack: `beheer` makes someone team leader and reads files through them."""
    clerk = factories.UserFactory.create(username="klerk", roles=[Role.COMMUNITY_WORKER])
    client.force_login(personas.functional_admin)
    admin_adds_role(client, clerk, Role.TEAM_LEADER)
    clerk = User.objects.get(pk=clerk.pk)
    assert not clerk.has_role(Role.TEAM_LEADER)
    access = AccessRequest.objects.get(user=clerk)
    assert access.status == AccessRequest.Status.PENDING
    assert access.requested_by == personas.functional_admin
    # The requester cannot approve it, not even through the page.
    response = client.post(
        reverse("audit:access-request-decide", args=[access.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.status == AccessRequest.Status.PENDING
    assert not User.objects.get(pk=clerk.pk).has_role(Role.TEAM_LEADER)

    officer = Client()
    officer.force_login(personas.privacy_officer)
    page = officer.get(reverse("audit:access-requests")).content.decode()
    assert "klerk" in page and "teamleider" in page.lower()
    officer.post(reverse("audit:access-request-decide", args=[access.pk]), {"decision": "approve"})
    access.refresh_from_db()
    assert access.status == AccessRequest.Status.APPROVED
    assert access.decided_by == personas.privacy_officer
    assert User.objects.get(pk=clerk.pk).has_role(Role.TEAM_LEADER)
    steps = list(
        AuditEvent.objects.filter(details__access_request_id=access.pk)
        .order_by("sequence")
        .values_list("details__access_request", "actor_username")
    )
    assert steps == [("requested", "beheer"), ("approved", "privacy")]
    page = officer.get(reverse("audit:access-requests")).content.decode()
    assert "Goedgekeurd" in page or "goedgekeurd" in page


def test_nobody_approves_their_own_request_or_one_about_themselves(personas: Personas) -> None:
    second_admin = factories.UserFactory.create(username="beheer2", roles=[Role.FUNCTIONAL_ADMIN])
    access = role_request(user=second_admin, role=Role.WORKER, by=personas.functional_admin)
    assert isinstance(access, AccessRequest)
    for who in (personas.functional_admin, second_admin, personas.worker):
        with pytest.raises(NotAllowed):
            access_request_approve(access_id=access.pk, by=who)
    with pytest.raises(NotAllowed):
        role_request(user=personas.functional_admin, role=Role.WORKER, by=personas.functional_admin)
    # Another administrator may approve a request about someone else.
    other = role_request(user=personas.volunteer, role=Role.WORKER, by=personas.functional_admin)
    assert isinstance(other, AccessRequest)
    access_request_approve(access_id=other.pk, by=second_admin)
    assert User.objects.get(pk=personas.volunteer.pk).has_role(Role.WORKER)


def test_a_role_without_case_content_needs_no_second_person(personas: Personas) -> None:
    outcome = role_request(
        user=personas.volunteer, role=Role.POLICY_ADVISOR, by=personas.functional_admin
    )
    assert isinstance(outcome, RoleGrant)
    assert AuditEvent.objects.filter(
        actor_id=personas.functional_admin.pk, details__role=Role.POLICY_ADVISOR
    ).exists()


def test_admin_resetting_two_factor_alone_changes_nothing(
    client: Client, personas: Personas
) -> None:
    """The attack: `beheer` resets a worker's two-step login and enrols their own phone."""
    device = TOTPDevice.objects.create(user=personas.worker, name="app", confirmed=True)
    User.objects.filter(pk=personas.worker.pk).update(email="wijkwerker@gemeente.example")
    client.force_login(personas.functional_admin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [personas.worker.pk]},
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert Client().login(username="wijkwerker", password=PASSWORD)
    access = AccessRequest.objects.get(
        user=personas.worker, kind=AccessRequest.Kind.TWO_FACTOR_RESET
    )
    assert mail.outbox == []

    officer = Client()
    officer.force_login(personas.privacy_officer)
    officer.post(reverse("audit:access-request-decide", args=[access.pk]), {"decision": "approve"})
    assert not TOTPDevice.objects.filter(user=personas.worker).exists()
    worker = User.objects.get(pk=personas.worker.pk)
    assert not worker.has_usable_password()  # the owner chooses anew through the link
    assert [m.to for m in mail.outbox] == [[worker.email]]
    assert re.search(r"/accounts/activeren/[\w-]+/", str(mail.outbox[0].body))
    assert AuditEvent.objects.filter(
        details__access_request="approved", details__kind="two_factor_reset"
    ).exists()


def test_a_refused_reset_changes_nothing(personas: Personas) -> None:
    from buurtkracht.accounts.approvals import access_request_refuse

    device = TOTPDevice.objects.create(user=personas.worker, name="app", confirmed=True)
    access = two_factor_reset_request(user=personas.worker, by=personas.functional_admin)
    access_request_refuse(access_id=access.pk, by=personas.privacy_officer)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    access.refresh_from_db()
    assert access.status == AccessRequest.Status.REFUSED
    with pytest.raises(NotAllowed):  # decided is decided
        access_request_approve(access_id=access.pk, by=personas.privacy_officer)


def test_only_approvers_reach_the_requests_page(client: Client, personas: Personas) -> None:
    for persona in (personas.worker, personas.team_leader, personas.resident):
        client.force_login(persona)
        assert client.get(reverse("audit:access-requests")).status_code == 404
    for persona in (personas.privacy_officer, personas.functional_admin):
        client.force_login(persona)
        assert client.get(reverse("audit:access-requests")).status_code == 200


def test_admin_placing_someone_in_a_team_alone_opens_nothing(
    client: Client, personas: Personas
) -> None:
    """The attack: `beheer` makes the other team's worker team leader of the household's
    team (a place in a team opens its neighbourhoods' files)."""
    from buurtkracht.accounts.approvals import team_memberships_save
    from buurtkracht.accounts.models import TeamMembership
    from buurtkracht.households.visibility import household_ground

    team = TeamMembership.objects.get(user=personas.team_leader).team
    place = TeamMembership(
        user=personas.colleague, team=team, position=TeamMembership.Position.TEAM_LEADER
    )
    waiting, _refused = team_memberships_save(
        user=personas.colleague, new=[place], changed=[], deleted=[], by=personas.functional_admin
    )
    colleague = User.objects.get(pk=personas.colleague.pk)
    assert not TeamMembership.objects.filter(user=colleague, team=team).exists()
    assert household_ground(colleague, personas.household) is None
    access_request_approve(access_id=waiting[0].pk, by=personas.privacy_officer)
    colleague = User.objects.get(pk=personas.colleague.pk)
    assert household_ground(colleague, personas.household) == "team_leader"


def test_a_place_in_a_team_changes_only_by_ending_earlier(personas: Personas) -> None:
    import datetime as dt

    from buurtkracht.accounts.approvals import team_memberships_save
    from buurtkracht.accounts.models import TeamMembership

    place = TeamMembership.objects.get(user=personas.worker)
    place.position = TeamMembership.Position.TEAM_LEADER
    _waiting, refused = team_memberships_save(
        user=personas.worker,
        new=[],
        changed=[(place, ["position"])],
        deleted=[],
        by=personas.functional_admin,
    )
    assert refused and TeamMembership.objects.get(pk=place.pk).position == "worker"
    place = TeamMembership.objects.get(pk=place.pk)
    place.end_date = dt.date(2027, 1, 31)
    _waiting, refused = team_memberships_save(
        user=personas.worker,
        new=[],
        changed=[(place, ["end_date"])],
        deleted=[],
        by=personas.functional_admin,
    )
    assert not refused
    assert TeamMembership.objects.get(pk=place.pk).end_date == dt.date(2027, 1, 31)
