"""Why a signal matched or not: English msgids, translated when shown (gettext at display)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

R_SAME_SURNAME = gettext_noop("same surname")
R_BIRTH_SURNAME = gettext_noop("surname matches birth surname")
R_SPELLING = gettext_noop("same surname, spelled differently")
R_BUSINESS_NAME = gettext_noop("surname found in the business name")
R_PART = gettext_noop("surname matches part of the name")
R_ONE_LETTER = gettext_noop("surname differs by one letter")
R_TWO_LETTERS = gettext_noop("surname differs by two letters")
R_HOUSEMATE_SURNAME = gettext_noop("surname of a housemate (partner's name)")
R_SAME_FIRST_NAME = gettext_noop("same first name")
R_FIRST_NAME_SPELLING = gettext_noop("first name spelled differently")
R_FIRST_NAME_LATER = gettext_noop("first name is one of the given names")
R_DIFFERENT_FIRST_NAME = gettext_noop("different first name")
R_SAME_INITIALS = gettext_noop("same initials")
R_INITIALS_FIT = gettext_noop("initials fit")
R_FIRST_INITIAL = gettext_noop("first initial fits")
R_INITIAL_LATER = gettext_noop("initial matches a later given name")
R_DIFFERENT_INITIALS = gettext_noop("different initials")
R_SAME_DOB = gettext_noop("same date of birth")
R_DOB_SWAPPED = gettext_noop("date of birth with day and month swapped")
R_DIFFERENT_DOB = gettext_noop("different date of birth")
R_DOB_NEARLY = gettext_noop("date of birth differs in the day, month or year only")
R_SAME_ADDRESS = gettext_noop("same address")
R_SUFFIX_MISSING = gettext_noop("house letter or addition missing")
R_SUFFIX_DIFFERS = gettext_noop("different house letter or addition")
R_UNIQUE = gettext_noop("the only resident here with this name")
R_AMBIGUOUS = gettext_noop("another resident fits almost as well")
R_ONE_PERSON_BUSINESS = gettext_noop("contract in the name of a one-person business")
R_COMPANY = gettext_noop("contract in the name of a company, not a person")
R_ADDRESS_UNKNOWN = gettext_noop("address not in the register")
R_NOBODY_FITS = gettext_noop("address known, no resident with this name")
R_DECIDED = gettext_noop("decided earlier by the signal officer")
R_DECIDED_NO_MATCH = gettext_noop("decided earlier by the signal officer: no match")
R_DECISION_MOVED = gettext_noop("the person decided on earlier no longer lives at this address")
R_LIVED_HERE = gettext_noop("lived at this address before (register history)")
R_MOVED = gettext_noop("moved: lives at another address in the municipality now")
R_NEAR_ADDRESS = gettext_noop(
    "lives at a neighbouring house number or at a postcode one character off"
)
R_SAME_BIRTH_ELSEWHERE = gettext_noop(
    "same name and date of birth as a resident elsewhere in the municipality"
)
R_CALL_NAME = gettext_noop("first name is the usual call name of the given name")
R_SWAPPED_NAMES = gettext_noop("first name and surname swapped")
R_DOB_SET_ASIDE = gettext_noop(
    "date of birth set aside: the partner's value is no real date (placeholder or impossible)"
)
