"""Background jobs: long work run as a task (Django's tasks API, `django-tasks`), with
progress for the person who started it, on the page (/taken/<id>/) and the command line.

How to make a new background job: docs/jobs.md. In short, a domain app writes

    @task()
    def letters_generate(job_id: int) -> None:
        job_run(job_id, _work)          # _work(run) does the work and returns a result URL

and starts it with `job_start(kind=..., task=letters_generate, started_by=user)`. The work
reports `run.progress(done, total)` and commits in steps, each inside a transaction that
first calls `run.hold()`; a run that lost its claim (another worker took the job over)
stops without writing. A job whose worker died (kill -9, a lost machine, a database
restart) is found by its old heartbeat and queued again by `jobs_requeue_stale`, which
every `manage.py db_worker` calls: the work carries on from its last committed step.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from buurtkracht.core.models import Job

logger = logging.getLogger(__name__)

Echo = Callable[[int, int, str], None]


class JobFailed(Exception):
    """Raised by a job's work to stop it, with a reason for the person who started it
    (plain words: what went wrong and what to do)."""


class Superseded(Exception):
    """This run no longer owns the job (it was taken to be dead and queued again): stop
    and write nothing more."""


@dataclass(frozen=True)
class Kind:
    label: str | Promise
    # Who besides the person who started it may follow the job: (user, job) -> bool.
    may_see: Callable[[Any, Job], bool] | None = None


_kinds: dict[str, Kind] = {}


def register_kind(
    kind: str, *, label: str | Promise, may_see: Callable[[Any, Job], bool] | None = None
) -> None:
    """Name a kind of job for the progress page, and say who else may follow it (those
    allowed to see its result). Called from the domain app's AppConfig.ready()."""
    _kinds[kind] = Kind(label, may_see)


def kind_label(job: Job) -> str:
    kind = _kinds.get(job.kind)
    return str(kind.label) if kind else job.kind


def may_follow(user: AbstractBaseUser | AnonymousUser, job: Job) -> bool:
    """The person who started a job follows it; others only where its kind allows (its
    `may_see` gets a signed-in `accounts.User`, which the ground's `core` cannot name)."""
    if not user.is_authenticated:
        return False
    if job.started_by_id is not None and job.started_by_id == user.pk:
        return True
    kind = _kinds.get(job.kind)
    return bool(kind and kind.may_see and kind.may_see(user, job))


def job_start(
    *,
    kind: str,
    task: Any,
    started_by: Any = None,
    object_id: int | None = None,
    total: int = 0,
    message: str = "",
    backend: str | None = None,
) -> Job:
    """Record a job and queue its task (which receives `job_id`). In the same transaction
    as the caller's writes: a worker sees the task only once they are committed."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            object_id=object_id,
            started_by=started_by,
            total=total,
            message=message[:300],
            task_path=task.module_path,
            backend=backend or settings.JOBS_BACKEND,
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    task = import_string(job.task_path).using(backend=job.backend)
    result = task.enqueue(job_id=job.pk)
    # An immediate backend has run the task by now: change only the task id.
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


@dataclass
class JobRun:
    """One run of a job, as the work sees it."""

    job: Job
    claim: str
    echo: Echo | None = None
    _side: Any = None  # a second database connection, see progress_during_transaction

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (also the heartbeat that shows the worker is alive)."""
        updated = Job.objects.filter(pk=self.job.pk, claim=self.claim).update(
            done=done, total=total, message=message[:300], heartbeat_at=timezone.now()
        )
        if not updated:
            raise Superseded
        self.job.done, self.job.total, self.job.message = done, total, message
        if self.echo is not None:
            self.echo(done, total, message)

    def progress_during_transaction(self, done: int, total: int, message: str = "") -> None:
        """Progress from work that runs as ONE transaction (whole or not at all, e.g. a
        register extract): written through a connection of its own, so the page and the
        other workers see it (and the heartbeat) before the work commits. SQLite allows
        one writer at a time: there only the command line hears it, and the job shows its
        progress when it ends."""
        self.job.done, self.job.total, self.job.message = done, total, message
        if self.echo is not None:
            self.echo(done, total, message)
        if connection.vendor != "postgresql":
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s, "  # noqa: S608
                "heartbeat_at = %s WHERE id = %s AND claim = %s",
                [done, total, message[:300], timezone.now(), self.job.pk, self.claim],
            )

    def close(self) -> None:
        """Close the connection of `progress_during_transaction`, if one was opened."""
        if self._side is not None:
            self._side.close()
            self._side = None

    def hold(self) -> None:
        """Inside the transaction that commits a step: lock the job and make sure this
        run still owns it, so that every step is committed by one run only."""
        owned = list(
            Job.objects.select_for_update()
            .filter(pk=self.job.pk, claim=self.claim)
            .values_list("pk", flat=True)
        )
        if not owned:
            raise Superseded


def job_run(job_id: int, work: Callable[[JobRun], str], *, echo: Echo | None = None) -> None:
    """Run a job's work: claim it, run, record the end. Called by the job's task (or by a
    command that runs it in its own process, with `echo` printing progress).

    A job that is finished, or running in a live run elsewhere, is left alone: a task
    queued twice does the work once. The work speaks the site's language: its messages
    and failure reasons are stored for the page, and a worker (a management command) has
    no language of its own; a language already active (a request, a test) is kept."""
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        _job_run(job_id, work, echo)


