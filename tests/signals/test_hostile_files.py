"""Hostile partner files lose nothing silently (issue 17, item 6): every file of the corpus
in tests/signals/hostile_files.py goes through the service, the command and the upload page
with the same result and no crash; and what differs per channel (the choice to leave
unknown columns out, the word that a file was delivered before, new amounts) is said by
each of them."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buurtkracht.core.models import Organisation
from buurtkracht.signals.models import Delivery, RejectedRow, Report, Signal
from buurtkracht.signals.parsing import SignalFileError, UnknownColumnsError
from buurtkracht.signals.services import delivery_receive_file
from tests.conftest import Personas
from tests.signals.hostile_files import HEADER, HostileFile, Snapshot, _csv, _row, corpus

pytestmark = pytest.mark.django_db

CORPUS = corpus()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages in English, the language of the msgids, in all three channels."""
    with translation.override("en"):
        yield


def snapshot() -> Snapshot:
    delivery = Delivery.objects.order_by("pk").last()
    assert delivery is not None
    return {
        "status": delivery.status,
        "message": delivery.message,
        "counts": (
            delivery.rows_total,
            delivery.rows_valid,
            delivery.rows_rejected,
            delivery.rows_duplicate,
            delivery.rows_updated,
        ),
        "ignored": delivery.ignored_columns,
        "aside": sorted(
            (row.line, tuple(e["message"] for e in row.errors)) for row in RejectedRow.objects.all()
        ),
        "signals": sorted(
            (
                s.partner_reference,
                s.surname,
                s.given_names,
                s.initials,
                s.surname_prefix,
                s.house_number,
                s.house_letter,
                s.addition,
                str(s.amount),
                s.missed_terms,
                s.end_of_supply_date,
            )
            for s in Signal.objects.all()
        ),
    }


# --- the three channels ------------------------------------------------------------------
# Each delivers `data` and gives back what the partner was told (the message of a refused
# file, or "" when it was taken in).


def _partner(personas: Personas) -> Organisation:
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    return organisation


def by_service(personas: Personas, data: bytes, filename: str, skip: bool = False) -> str:
    try:
        delivery_receive_file(
            organisation=_partner(personas),
            data=data,
            filename=filename,
            user=personas.partner_liaison,
            allow_unknown_columns=skip,
        )
    except SignalFileError as error:
        return error.message
    return ""


def by_command(
    personas: Personas, data: bytes, filename: str, skip: bool = False, tmp: Path | None = None
) -> str:
    assert tmp is not None
    path = tmp / filename
    path.write_bytes(data)
    options = ["--skip-unknown-columns"] if skip else []
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    try:
        call_command(
            "import_signals", str(path), "--partner", organisation.name, "--no-progress", *options
        )
    except CommandError as error:
        return str(error)
    return ""


def by_page(personas: Personas, data: bytes, filename: str, skip: bool = False) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.partner_liaison)
    form: dict[str, Any] = {"file": SimpleUploadedFile(filename, data), "upload_id": ""}
    if skip:
        form["skip_unknown_columns"] = "on"
    response = client.post(reverse("signals:deliver"), form)
    if response.status_code == 302:
        return ""
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    delivery = Delivery.objects.order_by("pk").last()
    assert delivery is not None and delivery.message in page  # said on the page
    return delivery.message


Channel = Callable[..., str]
CHANNELS: dict[str, Channel] = {"service": by_service, "command": by_command, "page": by_page}


def deliver(
    channel: str, personas: Personas, data: bytes, filename: str, tmp: Path, **kw: Any
) -> str:
    if channel == "command":
        return by_command(personas, data, filename, tmp=tmp, **kw)
    return CHANNELS[channel](personas, data, filename, **kw)


def run_in_savepoint(channel: str, personas: Personas, file: HostileFile, tmp: Path) -> Snapshot:
    """Deliver through one channel and undo it, so the next channel starts alike."""
    with transaction.atomic():
        said = deliver(channel, personas, file.data, file.filename, tmp)
        result = snapshot()
        result["said"] = said
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("file", CORPUS, ids=[f.name for f in CORPUS])
def test_every_channel_gives_the_same_result(
    file: HostileFile, personas: Personas, tmp_path: Path
) -> None:
    results = {name: run_in_savepoint(name, personas, file, tmp_path) for name in CHANNELS}

    service = results["service"]
    command_said = results["command"].pop("said")
    for name in ("command", "page"):
        results[name].pop("said", None)
    said = service.pop("said")
    assert results["command"] == service
    assert results["page"] == service
    if file.refused:
        assert service["status"] == Delivery.Status.FAILED
        assert file.refused in said, said
        assert said in command_said  # the command line says it too
        assert service["signals"] == [] and service["aside"] == []
    else:
        assert said == "" and service["status"] == Delivery.Status.DONE, said
        assert (len(service["signals"]), len(service["aside"])) == (file.taken, file.aside)
        for line, messages in service["aside"]:
            assert messages, line  # every row set aside says why
    if file.check is not None:
        file.check(service)


def test_the_corpus_is_not_trivial() -> None:
    assert len(CORPUS) >= 20
    assert sum(1 for f in CORPUS if f.refused) >= 8
    assert sum(1 for f in CORPUS if f.aside) >= 6


# --- unknown columns: stopped, then delivered without them when the partner says so ------

