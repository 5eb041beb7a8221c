"""Postcode districts, said once: which area an event's postcode belongs to.

An event belongs to the area (``Area``, a postcode district such as AL3) of its postcode's
**outward code**: the part before the space, or, written without a space, all but the last
three characters (the inward code is always three), upper-cased. A postcode of four
characters or fewer with no space is taken as a district on its own ("AL3"). Anything else
(blank, or a code not in the list of areas) is *outside* the list.

:func:`outward_code` says it in Python and :func:`outward_code_of` as a database expression
(for grouping and filtering); ``tests/test_coverage.py`` checks that the two agree.
"""

import re

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Greatest, Length, Replace, StrIndex, Substr, Trim, Upper
from django.db.models.lookups import GreaterThan

INWARD = 3  # characters of the inward code ("7PT" in "AL3 7PT")
LONGEST_DISTRICT = 4  # "SG12", "EC1A"
# A district's outward code: one or two letters, a digit, then maybe a digit or a letter.
DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def outward_code(postcode: str) -> str:
    """The district of a postcode: ``"al3 7pt"`` → ``"AL3"``, ``"SG127AB"`` → ``"SG12"``."""
    code = (postcode or "").strip(" ").upper()
    if " " in code:
        return code.split(" ", 1)[0]
    return code[:-INWARD] if len(code) > LONGEST_DISTRICT else code


def outward_code_of(field_name: str):
    """:func:`outward_code` of a postcode column, as an expression (SQLite and PostgreSQL)."""
    code = Upper(Trim(F(field_name)))
    space = StrIndex(code, Value(" "))
    length = Length(code)
    return Case(
        When(GreaterThan(space, 0), then=Substr(code, 1, space - 1)),
        When(GreaterThan(length, LONGEST_DISTRICT), then=Substr(code, 1, length - INWARD)),
        default=code,
        output_field=CharField(),
    )


def sector_digit_of(field_name: str):
    """The first character of a postcode's inward code (the sector: "7" in "AL3 7PT" and in
    "AL37PT"), as an expression: the third character from the end, spaces left out."""
    compact = Replace(Upper(Trim(F(field_name))), Value(" "), Value(""))
    return Substr(compact, Greatest(Length(compact) - (INWARD - 1), 1), 1)


def is_district(code: str) -> bool:
    """Whether ``code`` looks like a postcode district (upper case, no spaces)."""
    return bool(DISTRICT.match(code))


def district_order(code: str) -> tuple:
    """A sort key that puts AL2 before AL10 (letters, then the district's number)."""
    letters, number, rest = re.match(r"^([A-Z]*)(\d*)(.*)$", code).groups()
    return (letters, int(number) if number else 0, rest)
