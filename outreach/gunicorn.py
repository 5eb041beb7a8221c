"""gunicorn settings: `gunicorn -c python:outreach.gunicorn outreach.wsgi` (see `make serve`)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads keep quick tally posts from queueing behind a slow report export in one worker.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 10
accesslog = os.environ.get("ACCESS_LOG") or None
# %(D)s is the time the request took in the server, in microseconds.
access_log_format = os.environ.get("ACCESS_LOG_FORMAT", '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"')
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
