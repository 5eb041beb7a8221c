"""The stand poster: one A4 page, black on white, with the event's QR code.

The QR code is reportlab's own drawing (``QrCodeWidget``: vectors, no image, no extra
dependency) of the stand page's absolute address; under it the address in letters for a
phone that cannot scan. Big type, no colour: it prints on any office printer.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ...models import Event
from ...time import LONDON, local_date
from . import pdf

QR_SIZE = 120 * mm
CALLS_TO_ACTION = ("Get community messages", "Report rural crime")


def stand_url(event: Event, *, request_base: str) -> str:
    """The stand page's absolute address: under ``PUBLIC_BASE_URL`` when set (the address the
    public reaches, whatever host the planner used), else under the request's own."""
    base = (settings.PUBLIC_BASE_URL or request_base).rstrip("/")
    return base + reverse("stand_page", args=[event.stand_code])


def filename(event: Event) -> str:
    return f"poster-{slugify(event.title)[:60] or 'event'}-{local_date(event.starts_at)}.pdf"


def event_date(event: Event) -> str:
    start = event.starts_at.astimezone(LONDON)
    end = event.ends_at.astimezone(LONDON)
    if start.date() == end.date():
        return f"{start:%A %-d %B %Y}"
    if start.year == end.year:
        return f"{start:%-d %B} to {end:%-d %B %Y}"
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def _centred(canvas: Canvas, text: str, y: float, size: float, *, bold=False) -> None:
    font = pdf.BOLD if bold else pdf.FONT
    width = A4[0] - 30 * mm
    while size > 8 and canvas.stringWidth(text, font, size) > width:
        size -= 1
    canvas.setFont(font, size)
    canvas.drawCentredString(A4[0] / 2, y, text)


def qr_drawing(url: str, size: float = QR_SIZE) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M", barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def write_poster(stream, event: Event, url: str) -> None:
    """Write the event's one-page poster, its QR code pointing at ``url``, to ``stream``."""
    pdf.register_fonts()
    width, height = A4
    canvas = Canvas(stream, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Stand poster: {pdf.plain(event.title)}")
    canvas.setAuthor("Outreach")
    canvas.setFillColorRGB(0, 0, 0)
    _centred(canvas, "Scan me with your phone camera", height - 28 * mm, 22, bold=True)
    renderPDF.draw(qr_drawing(url), canvas, (width - QR_SIZE) / 2, height - 40 * mm - QR_SIZE)
    below = height - 48 * mm - QR_SIZE
    _centred(canvas, url, below, 12)
    for index, call in enumerate(CALLS_TO_ACTION):
        _centred(canvas, call, below - (18 + index * 14) * mm, 26, bold=True)
    _centred(canvas, pdf.plain(event.title), 40 * mm, 20, bold=True)
    _centred(canvas, event_date(event), 31 * mm, 14)
    _centred(canvas, "In an emergency, call 999.", 18 * mm, 12)
    canvas.showPage()
    canvas.save()
