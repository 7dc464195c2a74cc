#!/usr/bin/env bash
# The load test end to end, on 127.0.0.1 only: a throwaway PostgreSQL with the load data
# (as scripts/bench.sh makes it), gunicorn with config/gunicorn.conf.py and 4 workers,
# then locust headless: 50 users (HR officers browsing and logging, department heads
# approving) for 60 s. Prints locust's summary; CSVs in var/loadtest/.
#
#   scripts/loadtest.sh                       # LOAD_USERS=50 LOAD_TIME=60s GUNICORN_WORKERS=4
#   BENCH_PGDATA=/tmp/benchpg scripts/loadtest.sh   # reuse the data of a bench run
#   LOAD_LOGIN=1 scripts/loadtest.sh          # every user logs in through the form first
#
# By default the simulated users arrive signed in, as staff do in the middle of a working
# day: a session per user is made beforehand (LOAD_SESSIONS in the fixture). A login costs
# 0.3-1.5 s of CPU by design (PBKDF2, 1,000,000 iterations), and 50 of them in the first
# five seconds measure the password hasher, not the pages; LOAD_LOGIN=1 includes them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench.sh

LOAD_USERS=${LOAD_USERS:-50}
LOAD_TIME=${LOAD_TIME:-60s}
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-4}

bench_packages load
bench_postgres_start
bench_load_data

export DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=false CONN_MAX_AGE=60
export ALLOWED_HOSTS=127.0.0.1 LOAD_USERS
out=var/loadtest
mkdir -p "$out"
export LOAD_FIXTURE=$out/fixture.json
.venv/bin/python - <<'EOF'
import json, os, time
import django
django.setup()
from benchmarks.scenarios import _simple_rule
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from conduct.models import Rulebook
from safeguards.middleware import LAST_SEEN
from staff.models import Department, Employee
rule = _simple_rule()

def signed_in(username, n):
    """n sessions of a user signed in now (what the login view leaves in the session)."""
    user = get_user_model().objects.get(username=username)
    keys = []
    for _ in range(n):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[LAST_SEEN] = int(time.time())
        session.create()
        keys.append(session.session_key)
    return keys

fixture = {
    "rule": {"rulebook": rule.version.rulebook_id, "category": rule.category_id, "rule": rule.pk},
    # People the logged rule can be logged for: it also fines the supervisor, so someone
    # without one on file (the top of the company) is refused, rightly, with a form error.
    "employees": list(
        Employee.objects.filter(
            employee_no__startswith="L", status="active", supervisor__isnull=False
        )
        .order_by("employee_no").values_list("pk", flat=True)[:3000]
    ),
    "departments": list(
        Department.objects.filter(code__startswith="LOAD-").values_list("pk", flat=True)
    ),
    "rulebooks": list(Rulebook.objects.values_list("pk", flat=True)),
    "sessions": {
        username: signed_in(username, int(os.environ["LOAD_USERS"]))
        for username in ("load-hr", "load-head")
    },
}
with open(os.environ["LOAD_FIXTURE"], "w", encoding="utf-8") as handle:
    json.dump(fixture, handle)
print(f"fixture: rule {rule}, {len(fixture['employees'])} employees")
EOF

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export GUNICORN_BIND="127.0.0.1:$port"
.venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi --access-logfile "$out/access.log" \
  --error-logfile "$out/gunicorn.log" &
gunicorn_pid=$!
stop_all() { kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; bench_postgres_stop; }
trap stop_all EXIT
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/accounts/login/" && break
  sleep 1
done
echo "gunicorn ($GUNICORN_WORKERS workers) on 127.0.0.1:$port; locust: $LOAD_USERS users for $LOAD_TIME"
uptime
.venv/bin/locust -f loadtest/locustfile.py --headless -u "$LOAD_USERS" -r 10 -t "$LOAD_TIME" \
  --host "http://127.0.0.1:$port" --csv "$out/locust" --only-summary --stop-timeout 10 \
  2>&1 | tee "$out/summary.txt"
uptime
