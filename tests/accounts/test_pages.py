import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("core:my-work"))
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
    assert response.redirect_chain[-1][0] == reverse("core:my-work")
    assert "Team Oost" in page
    assert "Lindenbuurt" in page
    assert "Team West" not in page


def test_team_leader_sees_position(client: Client, personas: Personas) -> None:
    client.force_login(personas.team_leader)
    page = client.get(reverse("core:my-work")).content.decode()
    assert "Teamleider" in page


def test_my_work_query_count_does_not_grow_with_teams(
    client: Client, personas: Personas, django_assert_max_num_queries: object
) -> None:
    from buurtkracht.accounts.services import team_membership_create
    from tests import factories

    for _ in range(5):
        team = factories.TeamFactory.create(
            neighbourhoods=[factories.NeighbourhoodFactory.create()]
        )
        team_membership_create(user=personas.worker, team=team)
    client.force_login(personas.worker)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(reverse("core:my-work"))
    assert response.content.decode().count('class="bk-card"') == 6


def test_logout_is_post_only(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:my-work")).status_code == 302


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
