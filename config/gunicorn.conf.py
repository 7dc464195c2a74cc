"""gunicorn for Jiangcheng: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Every setting can be changed from the environment. The app servers keep nothing of their
own (sessions in the database, uploads on MEDIA_ROOT's shared storage), so any number of
them can stand behind the load balancer (docs/deployment.md)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: the views are short and database-bound; 2–4 per core. Default 4
# (two cores); set GUNICORN_WORKERS to 2 × cores + 1 on a larger host.
# GUNICORN_WORKERS=auto: 2 × cores + 1.
_workers = os.environ.get("GUNICORN_WORKERS", "4")
workers = multiprocessing.cpu_count() * 2 + 1 if _workers == "auto" else int(_workers)
worker_class = "sync"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that runs longer than this is killed and logged: long work (a month of
# notices, processing attendance, the payroll export) belongs in a background job.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (a slow leak never grows for ever), staggered.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Load the app before forking: workers share its memory and a broken deploy fails fast.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes"}
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client, user-agent free: time, method, path, status, bytes, duration in ms, worker pid.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms pid=%(p)s'


def when_ready(server):
    """In the master, before the workers are forked: cut the notice fonts down once
    (penalties.pdf_fonts, ~0.5 s), so that every worker, and every worker that replaces a
    recycled one, inherits them instead of paying for them on its first PDF. Only with
    the app preloaded (the master has Django set up); GUNICORN_WARM_PDF=false skips it."""
    if not preload_app or os.environ.get("GUNICORN_WARM_PDF", "true").lower() in {"0", "false"}:
        return
    from penalties.pdf_fonts import notice_fonts

    server.log.info("Notice fonts ready: %d faces", len(notice_fonts()))
