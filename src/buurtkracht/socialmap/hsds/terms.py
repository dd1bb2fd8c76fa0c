"""HSDS terms both directions share: version, extension key, weekdays, CBS areas, access."""

from __future__ import annotations

from buurtkracht.socialmap.models import (
    Resource,
)

HSDS_VERSION = "3.0"
EXTENSION = "buurtkracht"
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
WEEKDAY_OF = {code: day for day, code in BYDAY.items()}
CBS_PREFIX = "cbs:"
ACCESS_TEXT = {
    Resource.Access.OPEN: "Vrij toegankelijk: iedereen kan zonder verwijzing komen.",
    Resource.Access.REFERRAL: "Met een verwijzing.",
    Resource.Access.DECISION: "Met een beschikking (indicatie).",
}
