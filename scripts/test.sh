#!/usr/bin/env bash
# The whole test suite on a fresh machine: system packages, Python dependencies, a
# throwaway PostgreSQL on 127.0.0.1 (stopped and removed on exit), then pytest.
# Extra arguments go to pytest:  scripts/test.sh -k engine
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. System packages the suite needs: CJK fonts and HarfBuzz for WeasyPrint's PDFs,
#    pdftotext to read them back, Debian's Chromium for the browser tests, gettext for
#    the message catalogues, and the PostgreSQL server.
packages=(fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium gettext postgresql)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Python dependencies.
scripts/venv.sh test

# 3. A throwaway PostgreSQL.
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pgdata=$(mktemp -d)
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) == 0 ]] && chown postgres "$pgdata"
stop_postgres() {
  as_postgres "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdata"
}
trap stop_postgres EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$pgbin/initdb" -D "$pgdata" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" start -o \
  "-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null
as_postgres "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres jiangcheng
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/jiangcheng"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

# 4. The suite. --create-db: a fresh test database every run.
.venv/bin/python -m pytest --create-db --durations=25 "$@"
