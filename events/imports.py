"""Reading officer, kit and area spreadsheets (CSV or XLSX), and working out what importing them
would change (the dry run). ``services/imports.py`` applies the same plan.

A file is refused as a whole, with a message saying why, when it cannot be read as a table
with the required columns. A readable file is planned row by row: create, update, unchanged
or error (with the reasons). The file is the truth for every value it gives; an optional
column left out, or an optional cell left blank, leaves the stored value as it is (so a
sheet of names and shoulder numbers does not wipe everyone's e-mail). Importing the same
file twice changes nothing the second time. Text follows ``events.validators`` like every
other way in.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import warnings
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models

from . import conflicts, validators
from .models import Area, KitItem, Officer, Qualification, Team
from .postcodes import is_district

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50
# A workbook is a zip of XML parts: 5 MB of it can unpack to gigabytes. Every part's size is
# checked before anything is parsed (zipfile never yields more than a part's declared size).
MAX_UNPACKED = 50 * 1024 * 1024
SHOWN_ROWS = 500  # a dry run lists at most this many rows of each kind

COLUMNS = {
    "officers": (
        "shoulder_number",
        "name",
        "rank",
        "team",
        "email",
        "phone",
        "qualifications",
        "active",
    ),
    "kit": (
        "name",
        "asset_tag",
        "category",
        "condition",
        "consumable",
        "quantity",
        "provenance",
        "storage_location",
    ),
    "areas": ("code", "name"),
}
# Every file must have these columns; the others may be left out.
REQUIRED = {
    "officers": ("shoulder_number", "name", "rank"),
    "kit": ("name", "asset_tag", "category", "condition"),
    "areas": ("code", "name"),
}
MULTILINE = {"provenance"}  # free-text columns: tabs and line breaks allowed
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""


# --- Uploads -----------------------------------------------------------------------------


class SizeLimitUploadHandler(FileUploadHandler):
    """Drops an uploaded file as soon as it passes ``limit`` bytes, before it is stored.

    Put it first in ``request.upload_handlers``; the view asks ``exceeded`` afterwards.
    """

    def __init__(self, request=None, limit: int = MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


# --- Reading -----------------------------------------------------------------------------


def read_rows(upload, *, kind: str) -> list[dict[str, str]]:
    """The data rows of the first sheet as ``{column: text}``, each with its spreadsheet row
    number under ``"_line"``. Raises ``ImportFileError`` for a file that cannot be imported.
    """
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it and import the parts."
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_table(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "This is an old Excel 97–2003 (.xls) file. Save it as an Excel workbook (.xlsx) or "
            "as CSV, and upload that."
        )
    else:
        table = _csv_table(data)
    try:
        return _rows(table, kind)
    finally:
        table.close()  # a workbook left half-read is closed now, not when collected


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        "This file is not a spreadsheet we can read. Upload a CSV file or an Excel workbook "
        "(.xlsx)."
    )


def _csv_table(data: bytes):
    if b"\x00" in data:
        raise _not_a_spreadsheet()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252 unless told to use UTF-8.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(f"This CSV file is malformed ({error}).") from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _check_parts(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than ``MAX_UNPACKED`` in all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise _not_a_spreadsheet() from None
    if unpacked > MAX_UNPACKED:
        raise ImportFileError(
            f"The workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB; the limit is "
            f"{MAX_UNPACKED // 1024 // 1024} MB. Save just the sheet to import as CSV and "
            "upload that."
        )


def _check_size(sheet) -> None:
    """Refuse a sheet that says it is larger than an import may be, before reading it."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS + 1:
        raise ImportFileError(
            f"The sheet has {rows - 1:,} rows; the limit is {MAX_ROWS:,}. Split it and import "
            "the parts."
        )
    if columns > MAX_COLUMNS:
        raise ImportFileError(
            f"The sheet has {columns:,} columns; the limit is {MAX_COLUMNS}. Delete the columns "
            "that are not part of the import."
        )


def _xlsx_table(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_parts(data)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _not_a_spreadsheet() from None
    try:
        if not workbook.worksheets:
            raise ImportFileError("The workbook has no worksheet.")
        sheet = workbook.worksheets[0]
        _check_size(sheet)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1):
                values = []
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        raise ImportFileError(
                            f"Cell {cell.coordinate} holds a formula ({cell.value}). Import "
                            "takes values only: copy the sheet and paste it as values "
                            "(Paste Special → Values), then upload again."
                        )
                    values.append(_cell_text(getattr(cell, "value", None)))
                yield values
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
        raise _not_a_spreadsheet() from None
    finally:
        workbook.close()


