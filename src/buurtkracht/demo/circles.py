"""Learning circles for the demo (issue 20): a running circle on loneliness in a
neighbourhood of Oost, with two residents, the library (`kringlid`) and a shopkeeper as
members from outside, two meetings with notes, learning moments and actions; and an
earlier circle on getting around without a car, finished, with its public summary.

Everything is synthetic and holds no resident case data: the residents in a circle are
members, not households; what is written names no one who gets help. Meetings and
moments lie in the past; only actions look ahead (a date to finish by).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.services import role_grant
from buurtkracht.circles import services
from buurtkracht.circles.models import Circle, Member
from buurtkracht.core.filetypes import PDF, Examined
from buurtkracht.core.models import Team
from buurtkracht.core.pdf import Document as PdfDocument
from buurtkracht.demo.clock import days_ago
from buurtkracht.demo.staff import EMAIL_DOMAIN, HOME_TEAM, LIBRARY

# Members from outside who are not demo logins: (username, first, last, kind, on behalf of).
OUTSIDERS = (
    ("kring.fatima", "Fatima", "El Idrissi", Member.Kind.RESIDENT, ""),
    ("kring.henk", "Henk", "Bosman", Member.Kind.RESIDENT, ""),
    ("kring.buurtsuper", "Joost", "Verhoef", Member.Kind.BUSINESS, "Buurtsuper De Linde"),
)


def _outsider(username: str, first_name: str, last_name: str, password_hash: str) -> User:
    """An account for a member from outside, with the limited role (in real life made by
    the invitation, which mails an activation link; here with the demo password)."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{EMAIL_DOMAIN}",
        password=password_hash,
    )
    user.save()
    role_grant(user=user, role=Role.CIRCLE_MEMBER)
    return user


def _join(
    circle: Circle, user: User, kind: str, speaks_for: str = "", support: bool = False
) -> Member:
    return Member.objects.create(
        circle=circle, user=user, kind=kind, speaks_for=speaks_for, support_team=support
    )


