#!/usr/bin/env bash
# Creates .venv with the machine's python3 and installs the project's pinned dependencies.
# Idempotent and quick on a second run: it reinstalls only when pyproject.toml changed.
# Usage: scripts/venv.sh [EXTRA]   (EXTRA: "test" for the test dependencies)
set -euo pipefail
cd "$(dirname "$0")/.."
extra=${1:-}
[[ -x .venv/bin/python ]] || python3 -m venv .venv
spec="."
[[ -n $extra ]] && spec=".[$extra]"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extra:-base}"
if [[ ! -f $stamp ]]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet "$spec"
  rm -rf build ./*.egg-info
  touch "$stamp"
fi
