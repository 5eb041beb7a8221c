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

# Recycle each worker after this many requests (with jitter, so they do not all restart at
# once): memory a large import or export took is given back to the system.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Refuse oversized request lines and headers before Django sees them (bodies are limited by
# the app: UPLOAD_MAX_MB, BODY_MAX_KB).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
