"""Early signals in the demo: six months of partner signals in Lindenhoven, the outreach on
them, and this month's reports waiting for the teams.

Volumes follow the public monitor figures (seeds/004, issue 5): about 4 signals per 1,000
inhabitants a month, several signals at one address in a month now and then, and an
address that had a signal in the previous six months for a good share of them. Attempts
reach people about as often as in practice: a letter rarely (6%), a phone call in more than
half of the cases (59%), a home visit in almost half (46%). Names are spelled the ways
partners spell them (the matching evaluation set), so the review list has work on it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.core.models import Area, Organisation
from buurtkracht.demo.clock import moment_on
from buurtkracht.demo.signal_eval import EvalSignal, build_evaluation_set
from buurtkracht.households.models import Household
from buurtkracht.signals import outreach
from buurtkracht.signals.models import ApiToken, Delivery, Report
from buurtkracht.signals.services import delivery_receive_rows
from buurtkracht.signals.tokens import api_token_create

PARTNER_SHARE = (
    (Organisation.Kind.HOUSING_CORPORATION, 0.45),
    (Organisation.Kind.ENERGY_SUPPLIER, 0.30),
    (Organisation.Kind.WATER_COMPANY, 0.10),
    (Organisation.Kind.HEALTH_INSURER, 0.15),
)
REACH = {"letter": 0.06, "phone": 0.59, "home_visit": 0.46, "card": 0.15, "text": 0.3}
MONTHS = 6


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _row(
    signal: EvalSignal, reference: str, kind: str, day: dt.date, rng: random.Random
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "partner_reference": reference,
        "signal_date": day.isoformat(),
        "surname": signal.surname,
        "surname_prefix": signal.surname_prefix,
        "initials": signal.initials,
        "given_names": signal.given_names,
        "date_of_birth": signal.date_of_birth.isoformat() if signal.date_of_birth else "",
        "postcode": signal.postcode,
        "house_number": str(signal.house_number),
        "house_letter": signal.house_letter,
        "addition": signal.addition,
        "street": "",
        "town": "Lindenhoven",
        "amount": f"{rng.randint(120, 3200)}.{rng.randint(0, 99):02d}",
        "missed_terms": str(rng.randint(1, 5)),
    }
    if kind == Organisation.Kind.ENERGY_SUPPLIER and rng.random() < 0.4:
        row["end_of_supply_date"] = (day + dt.timedelta(days=rng.randint(14, 50))).isoformat()
    return row


def signals_story_create(
    *, seed: int, resident_household: Household | None, today: dt.date | None = None
) -> dict[str, int]:
    """Deliver six months of signals through the same service the partners use, and play
    the outreach of the months that are over."""
    rng = random.Random(f"buurtkracht-demo:{seed}:signals")
    today = today or timezone.localdate()
    partners = {
        kind: Organisation.objects.filter(kind=kind).order_by("pk").first()
        for kind, _share in PARTNER_SHARE
    }
    if not all(partners.values()):
        return {}
    accounts = api_tokens_create(partners)
    inhabitants = sum(
        Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).values_list("inhabitants", flat=True)
    )
    per_month = max(12, round(inhabitants * 4 / 1000))
    try:
        pool = build_evaluation_set(seed=seed, size=per_month * MONTHS, on=today)
    except ValueError:
        return {}
    rng.shuffle(pool)
    kinds: list[str] = [k for k, _s in PARTNER_SHARE]
    weights = [s for _k, s in PARTNER_SHARE]
    counts = {"signals": 0, "reports": 0}
    earlier: list[EvalSignal] = []
    reference = 0
    for back in range(MONTHS - 1, -1, -1):
        start = _month_start(today, back)
        end = min(today, _month_start(today, back - 1) - dt.timedelta(days=1))
        rows: dict[tuple[str, dt.date], list[dict[str, Any]]] = defaultdict(list)
        # Delivered at the end of the month; this month partly ten days ago, so that
        # some first attempts are overdue now.
        early = today - dt.timedelta(days=10)
        for _n in range(per_month):
            # About 40% of addresses had a signal in the six months before (monitor).
            signal = rng.choice(earlier) if earlier and rng.random() < 0.35 else pool.pop()
            earlier.append(signal)
            kind = rng.choices(kinds, weights)[0]
            day = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
            reference += 1
            delivered = end if back else (early if day <= early else today)
            rows[(kind, delivered)].append(
                _row(signal, f"{kind[:3].upper()}-{reference:06d}", kind, day, rng)
            )
        for (partner_kind, delivered_on), batch in rows.items():
            outcome = delivery_receive_rows(
                organisation=partners[partner_kind],  # type: ignore[index,arg-type]
                rows=batch,
                channel=Delivery.Channel.API,
                today=delivered_on,
                received_by=accounts.get(partner_kind),
            )
            # Received on the day it was delivered, in the morning's batch run; the
            # service stamps the moment of receipt, the demo dates it back.
            Delivery.objects.filter(pk=outcome.delivery.pk).update(
                received_at=moment_on(delivered_on, 6, rng.randint(0, 59))
            )
            counts["signals"] += len(batch)
    if resident_household is not None:
        counts["signals"] += _story_one_signals(resident_household, partners, accounts, today)
    counts["set_aside"] = _partner_upload_with_mistakes(partners, today)
    counts["reports"] = Report.objects.count()
    _play_outreach(rng, today)
    return counts


def api_tokens_create(partners: dict[Any, Any]) -> dict[Any, User | None]:
    """Every partner delivers its signals through the API, as a partner's own system does:
    with a token of its organisation, made for its liaison's account (`partner-energie`
    for the energy company), so Beheer lists the tokens the deliveries came through. The
    token itself is not kept anywhere (only its hash); make a new one in Beheer to try
    the API. Returns the account per partner kind."""
    accounts: dict[Any, User | None] = {}
    now = timezone.now()
    for kind, organisation in partners.items():
        account = (
            User.objects.filter(organisation=organisation, role_grants__role=Role.PARTNER_LIAISON)
            .order_by("pk")
            .first()
        )
        token, _plain = api_token_create(
            organisation=organisation, label="Koppeling klantsysteem", account=account
        )
        # The deliveries below came in through this token (signals_deliver would note it).
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        accounts[kind] = account
    return accounts


def _story_one_signals(
    household: Household,
    partners: dict[Any, Any],
    accounts: dict[Any, User | None],
    today: dt.date,
) -> int:
    """Story 1: rent arrears and an energy end-of-supply date at Mrs Yilmaz's address."""
    person = household.current_memberships().select_related("person").order_by("role").first()
    if person is None:
        return 0
    resident = person.person
    address = household.address
    common = {
        "surname": resident.surname,
        "surname_prefix": resident.surname_prefix,
        "initials": resident.initials,
        "date_of_birth": resident.date_of_birth.isoformat() if resident.date_of_birth else "",
        "postcode": address.postcode,
        "house_number": str(address.house_number),
        "house_letter": address.house_letter,
        "addition": address.addition,
        "signal_date": (today - dt.timedelta(days=4)).isoformat(),
    }
    delivery_receive_rows(
        organisation=partners[Organisation.Kind.HOUSING_CORPORATION],
        rows=[
            {
                **common,
                "partner_reference": "HUUR-2026-0871",
                "amount": "1460.00",
                "missed_terms": "2",
            }
        ],
        channel=Delivery.Channel.API,
        received_by=accounts.get(Organisation.Kind.HOUSING_CORPORATION),
    )
    delivery_receive_rows(
        organisation=partners[Organisation.Kind.ENERGY_SUPPLIER],
        rows=[
            {
                **common,
                "partner_reference": "EN-558120",
                "amount": "612.40",
                "missed_terms": "3",
                "end_of_supply_date": (today + dt.timedelta(days=21)).isoformat(),
            }
        ],
        channel=Delivery.Channel.API,
        received_by=accounts.get(Organisation.Kind.ENERGY_SUPPLIER),
    )
    return 2