def _heading(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _rows(table, kind: str) -> list[dict[str, str]]:
    expected, required = COLUMNS[kind], REQUIRED[kind]
    lines = iter(table)
    header: list[str] | None = None
    line = 0
    for cells in lines:
        line += 1
        if any(cell.strip() for cell in cells):
            header = [_heading(cell) for cell in cells]
            break
    if header is None:
        raise ImportFileError("The file is empty.")
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(f"The header row has more than {MAX_COLUMNS} columns.")
    named = [name for name in header if name]
    missing = [name for name in required if name not in named]
    unknown = [name for name in named if name not in expected]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if not set(named) & set(expected):
        raise ImportFileError(
            f"This does not look like a {kind} file: its first row should be the column "
            f"headings ({', '.join(expected)}). Download the template to start from."
        )
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if repeated:
        problems.append(f"columns given twice: {', '.join(repeated)}")
    if problems:
        optional = [name for name in expected if name not in required]
        raise ImportFileError(
            f"The columns do not match ({'; '.join(problems)}). Required: "
            f"{', '.join(required)}; optional: {', '.join(optional)}."
        )
    rows = []
    for cells in lines:
        line += 1
        if not any(cell.strip() for cell in cells):
            continue
        extra = [
            n
            for n, cell in enumerate(cells)
            if cell.strip() and (n >= len(header) or not header[n])
        ]
        if extra:
            raise ImportFileError(
                f"Row {line} has a value in column {extra[0] + 1}, which has no heading."
            )
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows. Split it and import the parts."
            )
        row = dict.fromkeys(expected, "")
        for name, cell in zip(header, cells, strict=False):
            if name:
                row[name] = cell.strip()
        row["_line"] = line
        rows.append(row)
    if not rows:
        raise ImportFileError("The file has its header row but no rows to import.")
    return rows


# --- Planning ----------------------------------------------------------------------------


@dataclass
class RowPlan:
    line: int
    key: str
    name: str
    action: str = "unchanged"  # create, update, unchanged or error
    summary: str = ""  # a few words on the row as it will be
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    instance: models.Model | None = None
    qualifications: list | None = None  # officers: the set to hold after import


@dataclass
class ImportPlan:
    kind: str
    rows: list[RowPlan]

    def _of(self, action: str) -> list[RowPlan]:
        return [row for row in self.rows if row.action == action]

    @property
    def creates(self):
        return self._of("create")

    @property
    def updates(self):
        return self._of("update")

    @property
    def errors(self):
        return self._of("error")

    @property
    def unchanged(self):
        return self._of("unchanged")

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates)

    def digest(self) -> str:
        """Fingerprint of what the plan would do: confirm refuses if it no longer matches."""
        shape = [(r.line, r.key, r.action, r.changes, r.errors) for r in self.rows]
        return hashlib.sha256(json.dumps(shape).encode()).hexdigest()


def _choice(text: str, choices: type[models.TextChoices], column: str, errors: list) -> str:
    """A choice given by value ("pcso") or label ("PCSO"), in any case."""
    wanted = text.strip().lower()
    for value, label in choices.choices:
        if wanted in (value, label.lower()):
            return value
    allowed = ", ".join(label for _value, label in choices.choices)
    if not wanted:
        errors.append(f"{column}: give one of {allowed}.")
    else:
        errors.append(f"{column}: “{text}” is not one of {allowed}.")
    return ""


def _flag(text: str, column: str, default: bool, errors: list) -> bool:
    wanted = text.strip().lower()
    if not wanted:
        return default
    if wanted in TRUE:
        return True
    if wanted in FALSE:
        return False
    errors.append(f"{column}: “{text}” is not yes or no.")
    return default


def _whole(text: str, column: str, errors: list) -> int | None:
    """A whole number of 0 or more; Excel may hand "12" over as "12.0"."""
    try:
        number = float(text)
        if number.is_integer() and number >= 0:
            return int(number)
    except (ValueError, OverflowError):
        pass
    errors.append(f"{column}: “{text}” is not a whole number.")
    return None


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _shown(value) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    return str(value) if value not in (None, "") else "(blank)"


def _compare(row: RowPlan, instance, values: dict, shown: dict) -> None:
    """Set ``values`` on ``instance``, noting each change as "field: old → new"."""
    for name, value in values.items():
        old = getattr(instance, name)
        if old != value:
            if instance.pk:
                before = shown.get(name, _shown)(old)
                row.changes.append(f"{name}: {before} → {shown.get(name, _shown)(value)}")
            setattr(instance, name, value)