@transaction.atomic
def circles_demo_create() -> None:
    starter = User.objects.get(username="opbouwwerker")
    library_worker = User.objects.get(username="kringlid")
    worker = User.objects.get(username="wijkwerker")
    hoods = list(Team.objects.get(name=HOME_TEAM).neighbourhoods.order_by("cbs_code")[:2])
    today = timezone.localdate()

    # The finished earlier circle, with its public summary.
    earlier = services.circle_start(
        user=starter,
        title="Zonder auto op pad",
        question="Hoe komen ouderen zonder auto bij de huisarts, de markt en elkaar?",
        neighbourhoods=hoods[-1:],
        starts_on=today - dt.timedelta(days=420),
        ends_on=today - dt.timedelta(days=120),
    )
    services.summary_publish(
        circle=earlier,
        by=starter,
        learnt=(
            "Vervoer is zelden het echte probleem: mensen vragen niet graag om een lift. "
            "Een vaste rit op een vaste dag voelt niet als een gunst. Wie zelf een keer "
            "rijdt, vraagt daarna makkelijker iets terug."
        ),
        happened=(
            "Twaalf buren rijden nu om beurten de marktbus op donderdag. De huisartsenpraktijk "
            "noemt de rit bij het maken van een afspraak. De bibliotheek houdt de rooster bij."
        ),
    )
    Circle.objects.filter(pk=earlier.pk).update(published_at=days_ago(100, 16))

    # The running circle on loneliness.
    circle = services.circle_start(
        user=starter,
        title="Eenzaamheid in de buurt",
        question=(
            "Hoe vinden buren die zich alleen voelen elkaar, zonder dat het een project "
            "wordt waar je je voor moet aanmelden?"
        ),
        neighbourhoods=hoods[:1],
        starts_on=today - dt.timedelta(days=75),
        ends_on=today + dt.timedelta(days=200),
    )
    _join(
        circle,
        library_worker,
        Member.Kind.ORGANISATION,
        library_worker.organisation.name if library_worker.organisation else "",
    )
    _join(circle, worker, Member.Kind.STAFF, "Team Oost")
    outsiders = {
        username: _join(
            circle,
            _outsider(username, first, last, library_worker.password),
            kind,
            speaks_for,
            support=username == "kring.fatima",
        )
        for username, first, last, kind, speaks_for in OUTSIDERS
    }
    library = circle.members.get(user=library_worker)

    first = services.meeting_plan(
        circle=circle,
        by=starter,
        held_on=today - dt.timedelta(days=56),
        place="Bibliotheek, leeszaal",
        agenda="Kennismaken. Wat verstaan we onder eenzaamheid? Wat zien we in de buurt?",
    )
    services.meeting_update(
        meeting=first,
        by=starter,
        held_on=first.held_on,
        place=first.place,
        agenda=first.agenda,
        notes=(
            "Elf mensen aanwezig. Iedereen kent wel iemand die weinig de deur uit komt, maar "
            "niemand weet hoe je dat aankaart zonder iemand te kwetsen. De buurtsuper ziet "
            "vaste klanten die lang blijven praten bij de kassa. De bibliotheek heeft een "
            "leestafel die 's ochtends leeg staat."
        ),
    )
    second = services.meeting_plan(
        circle=circle,
        by=starter,
        held_on=today - dt.timedelta(days=14),
        place="Buurtsuper De Linde, kantine",
        agenda="Terugblik op de koffieochtenden. Wat werkt, wat niet? Plannen voor de winter.",
    )
    services.meeting_update(
        meeting=second,
        by=starter,
        held_on=second.held_on,
        place=second.place,
        agenda=second.agenda,
        notes=(
            "De koffieochtend op dinsdag trekt elke week meer mensen, vooral via de kassa van "
            "de buurtsuper. Een uitnodiging op papier werkt beter dan een bericht in de app. "
            "Voor de winter: een vaste tafel in de bibliotheek, ook op zaterdag."
        ),
    )
    services.moment_mark(
        circle=circle,
        by=starter,
        learnt=(
            "Wie alleen is, komt eerder op een plek waar hij toch al komt dan op een "
            "activiteit 'voor eenzamen'."
        ),
        noted_on=first.held_on,
        meeting=first,
    )
    services.moment_mark(
        circle=circle,
        by=outsiders["kring.fatima"].user,
        learnt=(
            "Een persoonlijke uitnodiging op papier, meegegeven bij de kassa, brengt meer "
            "mensen dan een oproep online."
        ),
        noted_on=second.held_on,
        meeting=second,
    )
    done = services.action_add(
        circle=circle,
        by=starter,
        what="Uitnodigingen voor de koffieochtend drukken",
        owner=library,
        due_on=today - dt.timedelta(days=40),
    )
    services.action_done(action=done, by=library_worker)
    services.action_add(
        circle=circle,
        by=starter,
        what="Vaste leestafel op zaterdag regelen",
        owner=library,
        due_on=today + dt.timedelta(days=21),
    )
    services.action_add(
        circle=circle,
        by=starter,
        what="Uitnodiging meegeven aan vaste klanten",
        owner=outsiders["kring.buurtsuper"],
        due_on=today + dt.timedelta(days=14),
    )
    services.document_add(
        circle=circle,
        by=library_worker,
        title="Uitnodiging koffieochtend",
        examined=Examined(data=_invitation(), kind=PDF, filename="Uitnodiging koffieochtend.pdf"),
    )


def _invitation() -> bytes:
    """The flyer the library printed: made with the project's own PDF helper."""
    pdf = PdfDocument(f"{LIBRARY} · uitnodiging (demo)", title="Koffieochtend")
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.text_block("Kom je ook koffie drinken?", 16, "B")
    pdf.text_block(
        "Elke dinsdag van 10 tot 12 uur in de leeszaal van de bibliotheek. Gewoon binnenlopen, "
        "aanmelden hoeft niet. Neem gerust een buur mee.",
        11,
    )
    pdf.line_break(8)
    pdf.text_block("Dit is een verzonnen uitnodiging uit de demo van Buurtkracht.", 9)
    return bytes(pdf.output())
