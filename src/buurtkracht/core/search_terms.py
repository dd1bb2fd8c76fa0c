"""What the audit log keeps of the terms of a search for a person — the BRP lookup
(`core.brp`, households.brp) and the search box (households.queries): minimised, and a
keyed hash that a privacy officer can recompute (`manage.py brp_lookup_key`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.crypto import salted_hmac


def terms_key(value: str) -> str:
    """A keyed hash of a search term (case and spaces folded): the audit log keeps this,
    not the term, so that its readers see no BSN or name, while a privacy officer asked
    "was I looked up?" can compute the key (`manage.py brp_lookup_key`) and search for it.
    Keyed with SECRET_KEY: a new SECRET_KEY gives new keys."""
    folded = "".join(value.split()).casefold()
    return salted_hmac("buurtkracht.brp-lookup-terms", folded).hexdigest()[:20]


def minimised_terms(
    *,
    bsn: str = "",
    surname: str = "",
    date_of_birth: dt.date | None = None,
    postcode: str = "",
) -> dict[str, Any]:
    """What an audit entry keeps of the terms of a search for a person (the BRP lookup,
    the search box): a BSN as its last three digits and `terms_key`, a surname as its
    first letter and `terms_key`, a date of birth as its year, a postcode as its four
    digits. Only the terms given appear."""
    terms: dict[str, Any] = {}
    if bsn:
        terms |= {"bsn_end": bsn[-3:], "bsn_key": terms_key(bsn)}
    if surname:
        terms |= {
            "surname_initial": surname.strip()[:1].upper(),
            "surname_key": terms_key(surname),
        }
    if date_of_birth:
        terms["birth_year"] = date_of_birth.year
    if postcode:
        terms["postcode_area"] = postcode.replace(" ", "")[:4]
    return terms