def _validate(row: RowPlan, instance) -> None:
    """The model's own checks, except where ours already found the problem (theirs would
    only say it again, less clearly)."""
    ours = {error.split(":", 1)[0] for error in row.errors}
    try:
        instance.full_clean(exclude=ours, validate_constraints=not row.errors)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name in ours:  # e.g. the model's clean() on a column we already refused
                continue
            prefix = "" if name == "__all__" else f"{name}: "
            row.errors.extend(f"{prefix}{message}" for message in messages)


def _settle(row: RowPlan) -> RowPlan:
    if row.errors:
        row.action = "error"
    elif row.instance.pk is None:
        row.action = "create"
    elif row.changes:
        row.action = "update"
    return row


def _text_rule(data: dict, errors: list) -> dict:
    """The row's cells under the one text rule (``events.validators``), each refusal noted."""
    cleaned = dict(data)
    for column, value in data.items():
        if column == "_line" or not value:
            continue
        try:
            cleaned[column] = validators.clean_text(
                value, label=validators.label_of(column), multiline=column in MULTILINE
            )
        except ValidationError as error:
            errors.extend(f"{column}: {message}" for message in error.messages)
    return cleaned


def _given(values: dict) -> dict:
    """The values of the cells that are not blank: a blank leaves the stored value alone."""
    return {name: value for name, value in values.items() if value not in ("", None)}


def _duplicate(keys: dict, key: str, line: int, column: str, errors: list) -> None:
    lowered = key.lower()
    if lowered in keys:
        errors.append(f"{column}: {key} is also on row {keys[lowered]}.")
    else:
        keys[lowered] = line


def plan_officers(rows: list[dict]) -> ImportPlan:
    teams: dict[str, Team] = {}
    for team in Team.objects.all():
        if team.short_name:
            teams.setdefault(team.short_name.lower(), team)
    for team in Team.objects.all():
        teams[team.name.lower()] = team
    qualifications = {q.slug: q for q in Qualification.objects.all()}
    existing = {
        officer.shoulder_number: officer
        for officer in Officer.objects.filter(
            shoulder_number__in=[row["shoulder_number"] for row in rows]
        )
        .select_related("team")
        .prefetch_related("qualifications")
    }
    seen: dict[str, int] = {}
    plan = ImportPlan("officers", [])
    for raw in rows:
        number = raw["shoulder_number"]
        row = RowPlan(line=raw["_line"], key=number, name=raw["name"])
        errors = row.errors
        data = _text_rule(raw, errors)
        if number:
            _duplicate(seen, number, row.line, "shoulder_number", errors)
        else:
            errors.append("shoulder_number: give the officer's shoulder number.")
        rank = _choice(data["rank"], Officer.Rank, "rank", errors)
        team = None
        if data["team"]:
            team = teams.get(data["team"].lower())
            if team is None:
                errors.append(f"team: there is no team called “{data['team']}”.")
        slugs = sorted({s.strip().lower() for s in data["qualifications"].split(";") if s.strip()})
        unknown = [slug for slug in slugs if slug not in qualifications]
        if unknown:
            errors.append(f"qualifications: unknown {', '.join(unknown)}.")
        officer = existing.get(number) or Officer(shoulder_number=number)
        active = _flag(data["active"], "active", officer.active, errors)
        _compare(
            row,
            officer,
            {
                "name": data["name"],
                "rank": rank or officer.rank,
                **_given({"team": team, "email": data["email"], "phone": data["phone"]}),
                "active": active,
            },
            {"rank": lambda v: dict(Officer.Rank.choices).get(v, v)},
        )
        wanted = [qualifications[slug] for slug in slugs if slug in qualifications]
        held = sorted(q.slug for q in officer.qualifications.all()) if officer.pk else []
        if slugs and officer.pk and held != sorted(q.slug for q in wanted):
            row.changes.append(
                f"qualifications: {'; '.join(held) or '(none)'} → {'; '.join(slugs) or '(none)'}"
            )
        row.instance = officer
        row.qualifications = wanted if slugs else None
        row.summary = (
            f"{officer.get_rank_display()}, {officer.team.name if officer.team_id else 'no team'}"
        )
        _validate(row, officer)
        plan.rows.append(_settle(row))
    return plan


