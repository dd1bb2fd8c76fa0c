"""Development and demo: debug pages on, local hosts only. Never use in production."""

import os

os.environ.setdefault("BUURTKRACHT_ENVIRONMENT", "development")
os.environ.setdefault("DEBUG", "1")

from buurtkracht.conf.base import *  # noqa: F403
