from django.core.exceptions import ValidationError

from ...services import ConflictError


def add_service_errors(form, error: ValidationError | ConflictError) -> None:
    """Show a service's refusal on the form: field errors where the field is on it."""
    if isinstance(error, ConflictError):
        for conflict in error.conflicts:
            form.add_error(None, conflict.message)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