UNKNOWN = _csv([HEADER + ";Bedr. achterst.", _row("K-1") + ";12,00"])


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_unknown_columns_stop_the_file_until_the_partner_leaves_them_out(
    channel: str, personas: Personas, tmp_path: Path
) -> None:
    said = deliver(channel, personas, UNKNOWN, "signalen.csv", tmp_path)

    assert "“Bedr. achterst.”" in said and "Bedrag achterstand" in said
    assert not Signal.objects.exists()

    assert deliver(channel, personas, UNKNOWN, "signalen.csv", tmp_path, skip=True) == ""
    delivery = Delivery.objects.order_by("pk").last()
    assert delivery is not None and delivery.ignored_columns == ["Bedr. achterst."]
    assert Signal.objects.get().amount is not None


def test_the_command_says_how_to_leave_unknown_columns_out(
    personas: Personas, tmp_path: Path
) -> None:
    said = by_command(personas, UNKNOWN, "signalen.csv", tmp=tmp_path)

    assert "--skip-unknown-columns" in said


def test_the_page_offers_to_leave_unknown_columns_out(personas: Personas) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.partner_liaison)
    upload = SimpleUploadedFile("signalen.csv", UNKNOWN)
    response = client.post(reverse("signals:deliver"), {"file": upload})

    assert response.status_code == 400
    assert 'name="skip_unknown_columns"' in response.content.decode()
    assert (
        'name="skip_unknown_columns"' not in client.get(reverse("signals:deliver")).content.decode()
    )


def test_the_service_names_the_unknown_columns(personas: Personas) -> None:
    with pytest.raises(UnknownColumnsError) as caught:
        delivery_receive_file(organisation=_partner(personas), data=UNKNOWN, filename="s.csv")
    assert caught.value.columns == ["Bedr. achterst."]


# --- a signal delivered again with a new amount --------------------------------------------


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_a_new_amount_for_a_signal_delivered_before_is_taken(
    channel: str, personas: Personas, tmp_path: Path
) -> None:
    first = _csv([HEADER, _row("A-1", amount="100,00"), _row("A-2", amount="50,00")])
    second = _csv([HEADER, _row("A-1", amount="340,00"), _row("A-2", amount="50,00")])
    assert deliver(channel, personas, first, "januari.csv", tmp_path) == ""
    report = Report.objects.get()
    before = report.priority

    assert deliver(channel, personas, second, "februari.csv", tmp_path) == ""

    amounts = dict(Signal.objects.values_list("partner_reference", "amount"))
    assert {ref: str(amount) for ref, amount in amounts.items()} == {
        "A-1": "340.00",
        "A-2": "50.00",
    }
    delivery = Delivery.objects.order_by("pk").last()
    assert delivery is not None
    assert (delivery.rows_valid, delivery.rows_updated, delivery.rows_duplicate) == (0, 1, 1)
    report.refresh_from_db()
    assert report.priority >= before


def test_the_command_counts_new_amounts(personas: Personas, tmp_path: Path, capsys: Any) -> None:
    by_command(personas, _csv([HEADER, _row("A-1", amount="100")]), "a.csv", tmp=tmp_path)
    by_command(personas, _csv([HEADER, _row("A-1", amount="120")]), "b.csv", tmp=tmp_path)

    assert "1 delivered before with new arrears (taken)" in capsys.readouterr().out


def test_the_delivery_page_counts_new_amounts(personas: Personas) -> None:
    by_service(personas, _csv([HEADER, _row("A-1", amount="100")]), "a.csv")
    by_service(personas, _csv([HEADER, _row("A-1", amount="120")]), "b.csv")
    delivery = Delivery.objects.order_by("pk").last()
    assert delivery is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.partner_liaison)
    with translation.override("en"):
        page = client.get(reverse("signals:delivery", args=[delivery.pk])).content.decode()
    assert "Delivered before with a new amount" in page


# --- the same file again: the page says so, also when it is loaded again -------------------


def test_the_page_says_a_file_was_delivered_before_also_after_a_reload(
    personas: Personas,
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.partner_liaison)
    data = _csv([HEADER, _row("W-1")])
    with translation.override("en"):
        client.post(reverse("signals:deliver"), {"file": SimpleUploadedFile("a.csv", data)})
        again = client.post(reverse("signals:deliver"), {"file": SimpleUploadedFile("a.csv", data)})
        assert again.status_code == 302
        # The upload script follows the redirect and then loads the page once more.
        for _ in range(2):
            page = client.get(again["Location"]).content.decode()
            assert "You delivered this file before" in page
    assert Delivery.objects.count() == 1


def test_the_command_says_a_file_was_delivered_before(
    personas: Personas, tmp_path: Path, capsys: Any
) -> None:
    data = _csv([HEADER, _row("W-1")])
    by_command(personas, data, "a.csv", tmp=tmp_path)
    by_command(personas, data, "a.csv", tmp=tmp_path)

    assert "Delivered before on" in capsys.readouterr().out


def test_the_command_names_columns_not_used_and_how_the_file_was_read(
    personas: Personas, tmp_path: Path, capsys: Any
) -> None:
    data = _csv([HEADER + ";Opmerking", _row("W-1", "Hoëvenaars") + ";x"])
    data += (_row("W-2", "Çelik") + ";y\r\n").encode("cp1252")
    by_command(personas, data, "a.csv", tmp=tmp_path)

    out = capsys.readouterr().out
    assert "Opmerking" in out
    assert "Windows-1252" in out
