"""Adding photos to an event's album, and removing them with their files."""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Event, EventPhoto
from ..photos import clean_photo
from .engagement import clean_text

logger = logging.getLogger(__name__)


def photo_add(*, event: Event, upload, caption: str = "", user=None) -> EventPhoto:
    """Store a cleaned copy of the photo (never the upload itself) under a random name.

    The slow part, decoding and re-encoding the image, happens before the transaction opens,
    so a large photo never holds the database's write lock while officers post their taps;
    only the row is written inside it (and the event re-read there, in case it was cancelled
    meanwhile)."""
    if event.is_cancelled:
        raise ValidationError("This event is cancelled.")
    caption = clean_text(caption, field="caption", limit=200)
    clean = clean_photo(upload)
    with transaction.atomic():
        if Event.objects.filter(pk=event.pk, status=Event.Status.CANCELLED).exists():
            raise ValidationError("This event is cancelled.")
        photo = EventPhoto(event=event, caption=caption, uploaded_by=user)
        photo.image.save(clean.image.name, clean.image, save=False)
        photo.thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
        photo.save()
    return photo


def remove_files_on_commit(photos: Iterable[EventPhoto]) -> None:
    """Remove these photos' image and thumbnail files once the transaction that deletes their
    rows commits (never before: a rolled-back delete keeps the rows, so the files must stay)."""
    files = [
        (field.storage, field.name)
        for photo in photos
        for field in (photo.image, photo.thumbnail)
        if field.name
    ]
    if not files:
        return

    def remove():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError as error:
                logger.warning("Could not remove photo file %s: %s", name, error)

    transaction.on_commit(remove)


@transaction.atomic
def photo_delete(*, photo: EventPhoto) -> None:
    """Delete a photo from its album, and its files with it."""
    remove_files_on_commit([photo])
    photo.delete()
