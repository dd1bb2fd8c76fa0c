import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("workspace:my-work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_page_is_public_and_dutch_by_default(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_login_in_english_on_request(client: Client) -> None:
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en"})
    assert "Sign in" in response.content.decode()


def test_wrong_password_says_what_to_do_and_keeps_the_username(
    client: Client, personas: Personas
) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "wijkwerker", "password": "fout"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert 'value="wijkwerker"' in page


def test_worker_logs_in_and_sees_their_team(client: Client, personas: Personas) -> None:
    response = client.post(
        reverse("accounts:login"),
        {"username": "wijkwerker", "password": PASSWORD},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("workspace:my-work")
    assert "Team Oost" in page
    assert "Lindenbuurt" in page
    assert "Team West" not in page


def test_team_leader_sees_position(client: Client, personas: Personas) -> None:
    client.force_login(personas.team_leader)
    page = client.get(reverse("workspace:my-work")).content.decode()
    assert "Teamleider" in page


def test_my_work_query_count_does_not_grow_with_teams(client: Client, personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buurtkracht.accounts.services import team_membership_create

    client.force_login(personas.worker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("workspace:my-work"))
        assert response.status_code == 200
        return len(context.captured_queries)

    one_team = queries()
    for _ in range(5):
        team = factories.TeamFactory.create(
            neighbourhoods=[factories.NeighbourhoodFactory.create()]
        )
        team_membership_create(user=personas.worker, team=team)
    # The sections (worklist, appointments, signals, referrals, volunteers, the menu's
    # badge) each add their own few queries, none per team.
    assert queries() == one_team
    response = client.get(reverse("workspace:my-work"))
    # Six sections and, since issue 18, the appointments of today and tomorrow.
    assert response.content.decode().count('class="bk-card"') == 7


def test_logout_is_post_only(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("workspace:my-work")).status_code == 302


def test_health_is_public(client: Client) -> None:
    response = client.get(reverse("core:health"))
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("persona", ["worker", "colleague", "volunteer", "resident", "beleid"])
def test_only_functional_admin_reaches_configuration(
    client: Client, personas: Personas, persona: str
) -> None:
    user = personas.all().get(persona) or personas.policy_advisor
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # the admin login, not the configuration


def test_functional_admin_configures_areas_but_sees_no_residents(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.functional_admin)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for url in (
        "admin:core_area_changelist",
        "admin:core_team_changelist",
        "admin:core_postcoderange_changelist",
        "admin:accounts_user_changelist",
    ):
        assert client.get(reverse(url)).status_code == 200
    page = index.content.decode()
    assert "households" not in page.lower()
    assert "/beheer/households/" not in page
    assert client.get("/beheer/households/person/").status_code == 404


def test_unknown_page_is_a_friendly_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_my_work_lists_my_households_and_logs_the_look(client: Client, personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buurtkracht.audit.models import Action, AuditEvent
    from buurtkracht.households.models import Involvement

    def add_households(count: int) -> None:
        for _ in range(count):
            membership = factories.MembershipFactory.create()
            Involvement.objects.create(
                household=membership.household,
                worker=personas.worker,
                kind=Involvement.Kind.CO_WORKER,
                start_date=dt.date(2026, 2, 1),
            )

    personas.make_worker_lead()
    client.force_login(personas.worker)
    client.get(reverse("workspace:my-work"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workspace:my-work"))
    add_households(4)
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("workspace:my-work")).content.decode()
    assert len(five) == len(one), "Mijn werk must not query per household"
    assert "Uw huishoudens" in page
    assert page.count("/huishoudens/") >= 5
    assert "Regisseur" in page
    event = AuditEvent.objects.filter(action=Action.READ, actor_id=personas.worker.pk).first()
    assert event is not None
    assert len(event.subject_ids) == 5
    # A colleague of another team sees none of these.
    client.force_login(personas.colleague)
    assert "Uw huishoudens" not in client.get(reverse("workspace:my-work")).content.decode()


def test_team_leader_is_told_about_emergency_access_to_review(
    client: Client, personas: Personas
) -> None:
    from django.utils import timezone

    from buurtkracht.households.models import EmergencyAccess

    EmergencyAccess.objects.create(
        household=personas.household,
        worker=personas.colleague,
        reason="Crisis in de avond, eigen team niet bereikbaar",
        started_at=timezone.now(),
        expires_at=timezone.now(),
    )
    client.force_login(personas.team_leader)
    assert "wacht op uw oordeel" in client.get(reverse("workspace:my-work")).content.decode()


def test_functional_admin_cannot_raise_their_own_rights(client: Client, personas: Personas) -> None:
    admin_user = personas.functional_admin
    client.force_login(admin_user)
    own = client.get(reverse("admin:accounts_user_change", args=[admin_user.pk])).content.decode()
    assert 'name="is_superuser"' not in own  # read-only for a functional administrator
    assert 'name="role_grants-__prefix__-role"' not in own  # no role to add to oneself
    other = client.get(reverse("admin:accounts_user_change", args=[personas.volunteer.pk]))
    assert 'name="role_grants-__prefix__-role"' in other.content.decode()
    # Roles are added or removed, never changed in place (that would skip the approval).
    assert 'name="role_grants-0-role"' not in other.content.decode()


def test_role_given_in_the_admin_goes_through_the_service(
    client: Client, personas: Personas
) -> None:
    from buurtkracht.accounts.models import Role, User

    user = factories.UserFactory.create(username="nieuw")
    client.force_login(personas.functional_admin)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"password"}}
    data.update(
        {
            "username": "nieuw",
            "date_joined_0": "01-01-2026",
            "date_joined_1": "09:00:00",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-0-role": Role.FUNCTIONAL_ADMIN,
            "role_grants-0-user": str(user.pk),
            "team_memberships-TOTAL_FORMS": "0",
            "team_memberships-INITIAL_FORMS": "0",
        }
    )
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # An administrator's rights wait for a second person (four eyes).
    assert not User.objects.get(pk=user.pk).has_role(Role.FUNCTIONAL_ADMIN)
    from buurtkracht.accounts.approvals import access_request_approve
    from buurtkracht.accounts.models import AccessRequest

    access = AccessRequest.objects.get(user=user, role=Role.FUNCTIONAL_ADMIN)
    access_request_approve(access_id=access.pk, by=personas.privacy_officer)
    user = User.objects.get(pk=user.pk)
    assert user.has_role(Role.FUNCTIONAL_ADMIN)
    assert user.is_staff  # set by role_grant, not by the form