def _partner_upload_with_mistakes(partners: dict[Any, Any], today: dt.date) -> int:
    """The housing corporation's upload of this month, with three rows set aside for the
    partner to correct (log in as `partner`): a postcode, a surname, an amount of zero.
    One signal was sent through the API last week with a lower amount: the upload brings
    the new amount, counted as "delivered before with a new amount"."""
    household = Household.objects.filter(memberships__isnull=False).order_by("-pk").first()
    if household is None:
        return 0
    member = household.current_memberships().select_related("person").first()
    if member is None:
        return 0
    person, address = member.person, household.address
    good = {
        "partner_reference": "HUUR-2026-0902",
        "signal_date": (today - dt.timedelta(days=2)).strftime("%d-%m-%Y"),
        "initials": person.initials,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
        "postcode": address.postcode,
        "house_number": str(address.house_number),
        "amount": "€ 845,00",
        "missed_terms": "2",
    }
    corporation = partners[Organisation.Kind.HOUSING_CORPORATION]
    delivery_receive_rows(
        organisation=corporation,
        rows=[{**good, "amount": "€ 760,00", "missed_terms": "1"}],
        channel=Delivery.Channel.API,
    )
    outcome = delivery_receive_rows(
        organisation=corporation,
        rows=[
            good,
            {**good, "partner_reference": "HUUR-2026-0905", "amount": "€ 312,50"},
            {**good, "partner_reference": "HUUR-2026-0903", "postcode": "1234"},
            {**good, "partner_reference": "HUUR-2026-0904", "surname": ""},
            {**good, "partner_reference": "HUUR-2026-0906", "amount": "0,00"},
        ],
        channel=Delivery.Channel.UPLOAD,
    )
    delivery = outcome.delivery
    delivery.filename = "achterstanden-woonstichting.csv"
    delivery.received_by = User.objects.filter(username="partner").first()
    delivery.save(update_fields=["filename", "received_by"])
    return delivery.rows_rejected


