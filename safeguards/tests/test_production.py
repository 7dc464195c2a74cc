"""Production settings: a CSP without 'unsafe-inline' for scripts, secure cookies, HSTS."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json
from django.conf import settings
print(json.dumps({
    "csp": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "middleware": settings.MIDDLEWARE,
    "secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
               settings.SESSION_COOKIE_HTTPONLY],
    "hsts": settings.SECURE_HSTS_SECONDS,
}, default=str))
"""


def test_production_policy():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 60 + "-production-like",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://u@127.0.0.1/db"),
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    scripts = result["csp"]["script-src"]
    assert "'unsafe-inline'" not in scripts and "'self'" in scripts
    assert result["csp"]["object-src"] == ["'none'"]
    assert result["csp"]["frame-ancestors"] == ["'none'"]
    assert "csp.middleware.CSPMiddleware" in result["middleware"]
    assert result["secure"] == [True, True, True]
    assert result["hsts"] >= 31536000
