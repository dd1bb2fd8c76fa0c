"""Learning circles: who may do what, membership-only visibility, the limited role of
outside members, no case data, and the public summary without names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.two_factor import needs_two_factor
from buurtkracht.audit.models import AuditEvent
from buurtkracht.circles import services
from buurtkracht.circles.forms import CircleMeetingForm, DocumentForm, refuse_case_data
from buurtkracht.circles.models import Circle, Member
from buurtkracht.households.models import Household, Person
from tests import factories
from tests.circles.helpers import PDF_BYTES, circle_planted, join, start
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invite(circle: Circle, personas: Personas, email: str = "an@voorbeeld.nl") -> Member:
    return services.member_invite(
        circle=circle,
        by=personas.team_leader,
        first_name="An",
        last_name="de Vries",
        email=email,
        kind=Member.Kind.RESIDENT,
        speaks_for="",
        support_team=False,
        base_url="https://buurtkracht.example/",
    )


# --- services -------------------------------------------------------------------------


def test_a_team_leader_starts_a_circle_and_is_its_support_team(personas: Personas) -> None:
    circle = start(personas)
    member = circle.members.get()
    assert member.user == personas.team_leader and member.support_team
    assert AuditEvent.objects.filter(actor_id=personas.team_leader.pk, action="create").exists()


@pytest.mark.parametrize("name", ["worker", "resident", "circle_member", "policy_advisor"])
def test_others_cannot_start_a_circle(personas: Personas, name: str) -> None:
    hood = personas.household.address.neighbourhood
    assert hood is not None
    with pytest.raises(PermissionDenied):
        services.circle_start(
            user=personas.all()[name],
            title="Eenzaamheid",
            question="Wat helpt?",
            neighbourhoods=[hood],
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + dt.timedelta(days=90),
        )


def test_the_end_cannot_come_before_the_start(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        services.circle_start(
            user=personas.team_leader,
            title="Eenzaamheid",
            question="Wat helpt?",
            neighbourhoods=[],
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() - dt.timedelta(days=1),
        )


def test_inviting_someone_without_an_account_makes_a_limited_one(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    circle = start(personas)
    with django_capture_on_commit_callbacks(execute=True):
        member = invite(circle, personas)
    account = member.user
    assert account.role_set == {Role.CIRCLE_MEMBER}
    assert not account.has_usable_password()
    assert not needs_two_factor(account)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@voorbeeld.nl"]
    assert "/accounts/" in mail.outbox[0].body
    # Someone already invited is not added twice.
    with pytest.raises(ValidationError):
        invite(circle, personas)


def test_an_existing_account_joins_as_it_is(personas: Personas) -> None:
    personas.worker.email = "wijkwerker@gemeente.example"
    personas.worker.save()
    circle = start(personas)
    member = invite(circle, personas, email="Wijkwerker@gemeente.example")
    assert member.user == personas.worker
    assert Role.CIRCLE_MEMBER not in member.user.role_set
    assert not mail.outbox


def test_only_the_support_team_plans_meetings_marks_moments_and_publishes(
    personas: Personas,
) -> None:
    circle = start(personas)
    join(circle, personas)
    today = timezone.localdate()
    by = personas.circle_member
    with pytest.raises(PermissionDenied):
        services.meeting_plan(circle=circle, by=by, held_on=today, place="", agenda="x")
    with pytest.raises(PermissionDenied):
        services.moment_mark(circle=circle, by=by, learnt="x", noted_on=today, meeting=None)
    with pytest.raises(PermissionDenied):
        services.summary_publish(circle=circle, by=by, learnt="x", happened="y")
    with pytest.raises(PermissionDenied):
        services.member_invite(
            circle=circle,
            by=by,
            first_name="Bo",
            last_name="Smit",
            email="bo@voorbeeld.nl",
            kind=Member.Kind.RESIDENT,
            speaks_for="",
            support_team=False,
            base_url="https://buurtkracht.example/",
        )


def test_every_member_adds_actions_and_documents_outsiders_none(personas: Personas) -> None:
    circle = start(personas)
    member = join(circle, personas)
    today = timezone.localdate()
    action = services.action_add(
        circle=circle, by=personas.circle_member, what="Flyer", owner=member, due_on=today
    )
    services.action_done(action=action, by=personas.circle_member)
    action.refresh_from_db()
    assert action.done_on == today
    services.document_add(
        circle=circle, by=personas.circle_member, title="Site", link="https://example.org/"
    )
    with pytest.raises(PermissionDenied):
        services.action_add(circle=circle, by=personas.worker, what="x", owner=member, due_on=today)
    with pytest.raises(ValidationError):
        services.document_add(circle=circle, by=personas.circle_member, title="Niets")


def test_a_moment_links_only_a_meeting_of_its_own_circle(personas: Personas) -> None:
    circle = start(personas)
    other = start(personas, title="Armoede")
    meeting = services.meeting_plan(
        circle=other, by=personas.team_leader, held_on=timezone.localdate(), place="", agenda="a"
    )
    with pytest.raises(ValidationError):
        services.moment_mark(
            circle=circle,
            by=personas.team_leader,
            learnt="x",
            noted_on=timezone.localdate(),
            meeting=meeting,
        )


def test_removing_members_keeps_owners_of_actions_and_one_support_member(
    personas: Personas,
) -> None:
    planted = circle_planted(personas, publish=False)
    circle, member = planted["circle"], planted["member"]
    with pytest.raises(ValidationError, match="acties"):
        services.member_remove(member=member, by=personas.team_leader)
    own = circle.members.get(user=personas.team_leader)
    with pytest.raises(ValidationError, match="ondersteuningsteam"):
        services.member_remove(member=own, by=personas.team_leader)
    newcomer = invite(circle, personas)
    services.member_remove(member=newcomer, by=personas.team_leader)
    assert not circle.members.filter(pk=newcomer.pk).exists()


# --- no case data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mevrouw met BSN 111222333 belde",
        "bsn 1112.22.333",
        "Woont op 1234 AB 12",
        "Kanarievogelpad 14 heeft hulp nodig",
    ],
)
def test_text_with_a_bsn_or_an_address_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        refuse_case_data(text)
    form = CircleMeetingForm(data={"held_on": "14-1-2027", "agenda": text})
    assert not form.is_valid() and "agenda" in form.errors


@pytest.mark.parametrize(
    "text", ["We zagen 25 mensen op 3 avonden", "Bel 0612345678 voor de bus", "Lindenbuurt"]
)
def test_ordinary_text_is_taken(text: str) -> None:
    refuse_case_data(text)


def test_no_circle_model_links_to_resident_data() -> None:
    for model in apps.get_app_config("circles").get_models():
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            assert target not in (Household, Person), f"{model.__name__}.{field.name}"


def test_circle_pages_show_no_household_data(personas: Personas) -> None:
    personas.make_worker_lead()
    person = personas.household.members.get()
    planted = circle_planted(personas)
    client = client_for(personas.team_leader)
    pk = planted["pk"]
    for url in (
        reverse("circles:list"),
        reverse("circles:detail", args=[pk]),
        reverse("circles:summary", args=[pk]),
        reverse("circles:meeting-add", args=[pk]),
        reverse("workspace:my-work"),
    ):
        body = client.get(url).content.decode()
        if url == reverse("workspace:my-work"):
            body = body.split('id="circles-work-heading"', 1)[1].split("</section>", 1)[0]
        for text in (person.surname, personas.household.address.street):
            assert text not in body, (url, text)


# --- visibility -----------------------------------------------------------------------


def test_members_see_only_the_circles_they_belong_to(personas: Personas) -> None:
    mine = start(personas)
    join(mine, personas)
    other = start(personas, title="Armoede in Vogelwijk")
    page = client_for(personas.circle_member).get(reverse("circles:list")).content.decode()
    assert mine.title in page and other.title not in page
    assert (
        client_for(personas.circle_member)
        .get(reverse("circles:detail", args=[other.pk]))
        .status_code
        == 404
    )
    # A member outside the support team gets the same 404 on its pages.
    assert (
        client_for(personas.circle_member)
        .get(reverse("circles:moment-add", args=[mine.pk]))
        .status_code
        == 404
    )


def test_circle_page_queries_do_not_grow(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    planted = circle_planted(personas)
    client = client_for(personas.team_leader)
    url = reverse("circles:detail", args=[planted["pk"]])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    circle = planted["circle"]
    for number in range(4):
        member = invite(circle, personas, email=f"lid{number}@voorbeeld.nl")
        services.action_add(
            circle=circle,
            by=personas.team_leader,
            what=f"Actie {number}",
            owner=member,
            due_on=timezone.localdate(),
        )
        services.meeting_plan(
            circle=circle,
            by=personas.team_leader,
            held_on=timezone.localdate(),
            place="",
            agenda=f"Agenda {number}",
        )
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).status_code == 200


# --- pages ----------------------------------------------------------------------------


def test_support_team_marks_a_moment_and_a_refusal_keeps_the_text(personas: Personas) -> None:
    circle = start(personas)
    client = client_for(personas.team_leader)
    url = reverse("circles:moment-add", args=[circle.pk])
    refused = client.post(url, {"learnt": "BSN 111222333 gaf het inzicht", "noted_on": "x"})
    assert refused.status_code == 400
    assert "BSN 111222333 gaf het inzicht" in refused.content.decode()
    assert 'id="error-summary"' in refused.content.decode()
    today = timezone.localdate().strftime("%d-%m-%Y")
    response = client.post(url, {"learnt": "Samen eten werkt.", "noted_on": today})
    assert response.status_code == 302
    assert circle.moments.get().learnt == "Samen eten werkt."


def test_a_file_is_checked_by_its_content_and_downloaded_as_attachment(
    personas: Personas,
) -> None:
    circle = start(personas)
    join(circle, personas)
    client = client_for(personas.circle_member)
    url = reverse("circles:document-add", args=[circle.pk])
    disguised = SimpleUploadedFile("brief.pdf", b"MZ\x90\x00 program", "application/pdf")
    refused = client.post(url, {"title": "Brief", "file": disguised})
    assert refused.status_code == 400 and "geen PDF" in refused.content.decode()
    upload = SimpleUploadedFile("Uitnodiging.pdf", PDF_BYTES, "application/pdf")
    assert client.post(url, {"title": "Uitnodiging", "file": upload}).status_code == 302
    document = circle.documents.get()
    response = client.get(reverse("circles:document-download", args=[circle.pk, document.pk]))
    assert response.content == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert not DocumentForm(data={"title": "Leeg"}).is_valid()


def test_the_public_summary_names_no_one(personas: Personas) -> None:
    planted = circle_planted(personas)
    circle = planted["circle"]
    invite(circle, personas)
    anonymous = Client()
    pages = [
        anonymous.get(reverse("circles:public", args=[circle.public_id])),
        anonymous.get(reverse("circles:public-list")),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert circle.title in body
        for member in circle.members.select_related("user"):
            assert member.user.get_full_name() not in body, member.user.get_full_name()
            assert f">{member.user.last_name}<" not in body
    assert "Een vaste plek en tijd" in pages[0].content.decode()


def test_an_unpublished_summary_is_not_public(personas: Personas) -> None:
    circle = circle_planted(personas, publish=False)["circle"]
    assert Client().get(reverse("circles:public", args=[circle.public_id])).status_code == 404
    assert Client().get(reverse("circles:public", args=["geen-uuid"])).status_code == 404
    assert circle.title not in Client().get(reverse("circles:public-list")).content.decode()


def test_the_circle_member_lands_on_their_circles_and_the_menu_holds_only_them(
    personas: Personas,
) -> None:
    planted = circle_planted(personas, publish=False)
    page = client_for(personas.circle_member).get(reverse("workspace:my-work")).content.decode()
    assert "Mijn leerkringen" in page
    assert reverse("circles:detail", args=[planted["pk"]]) in page
    assert "Flyer maken" in page  # their action
    nav = page.split('<nav class="bk-nav"', 1)[1].split("</nav>", 1)[0]
    assert reverse("circles:list") in nav
    for other in (reverse("households:search"), reverse("socialmap:search"), "/meldingen/"):
        assert other not in nav
    factories.UserFactory.create()  # someone in no circle changes nothing
