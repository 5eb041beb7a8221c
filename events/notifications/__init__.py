"""E-mail that the product sends by itself: officers hear about their shifts (assigned,
moved, taken off, cancelled, and a reminder the evening before) with a calendar attachment,
and managers get the month's figures with the PDF report.

``events.services.notifications`` records what is to be sent, in the transaction of the
change; ``tasks`` (Django's Tasks framework, run by ``manage.py db_worker``) sends it, with the
messages built by ``messages`` (shift notices) and ``digest`` (the monthly digest).
"""

import logging

from django.conf import settings


def mail_warning() -> str | None:
    """With DEBUG off and no EMAIL_HOST: the sentence saying that nobody receives the e-mail
    (the web server logs it when it starts, and the sending commands print it)."""
    if settings.DEBUG or not settings.MAIL_FOLDER:
        return None
    return (
        f"EMAIL_HOST is not set: e-mail to officers and managers is written to files in "
        f"{settings.MAIL_FOLDER} and nobody receives it. Set EMAIL_HOST (see README, "
        "Configuration)."
    )


def warn_if_mail_goes_to_files() -> None:
    if message := mail_warning():
        logging.getLogger("events.notifications").warning(message)
