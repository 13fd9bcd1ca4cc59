"""Gunicorn settings for Needlepoint behind a reverse proxy (docs/deploy.md).

Start with: gunicorn --config deploy/gunicorn.conf.py
"""

import multiprocessing
import os

wsgi_app = "needlepoint.wsgi:application"
# Only the proxy on this machine connects; never expose this port.
bind = os.environ.get("NEEDLEPOINT_BIND", "127.0.0.1:8000")

# Sync workers: a request holds one while it waits on the database, so run about two per
# core plus one (5 on 2 cores, ~100 MB each). The proxy buffers slow clients and uploads,
# so a worker is never tied up by a slow phone connection.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A worker silent this long is killed and replaced; no page should take more than seconds.
timeout = 30
graceful_timeout = 30  # a restart lets requests in flight finish first
keepalive = 5
# Recycle each worker now and then, so slow memory growth never builds up; but rarely: a
# new worker spends a second or more of a core loading Django, and requests queue behind
# it. At 1000 requests, four minutes of load restarted workers 49 times and pushed
# /health/'s slowest 1% past a second. The jitter keeps workers from restarting together.
max_requests = 20000
max_requests_jitter = 2000

# Trust X-Forwarded-Proto only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("NEEDLEPOINT_TRUSTED_PROXIES") or "127.0.0.1,::1"

# Needlepoint logs every request itself (JSON, with its id, without the query string);
# gunicorn's own access log would repeat it and write query strings.
accesslog = None
errorlog = "-"
loglevel = "info"
# Gunicorn's own lines (start, worker boots and timeouts) in the app's format, so one
# log pipeline reads everything.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "needlepoint.core.request_log.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}
        },
    }
# No control socket: the service's home is read-only; reload with `systemctl reload`.
control_socket_disable = True
