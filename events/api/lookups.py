"""Turning ids and slugs in a request body into objects, refusing unknown ones with 422."""

from django.core.exceptions import ValidationError
from django.db.models import Model


def one(model: type[Model], field: str, value, *, by: str = "pk", label: str):
    """The object whose ``by`` is ``value`` (None stays None); 422 on ``field`` if absent."""
    if value is None:
        return None
    found = model.objects.filter(**{by: value}).first()
    if found is None:
        raise ValidationError({field: f"No such {label}: {value}."})
    return found


def many(model: type[Model], field: str, values, *, by: str = "pk", label: str) -> list:
    """All the objects named in ``values`` (in the same order); 422 naming any unknown ones."""
    if values is None:
        return None
    found = {getattr(obj, by): obj for obj in model.objects.filter(**{f"{by}__in": values})}
    missing = [str(value) for value in dict.fromkeys(values) if value not in found]
    if missing:
        raise ValidationError({field: f"No such {label}: {', '.join(missing)}."})
    return [found[value] for value in dict.fromkeys(values)]
