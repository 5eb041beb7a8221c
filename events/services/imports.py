"""Importing officers, kit and areas from a spreadsheet: one entry point per register, all
or nothing.

The rows come from ``events.imports.read_rows`` (kept between the dry run and the confirm);
the plan is worked out again here, inside the transaction, so what is saved is checked
against the register as it is now. Each row is saved by the register's own service
(``officer_save``, ``kit_item_save``), so an import is validated and audited like an edit.
Who may import which register is ``permissions.can_manage_officers`` / ``can_manage_kit``.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import imports
from ..models import Area, Officer
from .areas import area_save
from .errors import ConflictError
from .kit import kit_item_save
from .officers import officer_save

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _save(row: imports.RowPlan) -> None:
    if isinstance(row.instance, Officer):
        officer_save(officer=row.instance, qualifications=row.qualifications)
    elif isinstance(row.instance, Area):
        area_save(area=row.instance)
    else:
        kit_item_save(item=row.instance)


def _import(kind: str, *, rows: list[dict], user, expect_digest: str | None) -> ImportResult:
    try:
        with transaction.atomic():
            plan = imports.plan_import(kind, rows)
            if plan.errors:
                raise ValidationError(
                    [f"Row {row.line}: {'; '.join(row.errors)}" for row in plan.errors]
                )
            if expect_digest is not None and plan.digest() != expect_digest:
                raise ValidationError(
                    "The register has changed since your dry run. Upload the file again to "
                    "see what it would change now."
                )
            for row in plan.creates + plan.updates:
                try:
                    _save(row)
                except ConflictError as refused:  # booked since the dry run
                    raise ValidationError(
                        [f"Row {row.line}: {conflict.message}" for conflict in refused.conflicts]
                    ) from None
    except IntegrityError:
        # Someone saved the same shoulder number or asset tag while we were importing.
        raise ValidationError(
            "Someone changed the register while importing; nothing was saved. Upload the "
            "file again."
        ) from None
    result = ImportResult(len(plan.creates), len(plan.updates), len(plan.unchanged))
    logger.info(
        "%s import by %s: %d created, %d updated, %d unchanged",
        kind,
        getattr(user, "username", None),
        result.created,
        result.updated,
        result.unchanged,
    )
    return result


def officer_import(*, rows: list[dict], user, expect_digest: str | None = None) -> ImportResult:
    """Create or update officers by shoulder number. Any row in error: nothing is saved.

    With ``expect_digest`` (``ImportPlan.digest()`` of the dry run the user saw), refuses
    when the plan has changed since.
    """
    return _import("officers", rows=rows, user=user, expect_digest=expect_digest)


def kit_import(*, rows: list[dict], user, expect_digest: str | None = None) -> ImportResult:
    """Create or update kit by asset tag (consumables without one: by name); all or nothing."""
    return _import("kit", rows=rows, user=user, expect_digest=expect_digest)


def area_import(*, rows: list[dict], user, expect_digest: str | None = None) -> ImportResult:
    """Create areas or rename them, by code (postcode district); all or nothing."""
    return _import("areas", rows=rows, user=user, expect_digest=expect_digest)
