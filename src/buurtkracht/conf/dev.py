"""Development and demo: debug pages on, local hosts only. Never use in production."""

import os

os.environ.setdefault("BUURTKRACHT_ENVIRONMENT", "development")
os.environ.setdefault("DEBUG", "1")
# The demo skips two-factor login so a newcomer can click through at once. Never in
# production: the production settings refuse to start without it.
os.environ.setdefault("BUURTKRACHT_REQUIRE_TWO_FACTOR", "0")
# Mail (activation links, notifications) is printed on the console, never sent, and kept
# for the demo's page of sent mail (/meldingen/demo-post/, docs/notifications.md).
os.environ.setdefault("EMAIL_BACKEND", "buurtkracht.notifications.mailbox.DemoMailBackend")
# "Zoek in de BRP" looks in the synthetic municipality's own register (the Person table).
os.environ.setdefault("BUURTKRACHT_BRP_SYNTHETIC", "1")

from buurtkracht.conf.base import *  # noqa: F403