def _job_run(job_id: int, work: Callable[[JobRun], str], echo: Echo | None) -> None:
    claim = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return
        if job.state == Job.State.RUNNING and job.claim and not _is_stale(job, now):
            return
        job.state = Job.State.RUNNING
        job.claim = claim
        job.attempts += 1
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["state", "claim", "attempts", "started_at", "heartbeat_at"])
    run = JobRun(job, claim, echo)
    try:
        try:
            result_url = work(run)
        finally:
            run.close()
    except Superseded:
        logger.info("Job %s was taken over by another run; this one stops.", job_id)
        return
    except JobFailed as failed:
        _finish(job, claim, Job.State.FAILED, failure=str(failed))
        return
    except (OperationalError, InterfaceError):
        # The database went away (a restart, a cut connection). What the work committed
        # stays; the job is queued again and carries on from there.
        logger.warning("Job %s lost its database connection; it is queued again.", job_id)
        if transaction.get_autocommit() and _requeue_after_loss(job, claim):
            return
        raise
    except Exception:
        logger.exception("Job %s failed", job_id)
        _finish(
            job,
            claim,
            Job.State.FAILED,
            failure=_(
                "Something went wrong on our side while this ran. The administrator can "
                "see what in the log. Try again later; nothing is added twice."
            ),
        )
        raise
    _finish(job, claim, Job.State.DONE, result_url=result_url)


def _finish(job: Job, claim: str, state: str, *, failure: str = "", result_url: str = "") -> None:
    now = timezone.now()
    changes: dict[str, Any] = {"state": state, "finished_at": now, "heartbeat_at": now}
    if failure:
        changes["failure"] = failure
    if result_url:
        changes["result_url"] = result_url[:300]
    if state == Job.State.DONE:
        changes["done"] = job.total or job.done
    Job.objects.filter(pk=job.pk, claim=claim).update(**changes)
    job.refresh_from_db()


def _requeue_after_loss(job: Job, claim: str, attempts: int = 20, pause: float = 1.0) -> bool:
    for _attempt in range(attempts):
        try:
            connection.close()
            with transaction.atomic():
                updated = Job.objects.filter(
                    pk=job.pk, claim=claim, state=Job.State.RUNNING
                ).update(state=Job.State.QUEUED, claim="")
                if updated:
                    job.refresh_from_db()
                    _enqueue(job)
            return True
        except (OperationalError, InterfaceError):
            time.sleep(pause)
    return False


def _is_stale(job: Job, now: dt.datetime) -> bool:
    limit = dt.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    return job.heartbeat_at is None or job.heartbeat_at < now - limit


def jobs_requeue_stale(now: dt.datetime | None = None) -> list[int]:
    """Queue again every running job whose heartbeat is older than JOBS_STALE_SECONDS:
    its worker died. Safe to run in many workers at once (each job is taken by one)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    skip_locked = connection.features.has_select_for_update_skip_locked
    requeued = []
    with transaction.atomic():
        stale = Job.objects.select_for_update(skip_locked=skip_locked).filter(
            state=Job.State.RUNNING, heartbeat_at__lt=cutoff
        )
        for job in stale:
            _mark_task_lost(job)
            job.state = Job.State.QUEUED
            job.claim = ""
            job.message = _("The work was interrupted; it carries on where it stopped.")
            job.save(update_fields=["state", "claim", "message"])
            _enqueue(job)
            requeued.append(job.pk)
    for pk in requeued:
        logger.warning("Job %s had lost its worker; it is queued again.", pk)
    return requeued


def _mark_task_lost(job: Job) -> None:
    """The task result of a dead worker stays "running" in django_tasks_db: say it failed,
    so an operator looking at the task results sees what happened."""
    from django_tasks_db.models import DBTaskResult

    try:
        task_id = uuid.UUID(job.task_id)
    except ValueError:
        return
    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="buurtkracht.core.jobs.WorkerLost",
        traceback="The worker stopped without finishing (killed, or its machine lost); "
        "the job was queued again.",
    )


def serialise(name: str) -> None:
    """Inside a transaction: wait until no other transaction holds `name`, and hold it
    until this one ends. Two jobs that may create the same unique row (a report for the
    same address and month) take turns instead of colliding. PostgreSQL advisory lock;
    SQLite writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def percent(job: Job) -> int:
    if job.state == Job.State.DONE:
        return 100
    return int(100 * job.done / job.total) if job.total else 0


def job_status(job: Job) -> dict[str, Any]:
    """What the progress page shows, as JSON for its updates."""
    if job.state == Job.State.DONE:
        text = _("Done: %(done)s of %(total)s.") % {"done": job.done, "total": job.total}
    elif job.state == Job.State.FAILED:
        text = _("Stopped: %(reason)s") % {"reason": job.failure}
    elif job.state == Job.State.QUEUED and not job.done:
        text = _("Waiting for its turn.")
    elif job.total:
        text = _("%(done)s of %(total)s done.") % {"done": job.done, "total": job.total}
    else:
        text = _("Started.")
    return {
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "percent": percent(job),
        "message": job.message,
        "failure": job.failure,
        "result_url": job.result_url if job.state == Job.State.DONE else "",
        "text": text,
    }
