"""Tests (pytest and CI): development defaults with debug off, as production runs."""

import os

os.environ.setdefault("BUURTKRACHT_ENVIRONMENT", "test")
os.environ.setdefault("DEBUG", "0")

from buurtkracht.conf.base import *  # noqa: F403
