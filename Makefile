# The two commands the README opens with, and the everyday ones.
.PHONY: run test lint format messages bench

run:   ## the demo on SQLite with demo data at http://127.0.0.1:8000
	scripts/run.sh

test:  ## the whole suite on a throwaway PostgreSQL (installs what it needs)
	scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:  ## extract and compile every zh-Hans catalogue (the project's and each app's)
	DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m django makemessages -l zh_Hans --no-obsolete -i ".venv/*" -i "var/*" -i "static/*"
	DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m django compilemessages -l zh_Hans -i ".venv"

bench:  ## the benchmark suite on a throwaway PostgreSQL with 10,000 employees and 1,000,000 violations (not in CI)
	scripts/bench.sh $(ARGS)
