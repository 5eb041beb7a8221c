"""Adding photos to an event's album."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Event, EventPhoto
from ..photos import clean_photo
from .engagement import clean_text


@transaction.atomic
def photo_add(*, event: Event, upload, caption: str = "", user=None) -> EventPhoto:
    """Store a cleaned copy of the photo (never the upload itself) under a random name."""
    if event.is_cancelled:
        raise ValidationError("This event is cancelled.")
    caption = clean_text(caption, field="caption", limit=200)
    clean = clean_photo(upload)
    photo = EventPhoto(event=event, caption=caption, uploaded_by=user)
    photo.image.save(clean.image.name, clean.image, save=False)
    photo.thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
    photo.save()
    return photo
