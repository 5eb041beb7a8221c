import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
application = get_wsgi_application()

# Production without a mail server says so when it starts (README, "E-mail, reminders and
# the digest").
from events.notifications import warn_if_mail_goes_to_files  # noqa: E402 (needs the setup)

warn_if_mail_goes_to_files()
