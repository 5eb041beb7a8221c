"""The officer register: creating and changing officers' records (admins only: the callers
ask ``permissions.can_manage_officers``). Every change is audited, qualifications included."""

from django.db import transaction

from .. import audit
from ..models import Officer


@transaction.atomic
def officer_save(*, officer: Officer, qualifications=None) -> Officer:
    """Create or update an officer (validated: unique shoulder number, valid e-mail, rank).

    ``qualifications``, when given, replaces the officer's whole set (one audit entry).
    """
    officer.full_clean(exclude=["user"])
    officer.save()
    if qualifications is not None:
        with audit.qualifications_change(officer):
            officer.qualifications.set(qualifications)
    return officer
