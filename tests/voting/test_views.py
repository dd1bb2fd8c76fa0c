"""The voting pages: the public flow without an account (code → ballot → check →
counted), clear Dutch messages for misused codes, throttling, the letters download,
staff permissions, and the result page built from the recount."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from buurtkracht.core.models import Job
from buurtkracht.voting import services
from buurtkracht.voting.codes import code_hash
from buurtkracht.voting.letters_job import letters_take, make_letters
from buurtkracht.voting.models import Ballot, LettersDownload, VotingCode, VotingRound
from buurtkracht.voting.results import recount
from tests.conftest import Personas
from tests.versions import opened_at
from tests.voting.helpers import (
    community_worker,
    counted,
    households,
    open_round,
    place,
    voting_round,
)

pytestmark = pytest.mark.django_db


def vote(client: Client, made: VotingRound, code: str, plans: list[int]) -> str:
    client.post(f"/stemmen/{made.pk}/code/", {"code": code})
    response = client.post(
        f"/stemmen/{made.pk}/stembiljet/", {"plan": plans, "action": "confirm"}, follow=True
    )
    return response.content.decode()


def test_voting_without_an_account_with_the_running_total(client: Client) -> None:
    where = place()
    households(where.north, 1)
    made, plans = voting_round(where)
    (letter,) = open_round(made)
    page = client.get(f"/stemmen/{made.pk}/code/")
    assert page.status_code == 200 and "Stem met uw code" in page.content.decode()
    response = client.post(f"/stemmen/{made.pk}/code/", {"code": letter.code.lower()})
    assert response.status_code == 302 and response["Location"].endswith("/stembiljet/")
    ballot = client.get(f"/stemmen/{made.pk}/stembiljet/").content.decode()
    assert "€ 0 van € 10.000 gekozen" in ballot
    chosen = [plans["Bankjes"].pk, plans["Buurtfeest"].pk]
    check = client.post(f"/stemmen/{made.pk}/stembiljet/", {"plan": chosen, "action": "check"})
    assert "€ 4.000 van € 10.000 gekozen" in check.content.decode()
    assert not Ballot.objects.exists()  # checking is not voting
    done = client.post(
        f"/stemmen/{made.pk}/stembiljet/", {"plan": chosen, "action": "confirm"}, follow=True
    )
    assert "Uw stem is geteld" in done.content.decode()
    assert "telt mee" in done.content.decode()  # in the mix, and it counts
    assert services.mix_waiting(made) == 1
    assert counted(made).scores[plans["Bankjes"].pk] == 1
    # The session no longer holds the code: going back does not give a second ballot.
    again = client.get(f"/stemmen/{made.pk}/stembiljet/")
    assert again.status_code == 302 and again["Location"].endswith("/code/")


def test_over_the_budget_is_explained_and_the_choice_kept(client: Client) -> None:
    where = place()
    households(where.north, 1)
    made, plans = voting_round(where)
    (letter,) = open_round(made)
    client.post(f"/stemmen/{made.pk}/code/", {"code": letter.code})
    over = [plans["Speeltuin"].pk, plans["Bankjes"].pk, plans["Moestuin"].pk]
    response = client.post(f"/stemmen/{made.pk}/stembiljet/", {"plan": over, "action": "check"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "meer dan het budget" in body and "€ 11.700 van € 10.000 gekozen" in body
    assert body.count("checked") == 3


def test_tokens_ballot_shows_the_tokens_spread(client: Client) -> None:
    where = place()
    households(where.north, 1)
    made, plans = voting_round(where, ballot_type=VotingRound.BallotType.TOKENS)
    (letter,) = open_round(made)
    client.post(f"/stemmen/{made.pk}/code/", {"code": letter.code})
    data = {f"tokens-{plans['Bankjes'].pk}": "3", "action": "check"}
    body = client.post(f"/stemmen/{made.pk}/stembiljet/", data).content.decode()
    assert "3 van 10 munten verdeeld" in body
    data["action"] = "confirm"
    client.post(f"/stemmen/{made.pk}/stembiljet/", data)
    assert counted(made).scores[plans["Bankjes"].pk] == 3


def test_misused_codes_get_a_clear_message(client: Client) -> None:
    oost, west = place("Oost"), place("West")
    households(oost.north, 2)
    households(west.north, 1)
    made, plans = voting_round(oost)
    used, blocked = open_round(made)
    other, _ = voting_round(west)
    (west_letter,) = open_round(other)
    vote(Client(), made, used.code, [plans["Bankjes"].pk])
    services.code_block(voting_round=made, code=blocked.code, user=None)
    cases = {
        used.code: "al gestemd",
        blocked.code: "geblokkeerd",
        west_letter.code: "andere stemronde",
        "12345": "10 letters en cijfers",
        "ABCDE-FGHJK": "niet goed",
    }
    for code, message in cases.items():
        response = client.post(f"/stemmen/{made.pk}/code/", {"code": code})
        assert response.status_code == 400
        assert message in response.content.decode(), code


def test_wrong_codes_are_throttled_but_a_right_code_always_votes(client: Client) -> None:
    where = place()
    households(where.north, 1)
    made, _ = voting_round(where)
    (letter,) = open_round(made)
    for _ in range(10):
        response = client.post(f"/stemmen/{made.pk}/code/", {"code": "ABCDE-FGHJK"})
        assert response.status_code == 400 and "Deze code is niet goed" in response.content.decode()
    # Past the limit a wrong code gets a pause message, not the reason it is wrong.
    response = client.post(f"/stemmen/{made.pk}/code/", {"code": "ABCDE-FGHJK"})
    assert response.status_code == 429 and "Te veel verkeerde codes" in response.content.decode()
    assert "Deze code is niet goed" not in response.content.decode()
    # The resident who finally types the code on the letter can vote.
    response = client.post(f"/stemmen/{made.pk}/code/", {"code": letter.code})
    assert response.status_code == 302 and response["Location"].endswith("/stembiljet/")


def test_dropping_the_cookie_does_not_reset_the_count_of_the_address(
    settings: object,
) -> None:
    where = place()
    households(where.north, 1)
    made, _ = voting_round(where)
    open_round(made)
    for _ in range(50):  # a fresh session each time, as a script that drops the cookie
        Client().post(f"/stemmen/{made.pk}/code/", {"code": "ABCDE-FGHJK"})
    cache.clear()  # a second worker process shares the count too
    response = Client().post(f"/stemmen/{made.pk}/code/", {"code": "ABCDE-FGHJK"})
    assert response.status_code == 429


def test_behind_a_proxy_a_voter_is_not_refused_for_the_wrong_codes_of_others(
    settings: object,
) -> None:
    """The finding: behind the municipality's proxy everyone shared one address, and after
    91 wrong codes a voter with a right code was refused."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # type: ignore[attr-defined]
    where = place()
    households(where.north, 1)
    made, _ = voting_round(where)
    (letter,) = open_round(made)
    for n in range(91):
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(
            f"/stemmen/{made.pk}/code/", {"code": "ABCDE-FGHJK"}
        )
    voter = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    response = voter.post(f"/stemmen/{made.pk}/code/", {"code": "ABCDE-FGHJK"})
    assert response.status_code == 400 and "Deze code is niet goed" in response.content.decode()
    response = voter.post(f"/stemmen/{made.pk}/code/", {"code": letter.code})
    assert response.status_code == 302
    # Even from the guessing address itself, the right code votes.
    guesser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(60):
        guesser.post(f"/stemmen/{made.pk}/code/", {"code": "ABCDE-FGHJK"})
    response = guesser.post(f"/stemmen/{made.pk}/code/", {"code": letter.code})
    assert response.status_code == 302


