from django.core.exceptions import ValidationError

from ..conflicts import Conflict


class ConflictError(Exception):
    """A change refused by the clash rules; ``conflicts`` says what clashes with what."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__("; ".join(c.message for c in conflicts))


def refusal_messages(error: ValidationError | ConflictError) -> list[str]:
    """What a service's refusal says, one message per clash or problem."""
    if isinstance(error, ConflictError):
        return [conflict.message for conflict in error.conflicts]
    return error.messages


def show_refusal(form, error: ValidationError | ConflictError) -> None:
    """Put a service's refusal on a form (web page or admin): field errors where the field
    is on the form, the rest (and every clash, one per line) above it."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in refusal_messages(error):
            form.add_error(None, message)
