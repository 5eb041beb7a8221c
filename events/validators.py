"""What typed-in text and dates must look like, said once for every way in: the web forms, the
report filters, the API schemas and imports all call these, so the same input gets the same
answer, in the same words, wherever it is typed.

- Text: control characters (the invisible ones, Unicode category Cc, such as a bell or a
  NUL byte) are refused, except that a vertical tab becomes a line break: it is what Word
  pastes for a manual line break (Shift+Enter). Tabs and line breaks are allowed only in
  multi-line fields (notes, descriptions). Lone surrogates (broken characters that no
  database can store) are refused too.
- Dates: every date and time a user gives falls in the years 2000–2099. Further out is a
  slip of the keyboard, and year 1 or 9999 would overflow time-zone conversions.
"""

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError

FIRST_YEAR = 2000
LAST_YEAR = 2099
WORD_LINE_BREAK = "\x0b"  # vertical tab, pasted by Word for Shift+Enter
MULTILINE_ALLOWED = "\t\n\r"

# The same rule as a JSON-schema pattern, for the API document (control characters: C0
# controls, DEL and the C1 controls).
LINE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"
LINES_PATTERN = "^[^\\x00-\\x08\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"  # \t, \n, \r; \x0b becomes \n


def label_of(name: str) -> str:
    """A field or column name as people read it: ``storage_location`` → "Storage location"."""
    words = name.strip("_").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "This field"


def clean_text(value: str, *, label: str, multiline: bool = False) -> str:
    """``value`` with Word's line breaks made line breaks, or ``ValidationError`` naming
    ``label`` when it holds a character that has no place in it."""
    if value.isprintable():  # the common case, checked at C speed
        return value
    if multiline:
        value = value.replace(WORD_LINE_BREAK, "\n")
    for position, ch in enumerate(value, start=1):
        kind = unicodedata.category(ch)
        if kind == "Cs":
            raise ValidationError(
                f"{label} contains a broken character (at position {position}) that cannot "
                "be stored. Delete it, or type that part again.",
                code="invalid_character",
            )
        if kind != "Cc" or (multiline and ch in MULTILINE_ALLOWED):
            continue
        if ch in "\n\r" or ch == WORD_LINE_BREAK:
            raise ValidationError(
                f"{label} must be on one line: remove the line break (at position {position}).",
                code="line_break",
            )
        if ch == "\t":
            raise ValidationError(
                f"{label} must not contain a tab (at position {position}): use a space.",
                code="tab",
            )
        raise ValidationError(
            f"{label} contains a hidden control character (at position {position}), usually "
            "left by copying from another program. Delete it, or type that part again.",
            code="control_character",
        )
    return value


def check_year(value: dt.date, *, label: str) -> dt.date:
    """``value`` if its year (as given, before any time-zone conversion) is 2000–2099."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            f"{label} must be in the years {FIRST_YEAR} to {LAST_YEAR} (not {value.year}).",
            code="year_out_of_range",
        )
    return value


def clean_fields(
    obj, *, lines: tuple[str, ...] = (), texts: tuple[str, ...] = (), moments: tuple[str, ...] = ()
) -> None:
    """The text and date rules on a model instance's fields, in place: one-line ``lines``,
    multi-line ``texts``, and the year of each aware datetime in ``moments``.
    Raises one ``ValidationError`` naming every field at fault. The services call this, so
    every writer (web, API, admin, import, demo) is held to the same rule."""
    errors = {}
    for names, multiline in ((lines, False), (texts, True)):
        for name in names:
            value = getattr(obj, name)
            if value:
                try:
                    setattr(obj, name, clean_text(value, label=label_of(name), multiline=multiline))
                except ValidationError as error:
                    errors[name] = error.messages
    for name in moments:
        value = getattr(obj, name)
        if value is not None:
            try:
                check_year(value, label=label_of(name))  # the year as given: no overflow
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