def plan_kit(rows: list[dict]) -> ImportPlan:
    """Unique items are matched by asset tag; consumables without one, by name."""
    by_tag = {
        item.asset_tag: item
        for item in KitItem.objects.filter(
            asset_tag__in=[row["asset_tag"] for row in rows if row["asset_tag"]]
        )
    }
    consumables: dict[str, list[KitItem]] = {}
    for item in KitItem.objects.filter(consumable=True):
        consumables.setdefault(item.name.lower(), []).append(item)
    seen: dict[str, int] = {}
    plan = ImportPlan("kit", [])
    for raw in rows:
        tag = raw["asset_tag"]
        row = RowPlan(line=raw["_line"], key=tag or raw["name"], name=raw["name"])
        errors = row.errors
        data = _text_rule(raw, errors)
        item = by_tag.get(tag) if tag else None
        consumable = _flag(
            data["consumable"], "consumable", item.consumable if item else False, errors
        )
        if tag:
            _duplicate(seen, f"tag:{tag}", row.line, "asset_tag", errors)
        elif consumable and data["name"]:
            _duplicate(seen, f"name:{data['name']}", row.line, "name", errors)
            matches = consumables.get(data["name"].lower(), [])
            if len(matches) > 1:
                errors.append(
                    f"name: {len(matches)} consumables are called “{data['name']}”; give the "
                    "asset tag of the one to update."
                )
            item = matches[0] if len(matches) == 1 else None
        elif not consumable:
            errors.append(
                "asset_tag: a unique item needs its asset tag (only consumables may "
                "leave it blank)."
            )
        category = _choice(data["category"], KitItem.Category, "category", errors)
        condition = _choice(data["condition"], KitItem.Condition, "condition", errors)
        quantity = 1
        if data["quantity"]:
            quantity = _whole(data["quantity"], "quantity", errors)
        elif consumable and item is not None and item.consumable:
            quantity = item.quantity  # blank: the stock stays as it is
        elif consumable:
            errors.append("quantity: give the stock held.")
        if not consumable and quantity not in (1, None):
            errors.append("quantity: a unique item (not consumable) has a quantity of 1.")
        item = item or KitItem()
        _compare(
            row,
            item,
            {
                "name": data["name"],
                "asset_tag": tag or None,
                "category": category or item.category,
                "condition": condition or item.condition,
                "consumable": consumable,
                "quantity": 1 if quantity is None else quantity,
                **_given(
                    {
                        "provenance": data["provenance"],
                        "storage_location": data["storage_location"],
                    }
                ),
            },
            {
                "category": lambda v: dict(KitItem.Category.choices).get(v, v),
                "condition": lambda v: dict(KitItem.Condition.choices).get(v, v),
            },
        )
        row.instance = item
        row.summary = f"{item.get_category_display()}, {item.get_condition_display().lower()}"
        if consumable:
            row.summary += f", {quantity} in stock"
        _validate(row, item)
        if item.pk and item.consumable and not row.errors:
            found = conflicts.stock_conflicts(item, item.quantity)
            row.errors.extend(f"quantity: {conflict.message}" for conflict in found)
        plan.rows.append(_settle(row))
    return plan


def plan_areas(rows: list[dict]) -> ImportPlan:
    """Areas are matched by code (any case, spaces ignored); a known code gets the name."""
    codes = ["".join(row["code"].split()).upper() for row in rows]
    existing = {area.code: area for area in Area.objects.filter(code__in=codes)}
    seen: dict[str, int] = {}
    plan = ImportPlan("areas", [])
    for raw, code in zip(rows, codes, strict=True):
        row = RowPlan(line=raw["_line"], key=code, name=raw["name"])
        data = _text_rule(raw, row.errors)
        if not code:
            row.errors.append("code: give the district's outward code, e.g. AL3.")
        elif not is_district(code):
            row.errors.append(f"code: “{raw['code']}” is not a postcode district, e.g. AL3.")
        else:
            _duplicate(seen, code, row.line, "code", row.errors)
        area = existing.get(code) or Area(code=code)
        _compare(row, area, {"name": data["name"]}, {})
        row.instance = area
        row.summary = f"postcodes {code} …" if code else ""
        _validate(row, area)
        plan.rows.append(_settle(row))
    return plan


PLANNERS = {"officers": plan_officers, "kit": plan_kit, "areas": plan_areas}


def plan_import(kind: str, rows: list[dict]) -> ImportPlan:
    """What importing these rows would do now (reads only; nothing is saved)."""
    return PLANNERS[kind](rows)


def template_csv(kind: str) -> str:
    """The header row a file of this kind must have."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS[kind])
    return buffer.getvalue()
