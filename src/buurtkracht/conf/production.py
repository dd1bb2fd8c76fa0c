"""Production: no defaults beyond the safe ones in base. SECRET_KEY, DATABASE_URL and
ALLOWED_HOSTS come from the environment; base refuses to start without a key or with DEBUG."""

import os

os.environ.setdefault("BUURTKRACHT_ENVIRONMENT", "production")

from buurtkracht.conf.base import *  # noqa: F403
