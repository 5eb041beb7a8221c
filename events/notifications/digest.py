"""The monthly digest for managers: the month's headline figures against the same month a year
before, with the PDF management report for the month attached. Every figure comes from
``events.reporting.stats`` (the same ``summary`` the dashboard and the API show), and the
labels are the PDF's own, so the e-mail and its attachment agree."""

import datetime as dt
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .. import permissions
from ..models import MonthlyDigest
from ..reporting import stats
from ..reporting.exports import pdf
from ..reporting.exports import rows as report
from ..reporting.stats import StatsFilter, add_months
from .messages import send_once


def previous_month(today: dt.date) -> dt.date:
    return add_months(today, -1)


def month_filter(month: dt.date) -> StatsFilter:
    """The London calendar month of ``month``, first to last day."""
    first = month.replace(day=1)
    return StatsFilter(date_from=first, date_to=add_months(first, 1) - dt.timedelta(days=1))


def recipients():
    """Active users in the manager role with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(groups__name=permissions.MANAGER, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _change(now, then) -> str:
    if now is None or then is None:
        return ""
    if not then:
        return "new" if now else "same"
    percent = round(100 * (now - then) / then)
    return f"{percent:+d}%" if percent else "same"


def figure_lines(month: dt.date) -> list[dict]:
    """Each headline figure for the month and the same month last year, with the change."""
    this = stats.summary(month_filter(month))
    last = stats.summary(month_filter(add_months(month, -12)))
    return [
        {
            "label": label,
            "now": pdf.number(value, kind),
            "then": pdf.number(last_value, kind),
            "change": _change(value, last_value),
        }
        for (label, value, kind), (_l, last_value, _k) in zip(
            report.headline(this), report.headline(last), strict=True
        )
    ]


def digest_message(digest: MonthlyDigest) -> EmailMultiAlternatives:
    month = digest.month
    lines = figure_lines(month)
    width = max(len(line["label"]) for line in lines)
    context = {
        "user": digest.user,
        "month": month,
        "last_year": add_months(month, -12),
        "lines": [{**line, "label": line["label"].ljust(width)} for line in lines],
    }
    body = render_to_string("emails/monthly_digest.txt", context)
    subject = f"Community engagement in {month:%B %Y}"
    message = EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [digest.user.email]
    )
    stream = io.BytesIO()
    pdf.write_engagement(stream, month_filter(month))
    message.attach(f"engagement-{month:%Y-%m}.pdf", stream.getvalue(), pdf.CONTENT_TYPE)
    return message


def deliver_digest(digest_id: int) -> str:
    digest = MonthlyDigest.objects.select_related("user").filter(pk=digest_id).first()
    return send_once(digest, address=lambda d: d.user.email, build=digest_message)
