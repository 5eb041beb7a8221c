"""The officer register: creating and changing officers' records."""

from django.db import transaction

from ..models import Officer


@transaction.atomic
def officer_save(*, officer: Officer, qualifications=None) -> Officer:
    """Create or update an officer (validated: unique shoulder number, valid e-mail, rank).

    ``qualifications``, when given, replaces the officer's whole set.
    """
    officer.full_clean(exclude=["user"])
    officer.save()
    if qualifications is not None:
        officer.qualifications.set(qualifications)
    return officer
