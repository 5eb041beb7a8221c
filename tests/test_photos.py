"""Event photos: checked by content, size-capped, bomb-proof, EXIF-free, served to staff only."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.urls import reverse
from PIL import Image

from events.models import EventPhoto
from events.services.events import event_delete
from events.services.photos import photo_add, photo_delete

from .api_support import now_event
from .factories import assign, log


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def event(make_event, officer_user):
    event = make_event()
    assign(event, officer_user.officer)
    return event


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (1200, 800), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[2] = (51.0, 48.0, 30.0)  # GPSLatitude
    gps[4] = (0.0, 21.0, 10.0)  # GPSLongitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bomb() -> bytes:
    """A tiny PNG whose header claims 20000×20000 pixels."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def close(response):
    """Close a file response (its file handle) the way the test client would: without the
    request_finished signal closing the test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def upload(client, event, name, content, content_type="image/jpeg"):
    return client.post(
        reverse("photo_upload", args=[event.pk]),
        {
            "upload": SimpleUploadedFile(name, content, content_type=content_type),
            "caption": "Stand",
        },
        follow=True,
    )


def test_a_photo_is_stored_re_encoded_without_gps_and_shown_as_a_thumbnail(
    client, officer_user, event
):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)
    client.force_login(officer_user)
    response = upload(client, event, "IMG_0001.jpg", original)
    assert "Photo added" in response.content.decode()
    photo = EventPhoto.objects.get()
    assert "IMG_0001" not in photo.image.name and photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as stored:
        assert stored.size == (1200, 800)
        assert not stored.getexif() and not stored.getexif().get_ifd(0x8825)
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) == 480
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert reverse("photo_thumb", args=[photo.pk]) in page
    served = client.get(reverse("photo_file", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    close(served)


def test_a_decompression_bomb_is_refused(client, officer_user, event):
    client.force_login(officer_user)
    bomb = png_bomb()
    assert len(bomb) < 100
    response = upload(client, event, "tiny.png", bomb, "image/png")
    assert "too many pixels" in response.content.decode()
    assert not EventPhoto.objects.exists()


def test_an_html_file_named_jpg_is_refused(client, officer_user, event):
    client.force_login(officer_user)
    response = upload(client, event, "photo.jpg", b"<html><script>alert(1)</script></html>")
    assert "not a photo Outreach can read" in response.content.decode()
    assert not EventPhoto.objects.exists()


def test_a_gif_is_refused_even_though_it_is_an_image(client, officer_user, event):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    client.force_login(officer_user)
    response = upload(client, event, "anim.gif", out.getvalue(), "image/gif")
    assert "Only JPEG, PNG or WebP" in response.content.decode()


def test_an_oversized_upload_gets_a_clear_message(client, officer_user, event):
    client.force_login(officer_user)
    response = upload(client, event, "huge.jpg", b"\xff\xd8" + b"0" * (11 * 1024 * 1024))
    assert "the limit is 10 MB" in response.content.decode()
    assert not EventPhoto.objects.exists()


def test_photos_are_for_signed_in_staff_and_uploads_for_those_on_the_event(
    client, officer_user, other_officer_user, manager, outsider, event
):
    client.force_login(officer_user)
    upload(client, event, "a.jpg", jpeg_with_gps())
    photo = EventPhoto.objects.get()
    client.logout()
    assert client.get(reverse("photo_file", args=[photo.pk])).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("photo_file", args=[photo.pk])).status_code == 403
    client.force_login(manager)
    thumb = client.get(reverse("photo_thumb", args=[photo.pk]))
    assert thumb.status_code == 200
    close(thumb)
    assert upload(client, event, "b.jpg", jpeg_with_gps()).status_code == 404
    client.force_login(other_officer_user)
    assert upload(client, event, "c.jpg", jpeg_with_gps()).status_code == 404
    assert EventPhoto.objects.count() == 1


def stored_photo(event, name="stand.jpg"):
    upload = SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")
    photo = photo_add(event=event, upload=upload, caption="Stand")
    files = [Path(photo.image.path), Path(photo.thumbnail.path)]
    assert all(path.is_file() for path in files)
    return photo, files


def test_photos_are_for_those_who_may_see_the_events_figures_or_are_on_it(
    client, planner, officer_user, other_officer_user, manager, event
):
    photo, _ = stored_photo(event)
    urls = [reverse("photo_file", args=[photo.pk]), reverse("photo_thumb", args=[photo.pk])]
    for user in (officer_user, planner, manager):
        client.force_login(user)
        for url in urls:
            served = client.get(url)
            assert served.status_code == 200, (user, url)
            close(served)
        page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
        assert urls[1] in page
    # An officer not on the event sees the event, but not its photos: 404, and no album.
    client.force_login(other_officer_user)
    for url in urls:
        assert client.get(url).status_code == 404
    page = client.get(reverse("event_detail", args=[event.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert urls[1] not in html and 'alt="Stand"' not in html and "<span>Stand</span>" not in html


def test_deleting_a_photo_removes_its_files_once_committed(
    event, django_capture_on_commit_callbacks
):
    photo, files = stored_photo(event)
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=photo)
    assert not EventPhoto.objects.exists()
    assert not any(path.exists() for path in files)


def test_deleting_a_photo_in_the_admin_removes_its_files(
    client, admin_user, event, django_capture_on_commit_callbacks
):
    photo, files = stored_photo(event)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:events_eventphoto_delete", args=[photo.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not EventPhoto.objects.exists()
    assert not any(path.exists() for path in files)


def test_deleting_an_event_removes_its_photo_files(event, django_capture_on_commit_callbacks):
    _, first = stored_photo(event, "a.jpg")
    _, second = stored_photo(event, "b.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        assert event_delete(event=event) is None
    assert not EventPhoto.objects.exists()
    assert not any(path.exists() for path in first + second)


def test_a_rolled_back_delete_keeps_the_files(event, django_capture_on_commit_callbacks):
    photo, files = stored_photo(event)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        event_delete(event=event)
        raise RuntimeError("something later in the same step failed")
    assert EventPhoto.objects.filter(pk=photo.pk).exists()
    assert all(path.is_file() for path in files)


def test_an_event_with_logs_is_cancelled_and_keeps_its_photos(
    make_event, officer_user, django_capture_on_commit_callbacks
):
    event = now_event(make_event)
    assign(event, officer_user.officer)
    photo, files = stored_photo(event)
    log(event, officer_user.officer, visitors=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert event_delete(event=event) is not None
    assert EventPhoto.objects.filter(pk=photo.pk).exists()
    assert all(path.is_file() for path in files)


@pytest.mark.django_db(transaction=True)
def test_a_photo_is_decoded_and_re_encoded_before_the_transaction_opens(
    client, officer_user, event, monkeypatch
):
    """Decoding a large photo inside the transaction held SQLite's write lock for seconds
    while officers' taps waited (issue 13, item 4): only the row is written inside it."""
    from django.db import connection

    seen = []
    real_open, real_save = Image.open, Image.Image.save

    def watched_open(*args, **kwargs):
        seen.append(("decode", connection.in_atomic_block))
        return real_open(*args, **kwargs)

    def watched_save(self, *args, **kwargs):
        seen.append(("encode", connection.in_atomic_block))
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Image, "open", watched_open)
    monkeypatch.setattr(Image.Image, "save", watched_save)
    photo = photo_add(event=event, upload=SimpleUploadedFile("a.jpg", jpeg_with_gps()))
    assert photo.pk and EventPhoto.objects.filter(pk=photo.pk).exists()
    assert ("decode", False) in seen and ("encode", False) in seen
    assert all(inside is False for _step, inside in seen), seen
