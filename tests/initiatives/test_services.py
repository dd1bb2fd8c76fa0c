"""The rules of resident initiatives: the route by amount, decisions with reasons,
funders adding up, the report back, and the secret link."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import AuditEvent
from buurtkracht.initiatives import services
from buurtkracht.initiatives.models import Decider, Decision, Initiative
from tests import factories
from tests.initiatives.helpers import budget, community_worker, proposal_input, propose

pytestmark = pytest.mark.django_db
A = Decision.Outcome


@pytest.fixture
def hood() -> object:
    district = factories.DistrictFactory.create(name="Oost")
    return factories.NeighbourhoodFactory.create(parent=district, name="Bomenbuurt")


def test_amounts_as_people_write_them() -> None:
    assert services.parse_euros("800") == Decimal("800.00")
    assert services.parse_euros("€ 1.250,50") == Decimal("1250.50")
    assert services.parse_euros("1.250") == Decimal("1250.00")
    assert services.parse_euros("99.95") == Decimal("99.95")
    assert services.parse_euros("800,-") == Decimal("800.00")
    for bad in ("", "veel", "-5", "NaN"):
        with pytest.raises(ValidationError):
            services.parse_euros(bad)


def test_a_proposal_gets_a_secret_link_stored_only_as_a_hash(hood: object) -> None:
    budget(hood.parent)  # type: ignore[attr-defined]
    initiative, token = propose(hood)  # type: ignore[arg-type]
    assert len(token) >= 30 and token not in initiative.token_hash
    assert services.initiative_by_token(token) == initiative
    assert services.initiative_by_token(token + "x") is None
    assert services.initiative_by_token("") is None
    # The district's open budget is linked at once, so the initiators see their route.
    assert initiative.budget is not None and initiative.status == Initiative.Status.SUBMITTED


def test_every_mistake_at_once_per_field(hood: object) -> None:
    data = proposal_input(
        None, title=" ", cost="veel", own_contribution="", contact_email="", contact_phone=""
    )
    with pytest.raises(ValidationError) as caught:
        services.initiative_propose(data=data)
    errors = caught.value.message_dict
    assert set(errors) == {"title", "neighbourhood", "cost", "own_contribution", "contact_email"}
    assert not Initiative.objects.exists()


def test_the_route_depends_on_the_amount(hood: object) -> None:
    made = budget(hood.parent)  # type: ignore[attr-defined]
    assert [s.decider for s in made.steps_for(Decimal("800"))] == [Decider.OFFICIAL]
    assert [s.decider for s in made.steps_for(Decimal("1000"))] == [Decider.OFFICIAL]
    assert [s.decider for s in made.steps_for(Decimal("1000.01"))] == [
        Decider.OFFICIAL,
        Decider.JURY,
    ]
    assert [s.decider for s in made.steps_for(Decimal("25000"))] == [
        Decider.OFFICIAL,
        Decider.PLATFORM,
    ]
    assert [s.decider for s in made.steps_for(Decimal("0"))] == [Decider.OFFICIAL]


def test_decisions_need_a_reason_and_follow_the_route(hood: object) -> None:
    worker = community_worker()
    made = budget(hood.parent)  # type: ignore[attr-defined]
    initiative, _ = propose(hood, cost="5000")  # type: ignore[arg-type]
    services.budget_assign(initiative=initiative, budget=made, user=worker)
    with pytest.raises(ValidationError) as caught:
        services.decision_record(initiative=initiative, outcome=A.APPROVE, reason=" ", user=worker)
    assert "reason" in caught.value.message_dict
    services.decision_record(
        initiative=initiative, outcome=A.APPROVE, reason="Past in het beleid.", user=worker
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.IN_ASSESSMENT
    step = services.current_step(initiative)
    assert step is not None and step.decider == Decider.JURY
    next_ = services.next_step(initiative)
    assert next_ is not None and next_.who == "jury"
    services.decision_record(
        initiative=initiative, outcome=A.APPROVE, reason="Goed voor de buurt.", user=worker
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.APPROVED
    assert initiative.approved_amount == Decimal("5000.00")
    assert [d.decided_as for d in initiative.decisions.all()][1] == "jury"
    assert AuditEvent.objects.filter(object_type="initiatives.Decision").count() == 2


def test_changes_asked_then_edited_goes_back_to_the_same_step(hood: object) -> None:
    worker = community_worker()
    made = budget(hood.parent)  # type: ignore[attr-defined]
    initiative, _ = propose(hood)  # type: ignore[arg-type]
    services.budget_assign(initiative=initiative, budget=made, user=worker)
    services.decision_record(
        initiative=initiative, outcome=A.CHANGES, reason="Vraag eerst de buren.", user=worker
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.CHANGES_REQUESTED
    services.initiative_update(
        initiative=initiative,
        data=proposal_input(hood, cost="700"),  # type: ignore[arg-type]
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.IN_ASSESSMENT
    assert initiative.cost == Decimal("700.00")
    services.decision_record(initiative=initiative, outcome=A.REJECT, reason="Nee.", user=worker)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REJECTED
    with pytest.raises(ValidationError):
        services.initiative_update(initiative=initiative, data=proposal_input(hood))  # type: ignore[arg-type]


def test_a_vote_step_needs_a_reference_and_a_policy_advisor_decides_only_for_an_official(
    hood: object,
) -> None:
    worker = community_worker()
    advisor = factories.UserFactory.create(roles=[Role.POLICY_ADVISOR])
    made = budget(hood.parent)  # type: ignore[attr-defined]
    made.steps.filter(decider=Decider.JURY).update(decider=Decider.VOTE, decider_label="")
    initiative, _ = propose(hood, cost="2000")  # type: ignore[arg-type]
    services.budget_assign(initiative=initiative, budget=made, user=worker)
    services.decision_record(
        initiative=initiative, outcome=A.APPROVE, reason="Past in het beleid.", user=advisor
    )
    with pytest.raises(PermissionDenied):
        services.decision_record(
            initiative=initiative, outcome=A.APPROVE, reason="Gewonnen.", user=advisor
        )
    with pytest.raises(ValidationError) as caught:
        services.decision_record(
            initiative=initiative, outcome=A.APPROVE, reason="Gewonnen.", user=worker
        )
    assert "reference" in caught.value.message_dict
    services.decision_record(
        initiative=initiative,
        outcome=A.APPROVE,
        reason="Gewonnen.",
        reference="Stemronde Oost voorjaar: 212 stemmen, plaats 2",
        user=worker,
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.APPROVED


def _approved(hood: object) -> Initiative:
    worker = community_worker()
    made = budget(hood.parent)  # type: ignore[attr-defined]
    initiative, _ = propose(hood)  # type: ignore[arg-type]
    services.budget_assign(initiative=initiative, budget=made, user=worker)
    services.decision_record(initiative=initiative, outcome=A.APPROVE, reason="Ja.", user=worker)
    initiative.refresh_from_db()
    return initiative


def test_funders_add_up_to_one_hundred_percent(hood: object) -> None:
    initiative = _approved(hood)
    worker = initiative.decisions.get().recorded_by
    corporation = factories.OrganisationFactory.create(
        name="Woonstichting Test", housing_corporation=True
    )
    with pytest.raises(ValidationError) as caught:
        services.funding_set(
            initiative=initiative,
            shares=[
                services.FundingShare(Decimal("70"), name="Gemeente"),
                services.FundingShare(Decimal("20"), organisation=corporation),
            ],
            user=worker,
        )
    assert "90%" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.initiative_mark_paid(initiative=initiative, user=worker)
    made = services.funding_set(
        initiative=initiative,
        shares=[
            services.FundingShare(Decimal("70"), name="Gemeente"),
            services.FundingShare(Decimal("30"), organisation=corporation),
        ],
        user=worker,
    )
    assert [(f.funder_name, f.amount) for f in made] == [
        ("Gemeente", Decimal("560.00")),
        ("Woonstichting Test", Decimal("240.00")),
    ]
    services.initiative_mark_paid(initiative=initiative, user=worker)
    assert initiative.status == Initiative.Status.RUNNING
    line = services.budget_overview([initiative.budget])[0]
    assert line.committed == line.paid == Decimal("800.00")
    assert line.left == Decimal("24200.00")


def test_report_back(hood: object) -> None:
    initiative = _approved(hood)
    with pytest.raises(ValidationError) as caught:
        services.report_create(initiative=initiative, story="", attendance=None)
    assert set(caught.value.message_dict) == {"story", "attendance"}
    services.report_create(initiative=initiative, story="Veertien buren lopen mee.", attendance=14)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REPORTED
    with pytest.raises(ValidationError):
        services.report_create(initiative=initiative, story="Nog eens", attendance=1)


def test_staff_writes_need_the_role(hood: object) -> None:
    initiative, _ = propose(hood)  # type: ignore[arg-type]
    advisor = factories.UserFactory.create(roles=[Role.POLICY_ADVISOR])
    with pytest.raises(PermissionDenied):
        services.support_record(
            initiative=initiative, date=timezone.localdate(), what="Geholpen", user=advisor
        )


def test_withdraw(hood: object) -> None:
    initiative, _ = propose(hood)  # type: ignore[arg-type]
    services.initiative_withdraw(initiative=initiative)
    assert initiative.status == Initiative.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.initiative_withdraw(initiative=initiative)
