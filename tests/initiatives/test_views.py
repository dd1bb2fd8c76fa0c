"""The pages of resident initiatives: proposing without an account, the secret link,
the public results, and who may do what among staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from buurtkracht.accounts.models import Role
from buurtkracht.initiatives import services
from buurtkracht.initiatives.models import Decision, Initiative
from tests import factories
from tests.conftest import Personas
from tests.initiatives.helpers import budget, community_worker, form_data, propose
from tests.versions import opened_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def hood() -> Any:
    district = factories.DistrictFactory.create(name="Oost")
    budget(district)
    return factories.NeighbourhoodFactory.create(parent=district, name="Bomenbuurt")


def test_propose_without_an_account_and_follow_the_link(client: Client, hood: Any) -> None:
    page = client.get("/initiatieven/voorstellen/")
    assert page.status_code == 200
    assert "Stel een bewonersinitiatief voor" in page.content.decode()
    response = client.post("/initiatieven/voorstellen/", form_data(hood))
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith("/initiatieven/volg/") and link.endswith("?nieuw=1")
    initiative = Initiative.objects.get()
    assert initiative.cost == 800 and initiative.contact_email == "ria@voorbeeld.nl"
    body = client.get(link).content.decode()
    assert "Bewaar deze link" in body
    assert "Wandelgroep Lindenstraat" in body
    assert "Volgende stap" in body and "opbouwwerker" in body


def test_bad_input_gets_dutch_errors_per_field_and_nothing_is_lost(
    client: Client, hood: Any
) -> None:
    response = client.post(
        "/initiatieven/voorstellen/",
        form_data(hood, title="", cost="heel veel", contact_email="", neighbourhood=""),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Geef je initiatief een naam." in body
    assert "Schrijf het bedrag in euro" in body
    assert "Kies de buurt" in body
    assert "e-mailadres of een telefoonnummer" in body
    # What was typed is still there.
    assert "heel veel" in body and "We lopen zelf voorop" in body
    assert not Initiative.objects.exists()


def test_the_honeypot_stops_bots(client: Client, hood: Any) -> None:
    response = client.post("/initiatieven/voorstellen/", form_data(hood, homepage="http://spam"))
    assert response.status_code == 400
    assert not Initiative.objects.exists()


def test_a_wrong_token_is_a_404(client: Client, hood: Any) -> None:
    propose(hood)
    for path in ("volg/fout/", "volg/fout/wijzigen/", "volg/fout/verslag/"):
        assert client.get(f"/initiatieven/{path}").status_code == 404
    assert client.post("/initiatieven/volg/fout/intrekken/").status_code == 404


def test_edit_and_withdraw_through_the_link(client: Client, hood: Any) -> None:
    initiative, token = propose(hood)
    page = client.get(f"/initiatieven/volg/{token}/wijzigen/")
    assert page.status_code == 200 and "Wandelgroep Lindenstraat" in page.content.decode()
    response = client.post(
        f"/initiatieven/volg/{token}/wijzigen/", form_data(hood, title="Wandelclub")
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Wandelclub"
    client.post(f"/initiatieven/volg/{token}/intrekken/")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.WITHDRAWN
    assert client.get(f"/initiatieven/volg/{token}/wijzigen/").status_code == 404


def _reported(hood: Any) -> tuple[Initiative, str]:
    worker = community_worker()
    initiative, token = propose(hood, contact_phone="06 98765432")
    assert initiative.budget is not None
    services.budget_assign(initiative=initiative, budget=initiative.budget, user=worker)
    services.decision_record(
        initiative=initiative,
        outcome=Decision.Outcome.APPROVE,
        reason="Goed voor de straat.",
        user=worker,
    )
    services.funding_set(
        initiative=initiative,
        shares=[services.FundingShare(100, name="Gemeente Testwijk")],  # type: ignore[arg-type]
        user=worker,
    )
    services.initiative_mark_paid(initiative=initiative, user=worker)
    return initiative, token


def test_report_back_through_the_link_and_public_results_without_contacts(
    client: Client, hood: Any
) -> None:
    initiative, token = _reported(hood)
    follow = client.get(f"/initiatieven/volg/{token}/").content.decode()
    assert "Goed voor de straat." in follow  # the reason of the decision
    bad = client.post(f"/initiatieven/volg/{token}/verslag/", {"story": "", "attendance": "x"})
    assert bad.status_code == 400
    assert "Vertel in een paar zinnen" in bad.content.decode()
    client.post(
        f"/initiatieven/volg/{token}/verslag/",
        {"story": "Veertien buren lopen elke week mee.", "attendance": "14"},
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REPORTED
    results = client.get("/initiatieven/resultaten/")
    body = results.content.decode()
    assert results.status_code == 200
    assert "Veertien buren lopen elke week mee." in body and "Bomenbuurt" in body
    assert "14 mensen deden mee" in body
    for secret in ("Ria de Boer", "ria@voorbeeld.nl", "98765432", token):
        assert secret not in body


def test_staff_pages_per_role(personas: Personas, hood: Any) -> None:
    worker = community_worker()
    initiative, _ = propose(hood, contact_phone="06 98765432")
    allowed = {"policy_advisor"}
    for name, user in personas.all().items():
        client = client_for(user)
        listing = client.get("/initiatieven/")
        detail = client.get(f"/initiatieven/{initiative.pk}/")
        budgets = client.get("/initiatieven/budgetten/")
        expected = 200 if name in allowed else 404
        assert (listing.status_code, detail.status_code, budgets.status_code) == (
            expected,
            expected,
            expected,
        ), name
    # The policy advisor reads, without the initiators' contact details, and cannot write.
    advisor = client_for(personas.policy_advisor)
    body = advisor.get(f"/initiatieven/{initiative.pk}/").content.decode()
    assert "Wandelgroep Lindenstraat" in body and "98765432" not in body
    response = advisor.post(
        f"/initiatieven/{initiative.pk}/ondersteuning/", {"date": "1-1-2026", "what": "x"}
    )
    assert response.status_code == 404
    # The community worker sees the contact details and the waiting list.
    own = client_for(worker)
    assert "98765432" in own.get(f"/initiatieven/{initiative.pk}/").content.decode()
    assert "Wandelgroep Lindenstraat" in own.get("/initiatieven/").content.decode()
    assert client_for(worker).get("/initiatieven/niet-een-id/").status_code == 404


def test_community_worker_runs_the_route_through_the_pages(hood: Any) -> None:
    worker = community_worker()
    corporation = factories.OrganisationFactory.create(
        name="Woonstichting Test", housing_corporation=True
    )
    initiative, token = propose(hood)
    client = client_for(worker)
    base = f"/initiatieven/{initiative.pk}"
    assert (
        client.post(f"{base}/ondersteuning/", {"date": "3-11-2026", "what": ""}).status_code == 400
    )
    assert (
        client.post(
            f"{base}/ondersteuning/", {"date": "1-1-2026", "what": "Plan geschreven"}
        ).status_code
        == 302
    )
    assert initiative.budget is not None
    client.post(f"{base}/budget/", {"budget": str(initiative.budget.pk)})
    missing = client.post(f"{base}/besluit/", {"outcome": "approve", "reason": ""})
    assert missing.status_code == 400
    assert "Schrijf waarom" in missing.content.decode()
    client.post(f"{base}/besluit/", {"outcome": "approve", "reason": "Past in het beleid."})
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.APPROVED
    wrong = client.post(
        f"{base}/financiering/",
        {
            "name_1": "Gemeente",
            "percent_1": "70",
            "organisation_2": corporation.pk,
            "percent_2": "20",
        },
    )
    assert wrong.status_code == 400 and "100%" in wrong.content.decode()
    client.post(
        f"{base}/financiering/",
        {
            "name_1": "Gemeente",
            "percent_1": "70",
            "organisation_2": corporation.pk,
            "percent_2": "30",
        },
    )
    client.post(f"{base}/betaald/")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.RUNNING
    client.post(f"{base}/verslag/", {"story": "Het loopt goed.", "attendance": "12"})
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REPORTED
    follow = Client().get(f"/initiatieven/volg/{token}/").content.decode()
    assert "Het loopt goed." in follow and "Woonstichting Test" in follow


def test_list_query_count_does_not_grow(hood: Any, django_assert_max_num_queries: Any) -> None:
    worker = factories.UserFactory.create(roles=[Role.COMMUNITY_WORKER])
    for i in range(15):
        propose(hood, title=f"Initiatief {i}")
    client = client_for(worker)
    with django_assert_max_num_queries(12):
        assert client.get("/initiatieven/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/initiatieven/budgetten/").status_code == 200


def test_budgets_and_routes_are_configured_in_the_admin(admin_client: Client, hood: Any) -> None:
    from buurtkracht.initiatives.models import Budget

    made = Budget.objects.get()
    assert admin_client.get("/beheer/initiatives/budget/add/").status_code == 200
    page = admin_client.get(f"/beheer/initiatives/budget/{made.pk}/change/")
    assert page.status_code == 200 and "wijkplatform Oost" in page.content.decode()


def _jpeg_with_location(size: tuple[int, int] = (2400, 1200)) -> bytes:
    """A JPEG whose EXIF carries a GPS position and a camera owner's name."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (90, 140, 60))
    exif = Image.Exif()
    exif[0x013B] = "Ria de Boer"  # Artist
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPS info
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_report_back_with_photos_strips_location_and_needs_words(
    client: Client, hood: Any, settings: Any, tmp_path: Any
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from buurtkracht.initiatives.models import ReportPhoto

    settings.MEDIA_ROOT = tmp_path
    initiative, token = _reported(hood)
    url = f"/initiatieven/volg/{token}/verslag/"
    story = {"story": "Veertien buren lopen elke week mee.", "attendance": "14"}

    # A photo without a description or the agreement, and a file that is no photo.
    bad = client.post(
        url,
        {
            **story,
            "photo_1": SimpleUploadedFile("bank.jpg", _jpeg_with_location(), "image/jpeg"),
            "photo_2": SimpleUploadedFile("bank.jpg", b"not an image", "image/jpeg"),
            "description_2": "Iets",
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Zeg in een paar woorden wat er op de foto staat" in html
    assert "staan op een openbare pagina" in html
    assert "foto" in html.lower() and ReportPhoto.objects.count() == 0
    initiative.refresh_from_db()
    assert initiative.status != Initiative.Status.REPORTED  # nothing saved

    ok = client.post(
        url,
        {
            **story,
            "photo_1": SimpleUploadedFile("bank.jpg", _jpeg_with_location(), "image/jpeg"),
            "description_1": "Tien buren op de nieuwe bank",
            "photos_agreed": "on",
        },
    )
    assert ok.status_code == 302
    photo = ReportPhoto.objects.get()
    assert photo.image.name.startswith("initiatives/") and "bank" not in photo.image.name
    with Image.open(io.BytesIO(photo.image.read())) as stored:
        assert max(stored.size) == 1600
        assert not stored.getexif()  # no GPS position, no name
    body = client.get("/initiatieven/resultaten/").content.decode()
    assert 'alt="Tien buren op de nieuwe bank"' in body
    assert photo.image.url in body


def test_two_initiators_editing_at_once_lose_no_change(client: Client, hood: Any) -> None:
    """Issue 15, finding 9: two tabs (or two neighbours with the link) lost one change."""
    initiative, token = propose(hood)
    url = f"/initiatieven/volg/{token}/wijzigen/"
    other = Client()
    tab_one = opened_at(client.get(url).content.decode())
    tab_two = opened_at(other.get(url).content.decode())
    assert client.post(url, {**form_data(hood, title="Wandelclub"), **tab_one}).status_code == 302
    response = other.post(url, {**form_data(hood, helpers="Kees en Anja"), **tab_two})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit gewijzigd" in page
    assert "“Wandelgroep Lindenstraat” werd “Wandelclub”" in page
    assert "Kees en Anja" in page
    initiative.refresh_from_db()
    assert (initiative.title, initiative.helpers) == ("Wandelclub", "")


def test_a_request_for_changes_meanwhile_is_not_taken_as_answered(
    client: Client, hood: Any
) -> None:
    initiative, token = propose(hood)
    url = f"/initiatieven/volg/{token}/wijzigen/"
    opened = opened_at(client.get(url).content.decode())
    worker = community_worker()
    assert initiative.budget is not None
    services.budget_assign(initiative=initiative, budget=initiative.budget, user=worker)
    services.decision_record(
        initiative=initiative,
        outcome=Decision.Outcome.CHANGES,
        reason="Wat kost het bankje precies?",
        user=worker,
    )
    response = client.post(url, {**form_data(hood, title="Wandelclub"), **opened})
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.CHANGES_REQUESTED
    assert initiative.title == "Wandelgroep Lindenstraat"
