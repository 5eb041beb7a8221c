"""Writes: one entry point per action, atomic and validated.

Views, the API, the admin and management commands all call these. They raise
``django.core.exceptions.ValidationError`` for bad input and ``ConflictError`` when a
clash rule refuses the change.
"""

from .errors import ConflictError

__all__ = ["ConflictError"]
