"""Voting letters made by a background job (docs/voting.md, docs/jobs.md).

Making a district's letters takes minutes (fpdf2 writes about 100 letters a second): too
long for a request, and a browser that gives up loses the one download of the codes. The
page starts a job; the job makes the codes and the ZIP in ONE transaction (whole or not
at all: a worker that dies leaves no codes, and the job queued again starts over) and
keeps the ZIP sealed until the community worker downloads it, once. A download that is
lost even so is made again while the round is not open (`again`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from buurtkracht.core.jobs import JobFailed, JobRun, job_run, job_start
from buurtkracht.core.models import Job
from buurtkracht.voting.letters import letters_zip
from buurtkracht.voting.models import LettersDownload, VotingRound
from buurtkracht.voting.services.invitations import codes_generate

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

JOB_KIND = "voting.letters"
NONCE = 12


def _keys() -> list[bytes]:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hmac.new(str(s).encode(), b"voting-letters", hashlib.sha256).digest() for s in secrets_]


def _bound(download: LettersDownload) -> bytes:
    return f"letters:{download.round_id}:{download.pk}".encode()


def seal(download: LettersDownload, data: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(_keys()[0]).encrypt(nonce, data, _bound(download))


def unseal(download: LettersDownload) -> bytes:
    blob = bytes(download.sealed)
    for key in _keys():
        try:
            return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], _bound(download))
        except InvalidTag:
            continue
    raise ValidationError(
        _(
            "The letters cannot be opened: the server's secret key has changed. Make the "
            "letters again."
        )
    )


def letters_start(*, voting_round: VotingRound, user: User, vote_url: str, again: bool) -> Job:
    """Start making the letters; the job's page shows the progress and links the download."""
    with transaction.atomic():
        download = LettersDownload.objects.create(
            round=voting_round, again=again, vote_url=vote_url, made_by=user
        )
        return job_start(kind=JOB_KIND, task=letters_make, started_by=user, object_id=download.pk)


@task()
def letters_make(job_id: int) -> None:
    job_run(job_id, make_letters)


def make_letters(run: JobRun) -> str:
    download = LettersDownload.objects.select_related("round", "made_by").get(
        pk=run.job.object_id or 0
    )
    url = reverse("voting:letters-download", args=[download.round_id, download.pk])
    if download.letters:
        return url  # made already (a task queued twice)
    run.progress_during_transaction(0, 2, _("Making the codes"))
    try:
        with transaction.atomic():
            made = codes_generate(
                voting_round=download.round, user=download.made_by, again=download.again
            )
            run.progress_during_transaction(1, 2, _("Writing the letters"))
            data = letters_zip(download.round, made, download.vote_url)
            run.hold()
            # Letters made before and not downloaded: their codes are gone, so is the ZIP.
            LettersDownload.objects.filter(round=download.round).exclude(pk=download.pk).update(
                sealed=b""
            )
            download.letters = len(made)
            download.sealed = seal(download, data)
            download.save(update_fields=["letters", "sealed"])
    except ValidationError as refused:
        raise JobFailed(refused.messages[0]) from refused
    run.progress(2, 2, _("The letters are ready"))
    return url


def letters_take(download: LettersDownload) -> bytes:
    """The ZIP, once: after this only the codes' hashes remain."""
    with transaction.atomic():
        locked = LettersDownload.objects.select_for_update().get(pk=download.pk)
        if not locked.sealed:
            raise ValidationError(
                _(
                    "These letters were downloaded already, or made again since. While the "
                    "round is not open you can make them again."
                )
            )
        data = unseal(locked)
        locked.sealed = b""
        locked.downloaded_at = timezone.now()
        locked.save(update_fields=["sealed", "downloaded_at"])
    return data


def may_see(user: User, job: Job) -> bool:
    """Those who manage voting rounds follow each other's letters."""
    return user.has_role("community_worker")
