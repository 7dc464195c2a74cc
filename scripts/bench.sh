#!/usr/bin/env bash
# The benchmark suite at company scale on a throwaway PostgreSQL (like scripts/test.sh):
# start PostgreSQL on 127.0.0.1, migrate an empty template database, copy it, generate
# the load data into the copy, then run `python -m benchmarks` against it.
#
#   scripts/bench.sh                                   # 10,000 employees, 1,000,000 violations
#   BENCH_EMPLOYEES=500 BENCH_VIOLATIONS=20000 scripts/bench.sh --quick
#   scripts/bench.sh --update-baseline                 # then commit benchmarks/baseline.json
#   BENCH_URL_BASE=postgres://postgres@127.0.0.1:5432 BENCH_DB=jc_load scripts/bench.sh
#
# Extra arguments go to `python -m benchmarks`. BENCH_PGDATA=/some/dir keeps the database
# folder (and its load data) between runs: a second run skips the generation.
# Sourced by scripts/loadtest.sh for bench_postgres_start and bench_load_data.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_EMPLOYEES=${BENCH_EMPLOYEES:-10000}
BENCH_VIOLATIONS=${BENCH_VIOLATIONS:-1000000}
BENCH_SEED=${BENCH_SEED:-1}
BENCH_DB=${BENCH_DB:-jiangcheng}

bench_packages() {
  local packages=(fonts-noto-cjk libharfbuzz-subset0 postgresql) missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  if ((${#missing[@]})); then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  scripts/venv.sh "${1:-test}"
}

# Starts PostgreSQL in $BENCH_PGDATA (a new temporary folder, removed on exit, unless set)
# and exports BENCH_URL_BASE (postgres://postgres@127.0.0.1:PORT). Settings of a modest
# single server with 24 GB of memory and an SSD. With BENCH_URL_BASE already set, that
# server is used as it is.
bench_postgres_start() {
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if [[ -n ${BENCH_URL_BASE:-} ]]; then
    bench_postgres_stop() { return 0; }
    echo "Using the PostgreSQL at $BENCH_URL_BASE"
    return 0
  fi
  bench_keep=${BENCH_PGDATA:-}
  if [[ -n $bench_keep ]]; then
    pgdata=$bench_keep
    mkdir -p "$pgdata"
  else
    pgdata=$(mktemp -d)
  fi
  [[ $(id -u) == 0 ]] && chown postgres "$pgdata"
  bench_postgres_stop() {
    as_postgres "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true
    [[ -z $bench_keep ]] && rm -rf "$pgdata"
    return 0
  }
  trap bench_postgres_stop EXIT
  BENCH_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [[ ! -f $pgdata/PG_VERSION ]]; then
    as_postgres "$pgbin/initdb" -D "$pgdata" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_postgres "$pgbin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" start -o \
    "-p $BENCH_PORT -k $pgdata -c listen_addresses=127.0.0.1 -c max_connections=200 \
     -c shared_buffers=2GB -c effective_cache_size=12GB -c work_mem=32MB \
     -c maintenance_work_mem=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min \
     -c random_page_cost=1.1 -c effective_io_concurrency=200" >/dev/null
  export BENCH_URL_BASE="postgres://postgres@127.0.0.1:$BENCH_PORT"
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$BENCH_PORT ($pgdata)"
}

bench_sql() { "$pgbin/psql" "$BENCH_URL_BASE/postgres" -v ON_ERROR_STOP=1 -tAc "$1"; }
bench_db_exists() { bench_sql "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }

# jc_empty: migrated, nothing else (the template of the isolated scenarios);
# $BENCH_DB (jiangcheng): a copy with the load data. Both are migrated on every run.
bench_load_data() {
  bench_db_exists jc_empty || bench_sql "CREATE DATABASE jc_empty"
  DATABASE_URL="$BENCH_URL_BASE/jc_empty" .venv/bin/python manage.py migrate -v 0
  if ! bench_db_exists "$BENCH_DB"; then
    bench_sql "CREATE DATABASE $BENCH_DB TEMPLATE jc_empty"
    echo "Generating $BENCH_EMPLOYEES employees and $BENCH_VIOLATIONS violations (seed $BENCH_SEED)…"
    /usr/bin/time -f "generate_load_data: %e s wall, %U s user CPU, %M KB peak" \
      env DATABASE_URL="$BENCH_URL_BASE/$BENCH_DB" .venv/bin/python manage.py generate_load_data \
      --employees "$BENCH_EMPLOYEES" --violations "$BENCH_VIOLATIONS" --seed "$BENCH_SEED"
  else
    echo "Reusing the load data in database $BENCH_DB."
    DATABASE_URL="$BENCH_URL_BASE/$BENCH_DB" .venv/bin/python manage.py migrate -v 0
  fi
  export DATABASE_URL="$BENCH_URL_BASE/$BENCH_DB"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  bench_packages test
  bench_postgres_start
  bench_load_data
  export BENCH_TEMPLATE_DB=jc_empty DEBUG=false ALLOWED_HOSTS=testserver,127.0.0.1,localhost
  .venv/bin/python -m benchmarks "$@"
fi
