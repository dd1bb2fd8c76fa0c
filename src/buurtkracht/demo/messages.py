"""Messages in the demo (issue 19): `bewoner` of story 1 and their lead worker
`wijkwerker` wrote to each other in the past few days about a letter from the energy
company; the resident's last message is still unread, so the worker sees it waiting on
Mijn werk and on the file, and the resident sees the conversation on their own page."""

from __future__ import annotations

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Ground
from buurtkracht.casework.services import message_send
from buurtkracht.demo.clock import days_ago
from buurtkracht.households.models import Household, Involvement

# (days ago, hour, minute, who writes, text): oldest first.
CONVERSATION = (
    (
        3,
        19,
        40,
        "bewoner",
        "Goedenavond, vandaag kwam er weer een brief van de energieleverancier. "
        "Moet ik die meenemen naar de afspraak bij de schuldhulp?",
    ),
    (
        2,
        9,
        15,
        "wijkwerker",
        "Goedemorgen, ja, neem hem mee. Leg hem bij de andere brieven, "
        "dan kijken we er samen naar voordat we gaan.",
    ),
    (
        1,
        20,
        5,
        "bewoner",
        "Dank u. Mijn zoon wil ook mee naar de afspraak. Is dat goed?",
    ),
)


def messages_demo_create(*, resident_household: Household | None) -> int:
    """Returns how many messages were written (0 without story 1 or its lead worker)."""
    users = {u.username: u for u in User.objects.filter(username__in=["bewoner", "wijkwerker"])}
    resident, worker = users.get("bewoner"), users.get("wijkwerker")
    if (
        resident is None
        or worker is None
        or resident_household is None
        or resident.person_id not in resident_household.current_member_ids()
        or not Involvement.objects.filter(
            household=resident_household, worker=worker, end_date__isnull=True
        ).exists()
    ):
        return 0
    for days, hour, minute, who, text in CONVERSATION:
        message_send(
            household=resident_household,
            author=resident if who == "bewoner" else worker,
            text=text,
            ground=Ground.OWN_DATA if who == "bewoner" else Ground.INVOLVEMENT,
            sent_at=days_ago(days, hour, minute),
        )
    return len(CONVERSATION)
