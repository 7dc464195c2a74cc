"""Reads of the reports pages from a read replica, off unless ``DATABASE_REPLICA_URL`` is
set (config/settings/base.py then adds the ``replica`` database, this router and the
middleware below).

A router sees models, not who asks, and the reports app reads other apps' models
(violations, penalties, payroll). So the choice is made per request: the middleware
turns replica reads on for the views of the apps in ``REPLICA_APPS`` and off again after
the response; the router then sends every read to the replica and every write (audit
rows of an export, the session) to the primary. Reads made before the view (session,
user) stay on the primary. A replica lags a little behind the primary: fine for reports,
never for a page that reads what it has just written.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

REPLICA = "replica"
REPLICA_APPS = frozenset({"reports"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_reads_on() -> bool:
    return _replica_reads.get()


@contextmanager
def replica_reads():
    """Send the ORM's reads inside the block to the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PrimaryReplicaRouter:
    """Writes and migrations on the primary; reads on the replica while turned on."""

    def db_for_read(self, model, **hints):
        return REPLICA if _replica_reads.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaForReportsMiddleware:
    """Turns replica reads on for the views of ``REPLICA_APPS`` (by URL namespace)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_reads.set(False)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is not None and match.app_name in REPLICA_APPS:
            _replica_reads.set(True)
        return None
