"""Intake (aanmelding): register that a household needs help, find the file that may exist
already, and let the team leader assign the one lead worker.

Where things are: `registration` (creating an intake, its address and household),
`existing` (files that may exist already), `assignment` (assigning, handing to the lead
worker, closing, moving on a merge); the teams a worker is in now are `accounts.queries`.
"""

from buurtkracht.accounts.queries import assigning_teams
from buurtkracht.casework.intake.assignment import (
    current_leads,
    intake_assign,
    intake_close,
    intake_hand_to_lead,
    intakes_for,
    intakes_move_to,
)
from buurtkracht.casework.intake.existing import ExistingFile, ExistingFilesFound, existing_files
from buurtkracht.casework.intake.registration import (
    AddressFacts,
    intake_create,
    intake_set_address,
)

__all__ = [
    "AddressFacts",
    "ExistingFile",
    "ExistingFilesFound",
    "assigning_teams",
    "current_leads",
    "existing_files",
    "intake_assign",
    "intake_close",
    "intake_create",
    "intake_hand_to_lead",
    "intake_set_address",
    "intakes_for",
    "intakes_move_to",
]
