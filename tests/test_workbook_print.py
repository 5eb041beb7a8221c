"""The workbook as a spreadsheet program prints it (issue 14, item 6): LibreOffice headless
converts it to PDF, and every page is A4 landscape, each sheet one page wide, with no ###.
The pages are also saved as PNGs in var/screenshots/ to look at."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from events.reporting.exports import xlsx
from events.reporting.stats import StatsFilter

from .factories import assign, at, log, make_officer

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture
def soffice():
    found = shutil.which("soffice")
    if not found:
        message = "LibreOffice is not installed: apt-get install -y libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is a failure).")
        pytest.skip(message)
    return found


def test_the_workbook_prints_landscape_one_page_wide(soffice, tmp_path, make_event, team, topic):
    for day in range(1, 29):
        event = make_event(
            title=f"Harpenden Farmers' Market, stall {day}",
            starts_at=at(2024, 7, day, 9),
            ends_at=at(2024, 7, day, 15),
        )
        officer = make_officer(team=team, name=f"PC Officer with a long name {day}")
        assign(event, officer)
        log(event, officer, visitors=100 + day, signups=day, topics=[(topic, 2)])
    book = tmp_path / "engagement.xlsx"
    with book.open("wb") as stream:
        xlsx.write_engagement(
            stream, StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 7, 31))
        )
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(  # noqa: S603 (LibreOffice, our own file)
        [
            soffice,
            profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    printed = PdfReader(tmp_path / "engagement.pdf")
    assert 0 < len(printed.pages) < 40  # not hundreds of portrait pages
    for page in printed.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height, "every page landscape"
        assert round(width / 72 * 25.4) == 297  # A4 long side
    text = "\n".join(page.extract_text() for page in printed.pages)
    assert "###" not in text and "Generated at" in text
    assert "Harpenden Farmers' Market, stall 28" in text  # the last row was printed
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603, S607
            [
                "pdftoppm",
                "-png",
                "-r",
                "50",
                "-l",
                "3",
                str(tmp_path / "engagement.pdf"),
                str(SCREENSHOTS / "workbook-printed"),
            ],
            check=True,
        )
