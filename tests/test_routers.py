"""The read-replica router (config/routers.py): off by default; when configured, the
reports pages read from the replica and everything else from the primary."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory
from django.urls import resolve

from conduct.models import Violation
from config.routers import (
    PrimaryReplicaRouter,
    ReplicaForReportsMiddleware,
    replica_reads,
    replica_reads_on,
)

ROOT = Path(__file__).resolve().parent.parent


def test_reads_go_to_the_replica_only_when_turned_on_and_writes_never():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Violation) is None
    with replica_reads():
        assert router.db_for_read(Violation) == "replica"
        assert router.db_for_write(Violation) == "default"
    assert router.db_for_read(Violation) is None
    assert router.allow_migrate("default", "conduct") is True
    assert router.allow_migrate("replica", "conduct") is False


def _seen_during(path: str) -> bool:
    seen = {}

    def view(request):
        seen["on"] = replica_reads_on()
        return "response"

    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    middleware = ReplicaForReportsMiddleware(
        lambda r: middleware.process_view(r, view, (), {}) or view(r)
    )
    assert middleware(request) == "response"
    assert replica_reads_on() is False  # off again after the response
    return seen["on"]


def test_the_middleware_turns_replica_reads_on_for_the_reports_pages_only():
    assert _seen_during("/reports/monthly/") is True
    assert _seen_during("/conduct/violations/") is False
    assert _seen_during("/penalties/inbox/") is False


def _settings_with(env_extra: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env.update(env_extra, DJANGO_SETTINGS_MODULE="config.settings.test")
    code = (
        "import importlib; s = importlib.import_module('config.settings.test'); "
        "print(sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', []), "
        "'config.routers.ReplicaForReportsMiddleware' in s.MIDDLEWARE)"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_replica_is_off_by_default_and_on_with_database_replica_url():
    assert _settings_with({}) == "['default'] [] False"
    replica = "postgres://reader@127.0.0.1:5433/jiangcheng"
    assert _settings_with({"DATABASE_REPLICA_URL": replica}) == (
        "['default', 'replica'] ['config.routers.PrimaryReplicaRouter'] True"
    )
