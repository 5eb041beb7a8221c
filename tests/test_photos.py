"""Event photos: checked by content, size-capped, bomb-proof, EXIF-free, served to staff only."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from PIL import Image

from events.models import EventPhoto

from .factories import assign


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