def _letters(client: Client, made: VotingRound, **data: str) -> Any:
    """Make the letters as the page does: a background job (run at once in tests), then
    the one download from the page the job links to."""
    started = client.post(f"/stemmen/beheer/{made.pk}/brieven/", data)
    job = Job.objects.order_by("-pk").first()
    assert job is not None and started["Location"] == f"/taken/{job.pk}/"
    if job.state != "done":
        return job
    return client.post(job.result_url)


def test_letters_download_holds_the_codes_once_and_only_hashes_stay(personas: Personas) -> None:
    where = place()
    households(where.north, 2)
    households(where.south, 1)
    made, _ = voting_round(where)
    client = Client()
    client.force_login(community_worker())
    response = _letters(client, made)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    pdf = archive.read("brieven.pdf")
    assert pdf.startswith(b"%PDF") and b"/Count 3" in pdf  # one letter a household
    rows = list(
        csv.reader(
            io.StringIO(archive.read("postverwerker.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][-1] == "stemcode" and len(rows) == 4
    codes = [row[-1].replace("-", "") for row in rows[1:]]
    assert sorted(code_hash(c) for c in codes) == sorted(
        VotingCode.objects.values_list("code_hash", flat=True)
    )
    # Kept only sealed until the download, then not at all.
    download = LettersDownload.objects.get()
    assert download.letters == 3 and bytes(download.sealed) == b""
    assert download.downloaded_at is not None
    job = Job.objects.get()
    second = client.post(job.result_url, follow=True)
    assert "al gedownload" in second.content.decode()
    # Making them again without confirming is refused: the codes exist only in the first.
    again = _letters(client, made)
    assert again.state == "failed" and "al gemaakt" in again.failure


def test_the_letters_waiting_for_download_are_sealed_and_hold_no_code(
    personas: Personas,
) -> None:
    where = place()
    households(where.north, 2)
    made, _ = voting_round(where)
    download = LettersDownload.objects.create(
        round=made, vote_url="https://example.org/", made_by=community_worker()
    )
    from buurtkracht.core.jobs import JobRun

    job = Job.objects.create(kind="voting.letters", object_id=download.pk, claim="c")
    make_letters(JobRun(job, "c"))
    download.refresh_from_db()
    sealed = bytes(download.sealed)
    assert download.letters == 2 and sealed
    plain = zipfile.ZipFile(io.BytesIO(letters_take(download))).read("postverwerker.csv")
    for row in plain.decode("utf-8-sig").splitlines()[1:]:
        code = row.rsplit(";", 1)[-1].encode()
        assert code not in sealed and code.replace(b"-", b"") not in sealed


def test_paper_ballot_entered_by_staff_counts_for_the_letters_neighbourhood() -> None:
    where = place()
    households(where.south, 1)
    made, plans = voting_round(where)
    (letter,) = open_round(made)
    client = Client()
    client.force_login(community_worker())
    response = client.post(
        f"/stemmen/beheer/{made.pk}/papier/",
        {"code": letter.code, "plan": [plans["Moestuin"].pk]},
        follow=True,
    )
    assert "De papieren stem is geteld" in response.content.decode()
    twice = client.post(
        f"/stemmen/beheer/{made.pk}/papier/", {"code": letter.code, "plan": [plans["Bankjes"].pk]}
    )
    assert twice.status_code == 400 and "al gestemd" in twice.content.decode()
    assert counted(made).per_neighbourhood == [("Oost Noord", 0, 0), ("Oost Zuid", 0, 1)]


def test_result_is_public_once_counted_and_equals_the_recount(personas: Personas) -> None:
    where = place()
    households(where.north, 3)
    made, plans = voting_round(where)
    letters = open_round(made)
    for letter in letters:
        vote(Client(), made, letter.code, [plans["Speeltuin"].pk, plans["Bankjes"].pk])
    anonymous = Client()
    assert anonymous.get(f"/stemmen/{made.pk}/uitslag/").status_code == 404
    staff = Client()
    staff.force_login(community_worker())
    staff.post(f"/stemmen/beheer/{made.pk}/volgende-stap/")  # close
    staff.post(f"/stemmen/beheer/{made.pk}/volgende-stap/")  # count
    made.refresh_from_db()
    assert made.status == VotingRound.Status.COUNTED
    services.proposal_follow_up(
        proposal=plans["Speeltuin"],
        status="done",
        text="De speeltuin is open sinds mei.",
        user=None,
    )
    body = anonymous.get(f"/stemmen/{made.pk}/uitslag/").content.decode()
    tally = recount(made)
    assert tally.ballots == 3 and [p.title for p in tally.winners] == ["Bankjes", "Speeltuin"]
    assert "De speeltuin is open sinds mei." in body
    assert "ja: wint" in body and "Stap voor stap" in body
    assert body.count("ja: wint") == 2


def test_staff_pages_by_role(personas: Personas) -> None:
    where = place()
    households(where.north, 1)
    made, _ = voting_round(where)
    staff_urls = [
        "/stemmen/beheer/",
        f"/stemmen/beheer/{made.pk}/",
        f"/stemmen/beheer/{made.pk}/kwaliteit/",
    ]
    worker_only = ["/stemmen/beheer/nieuw/", f"/stemmen/beheer/{made.pk}/plan/"]
    anonymous = Client()
    for url in staff_urls + worker_only:
        assert anonymous.get(url).status_code == 302
    for name in ("worker", "volunteer", "resident", "privacy_officer"):
        client = Client()
        client.force_login(getattr(personas, name))
        for url in staff_urls + worker_only:
            assert client.get(url).status_code == 404, (name, url)
    advisor = Client()
    advisor.force_login(personas.policy_advisor)
    for url in staff_urls:
        assert advisor.get(url).status_code == 200, url
    for url in worker_only:
        assert advisor.get(url).status_code == 404, url
    assert advisor.post(f"/stemmen/beheer/{made.pk}/brieven/").status_code == 404
    worker = Client()
    worker.force_login(community_worker())
    for url in staff_urls + worker_only:
        assert worker.get(url).status_code == 200, url
    # A draft round is not public.
    assert anonymous.get(f"/stemmen/{made.pk}/").status_code == 404


def test_creating_a_round_and_a_plan_through_the_pages() -> None:
    where = place()
    client = Client()
    client.force_login(community_worker())
    response = client.post(
        "/stemmen/beheer/nieuw/",
        {
            "name": "Bewonersbudget Oost",
            "area": where.district.pk,
            "budget": "10000",
            "opens_on": "2026-03-01",
            "closes_on": "2026-02-01",
            "eligibility": "household",
            "ballot_type": "knapsack",
            "tokens_per_voter": "10",
            "known_initiators": "4",
        },
    )
    assert response.status_code == 400 and "sluitingsdatum" in response.content.decode()
    response = client.post(
        "/stemmen/beheer/nieuw/",
        {
            "name": "Bewonersbudget Oost",
            "area": where.district.pk,
            "budget": "10000",
            "opens_on": "2026-03-01",
            "closes_on": "2026-03-21",
            "eligibility": "household",
            "ballot_type": "knapsack",
            "tokens_per_voter": "10",
            "known_initiators": "4",
        },
    )
    made = VotingRound.objects.get()
    assert response["Location"] == f"/stemmen/beheer/{made.pk}/"
    response = client.post(
        f"/stemmen/beheer/{made.pk}/plan/",
        {"title": "Te duur", "description": "x", "cost": "20000"},
    )
    assert response.status_code == 400 and "meer dan het hele budget" in response.content.decode()
    client.post(
        f"/stemmen/beheer/{made.pk}/plan/",
        {
            "title": "Bankjes",
            "description": "Bankjes langs de Linde",
            "cost": "3200",
            "neighbourhood": where.north.pk,
        },
    )
    assert made.proposals.get().neighbourhood == where.north


def test_quality_view_rounds_small_numbers(personas: Personas) -> None:
    where = place()
    households(where.north, 12)
    households(where.south, 3)
    made, plans = voting_round(where)
    letters = open_round(made)
    north = [letter for letter in letters if letter.neighbourhood == "Oost Noord"]
    south = [letter for letter in letters if letter.neighbourhood == "Oost Zuid"]
    for letter in north[:6] + south[:2]:
        vote(Client(), made, letter.code, [plans["Bankjes"].pk])
    client = Client()
    client.force_login(personas.policy_advisor)
    response = client.get(f"/stemmen/beheer/{made.pk}/kwaliteit/")
    body = response.content.decode()
    # Six voters in Oost Noord and two in Oost Zuid, published as 5 and 0; the total is
    # their sum, so that it gives nothing away.
    quality = response.context["quality"]
    assert [str(line.voted) for line in quality.by_neighbourhood] == ["5", "0"]
    assert "Democratische kwaliteit" in body and "5 van 15 brieven" in body


def test_known_initiators_come_from_the_resident_initiatives() -> None:
    from buurtkracht.voting.quality import known_initiators
    from tests.initiatives.helpers import propose

    where = place()
    made, _plans = voting_round(where)
    # Without initiatives in the register, the number typed with the round counts.
    made.known_initiators = 9
    made.save()
    assert known_initiators(made) == 9
    propose(where.north, contact_email="Ria@Voorbeeld.nl")
    propose(where.south, title="Moestuin", contact_email="ria@voorbeeld.nl")  # same person
    propose(
        where.north,
        title="Buurtfeest",
        contact_email="",
        contact_phone="06 12345678",
        contact_name="Ahmed  Yilmaz",
    )
    from tests import factories

    elsewhere = factories.NeighbourhoodFactory.create(name="Elders")
    propose(elsewhere, title="Elders", contact_email="iemand@voorbeeld.nl")
    assert known_initiators(made) == 2


def test_a_lost_download_is_made_again_only_when_the_worker_confirms() -> None:
    where = place()
    households(where.north, 2)
    made, _ = voting_round(where)
    client = Client()
    client.force_login(community_worker())
    _letters(client, made)
    first = set(VotingCode.objects.values_list("code_hash", flat=True))
    page = client.get(f"/stemmen/beheer/{made.pk}/").content.decode()
    assert "Download kwijt? Maak de brieven opnieuw" in page
    # Without the box ticked nothing changes.
    refused = _letters(client, made)
    assert refused.state == "failed" and "Maak de brieven opnieuw" in refused.failure
    assert set(VotingCode.objects.values_list("code_hash", flat=True)) == first
    response = _letters(client, made, again="yes")
    assert response["Content-Type"] == "application/zip"
    second = set(VotingCode.objects.values_list("code_hash", flat=True))
    assert len(second) == 2 and not second & first


def test_two_tabs_writing_one_follow_through_lose_no_change() -> None:
    """Issue 15, finding 9: the second follow-through undid the first unseen."""
    made, plans = voting_round(place())
    proposal = plans["Speeltuin"]
    url = f"/stemmen/beheer/{made.pk}/plan/{proposal.pk}/"
    first, second = Client(), Client()
    worker = community_worker()
    first.force_login(worker)
    second.force_login(worker)
    tab_one = opened_at(first.get(url).content.decode())
    tab_two = opened_at(second.get(url).content.decode())

    done = {"follow_up_status": "done", "follow_up_text": "De speeltuin is open sinds mei."}
    assert first.post(url, {**done, **tab_one}).status_code == 302
    mine = {"follow_up_status": "done", "follow_up_text": "Open, met een bankje erbij."}
    response = second.post(url, {**mine, **tab_two})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft dit gewijzigd terwijl u eraan werkte" in page
    assert "“De speeltuin is open sinds mei.”" in page  # what the first tab saved
    assert "Open, met een bankje erbij." in page  # what the second user typed is kept
    proposal.refresh_from_db()
    assert (proposal.follow_up_text, proposal.version) == ("De speeltuin is open sinds mei.", 2)

    again = opened_at(page)
    assert again["version"] == "2"
    assert second.post(url, {**mine, **again}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.follow_up_text, proposal.version) == ("Open, met een bankje erbij.", 3)
