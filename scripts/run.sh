#!/usr/bin/env bash
# The demo: a virtual environment, the SQLite database migrated and filled with demo
# data, and the app on http://127.0.0.1:8000. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
export DJANGO_SETTINGS_MODULE=config.settings.local
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
