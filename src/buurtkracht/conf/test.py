"""Tests (pytest and CI): development defaults with debug off, as production runs."""

import os

os.environ.setdefault("BUURTKRACHT_ENVIRONMENT", "test")
os.environ.setdefault("DEBUG", "0")
# Off by default so tests can use force_login; the two-factor tests switch it on.
os.environ.setdefault("BUURTKRACHT_REQUIRE_TWO_FACTOR", "0")

from buurtkracht.conf.base import *  # noqa: F403
