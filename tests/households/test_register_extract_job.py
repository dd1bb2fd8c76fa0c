"""A register extract uploaded by the functional administrator is taken in by a
background job: progress on the job's page, the counts on the extract's page, the file
deleted once taken in, the same extract twice changing nothing, and nobody else may."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.core.models import Job
from buurtkracht.households.models import Membership, RegisterExtract
from tests.conftest import Personas
from tests.households import test_register_import
from tests.households.test_register_import import family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("addresses")]
addresses = test_register_import.addresses  # the doors the family lives at


def _upload(client: Client, data: bytes, on: str | None = None) -> Any:
    day = on or timezone.localdate().strftime("%d-%m-%Y")
    return client.post(
        reverse("households:register-extracts"),
        {"file": SimpleUploadedFile("brp.jsonl", data), "on": day},
    )


def test_an_extract_is_taken_in_by_a_job_and_the_same_one_again_changes_nothing(
    personas: Personas,
) -> None:
    data = "\n".join(json.dumps(r) for r in family()).encode()
    client = Client()
    client.force_login(personas.functional_admin)
    response = _upload(client, data)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/taken/{job.pk}/"
    assert job.state == "done" and job.started_by == personas.functional_admin
    extract = RegisterExtract.objects.get()
    assert extract.status == RegisterExtract.Status.DONE
    assert extract.counts["new"] == 5 and extract.counts["set_aside"] == 0
    assert bytes(extract.data) == b""  # the file is not kept once taken in
    assert job.result_url == reverse("households:register-extract", args=[extract.pk])
    assert Membership.objects.filter(person__bsn__isnull=False).count() == 5
    page = client.get(job.result_url).content.decode()
    assert "Wat veranderde" in page and "brp.jsonl" in page

    _upload(client, data)
    again = RegisterExtract.objects.order_by("-pk").first()
    assert again is not None and again.status == RegisterExtract.Status.DONE
    assert again.counts["new"] == 0 and again.counts["unchanged"] == 5
    assert Membership.objects.filter(person__bsn__isnull=False).count() == 5


def test_lines_set_aside_are_listed_and_the_rest_taken_in(
    personas: Personas,
) -> None:
    wrong_date = family()[0]
    wrong_date["burgerservicenummer"] = "123456782"
    wrong_date["geboorte"] = {"datum": {"datum": "31-02-1980"}}
    records = [json.dumps(r) for r in family()] + ["{not json", json.dumps(wrong_date)]
    client = Client()
    client.force_login(personas.functional_admin)
    _upload(client, "\n".join(records).encode())
    extract = RegisterExtract.objects.get()
    assert extract.counts["new"] == 5 and extract.counts["set_aside"] == 2
    assert extract.errors[0].startswith("Regel 6")
    # What to fix, without the resident's values: the administrator sees no residents.
    assert extract.errors[1].startswith("Regel 7")
    assert "31-02-1980" not in extract.errors[1] and "123456782" not in " ".join(extract.errors)


def test_a_date_in_the_future_is_refused_and_only_the_administrator_may(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.functional_admin)
    response = _upload(client, b"{}", on="31-12-2999")
    assert response.status_code == 400
    assert "ligt in de toekomst" in response.content.decode()
    assert not RegisterExtract.objects.exists()
    for user in (personas.worker, personas.team_leader, personas.privacy_officer):
        other = Client()
        other.force_login(user)
        assert other.get(reverse("households:register-extracts")).status_code == 404
        assert _upload(other, b"{}").status_code == 404
