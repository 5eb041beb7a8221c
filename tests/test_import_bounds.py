"""A spreadsheet import reads only what is bounded: a workbook whose parts unpack to too much,
a sheet that says it is too big, or XML that expands entities is refused before parsing."""

import io
import re
import zipfile

import openpyxl.xml
import pytest
from openpyxl import Workbook

from events.imports import MAX_UNPACKED
from events.models import KitItem

from .test_import import KIT_HEADER, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part added or replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def refusal(response) -> str:
    assert response.status_code == 400, response.status_code
    return response.content.decode()


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(planner_client):
    good = workbook_bytes([KIT_HEADER, ["Gazebo", "GZB-09", "gazebo", "ready"]])
    bomb = with_part(good, "xl/padding.xml", b" " * (MAX_UNPACKED + 1))
    assert len(bomb) < 1024 * 1024  # small on the wire

    text = refusal(upload(planner_client, "kit", bomb, name="kit.xlsx"))

    assert "The workbook unpacks to 50 MB; the limit is 50 MB." in text
    assert not KitItem.objects.exists()


def test_a_sheet_that_says_it_has_too_many_rows_is_refused_before_reading(planner_client):
    good = workbook_bytes([KIT_HEADER, ["Gazebo", "GZB-09", "gazebo", "ready"]])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    huge = re.sub(rb'<dimension ref="A1:([A-Z]+)2"/>', rb'<dimension ref="A1:\g<1>900000"/>', sheet)
    assert huge != sheet

    text = refusal(
        upload(
            planner_client,
            "kit",
            with_part(good, "xl/worksheets/sheet1.xml", huge),
            name="kit.xlsx",
        )
    )

    assert "899,999 rows; the limit is 5,000" in text


def test_xml_entities_are_not_expanded(planner_client):
    assert openpyxl.xml.DEFUSEDXML  # defusedxml is installed, so openpyxl parses with it
    good = workbook_bytes([KIT_HEADER, ["Gazebo", "GZB-09", "gazebo", "ready"]])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    dtd = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    laughs = dtd + sheet.replace(b"<t>Gazebo</t>", b"<t>&lol2;</t>")
    assert b"&lol2;" in laughs
    bomb = with_part(good, "xl/worksheets/sheet1.xml", laughs)

    response = upload(planner_client, "kit", bomb, name="kit.xlsx")

    assert response.status_code == 400
    assert "lollollol" not in response.content.decode()
    assert not KitItem.objects.exists()
