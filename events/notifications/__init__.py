"""E-mail that the product sends by itself: officers hear about their shifts (assigned,
moved, taken off, cancelled, and a reminder the evening before) with a calendar attachment,
and managers get the month's figures with the PDF report.

``events.services.notifications`` records what is to be sent, in the transaction of the
change; ``tasks`` (Django's Tasks framework, run by ``manage.py db_worker``) sends it, with the
messages built by ``messages`` (shift notices) and ``digest`` (the monthly digest).
"""
