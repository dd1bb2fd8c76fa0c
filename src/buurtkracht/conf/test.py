"""Tests (pytest and CI): development defaults with debug off, as production runs."""

import os

os.environ.setdefault("BUURTKRACHT_ENVIRONMENT", "test")
os.environ.setdefault("DEBUG", "0")
# Off by default so tests can use force_login; the two-factor tests switch it on.
os.environ.setdefault("BUURTKRACHT_REQUIRE_TWO_FACTOR", "0")

from buurtkracht.conf.base import *  # noqa: F403

# Tasks run at once, inside the test, so a test sees their result without a worker; the
# fault tests (tests/core/test_job_faults.py) queue on "database" for real workers
# (`manage.py db_worker --backend database`).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