def _leader_assigns(report: Report, worker: User, at: dt.datetime) -> None:
    """Help accepted makes an intake for the team leader (households/grants.py): the demo's
    team leader assigns it to the worker who made contact, on the day it came in."""
    from buurtkracht.casework.intake import intake_assign
    from buurtkracht.casework.models import Intake
    from buurtkracht.households.models import Involvement

    report.refresh_from_db()
    intake = report.intake
    if intake is None or intake.status != Intake.Status.NEW or report.team_id is None:
        return
    leader = (
        TeamMembership.objects.filter(
            team_id=report.team_id, position=TeamMembership.Position.TEAM_LEADER
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if leader is None:
        return
    intake_assign(intake=intake, worker=worker, by=leader.user)
    Intake.objects.filter(pk=intake.pk).update(assigned_at=at)
    Involvement.objects.filter(household=intake.household, worker=worker).update(
        start_date=timezone.localtime(at).date(), granted_at=at
    )


def _team_workers() -> dict[int, list[User]]:
    """Workers per team who did the outreach. The memorable accounts keep the caseload the
    README's tour describes, so they are not among them."""
    workers: dict[int, list[User]] = defaultdict(list)
    for membership in (
        TeamMembership.objects.filter(
            position=TeamMembership.Position.WORKER, end_date__isnull=True
        )
        .exclude(user__username__in=["wijkwerker", "collega"])
        .select_related("user")
    ):
        workers[membership.team_id].append(membership.user)
    return workers


def _play_outreach(rng: random.Random, today: dt.date) -> None:
    """The months that are over had their outreach: attempts until someone was reached or
    the attempts ran out, then an outcome. This month: some first attempts made."""
    workers = _team_workers()
    month = today.replace(day=1)
    for report in Report.objects.filter(team__isnull=False).order_by("pk"):
        team_workers = workers.get(report.team_id or 0)
        if not team_workers:
            continue
        worker = rng.choice(team_workers)
        current = report.month >= month
        if current and rng.random() < 0.6:
            continue  # still to contact
        # A first attempt one to six days after the signal, at an hour of the working day;
        # later attempts days apart. Only attempts that have happened by now are recorded.
        when = moment_on(
            report.first_signal_date + dt.timedelta(days=rng.randint(1, 6)),
            rng.randint(9, 16),
            rng.choice((0, 15, 30, 45)),
        )
        reached = False
        for kind in ("letter", "phone", "home_visit", "card")[: 2 if current else 4]:
            if when > timezone.now():
                break
            reached = rng.random() < REACH[kind]
            outreach.attempt_record(report=report, kind=kind, reached=reached, user=worker, at=when)
            if reached:
                break
            when += dt.timedelta(days=rng.randint(2, 8))
        if current:
            continue
        # Closed on the day of the last attempt or some days after, as the work goes.
        closed = min(when + dt.timedelta(days=rng.randint(0, 4), hours=1), timezone.now())
        if reached:
            choice = rng.random()
            if choice < 0.45 and report.household_id:
                outreach.report_accept_help(report=report, user=worker, at=closed)
                _leader_assigns(report, worker, closed)
            elif choice < 0.7:
                outreach.report_close(report=report, outcome="declined", user=worker, at=closed)
            else:
                outreach.report_close(
                    report=report, outcome="already_helped", user=worker, at=closed
                )
        else:
            outcome = "resolved" if rng.random() < 0.2 else "not_reached"
            outreach.report_close(report=report, outcome=outcome, user=worker, at=closed)
