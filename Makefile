# The two commands: `make run` and `make test`. Everything else is a helper for them.
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test setup migrate check lint format serve clean bench

PORT ?= 8000

# The web server and one background-job worker (exports, e-mail), both stopped by Ctrl+C.
run: setup
	@DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Serving Outreach at http://127.0.0.1:$(PORT) with one background worker (Ctrl+C stops both)"
	@DEBUG=1 PYTHON=$(BIN)/python bin/with-worker $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	@mkdir -p var
	DEBUG=1 $(BIN)/python manage.py check --fail-level WARNING
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMP)
	@mkdir -p var
	@DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0

$(BIN)/python:
	@py=$$(bin/find-python) || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Reports and dashboard timed on the force-scale set (25,000 events), built once into its own
# SQLite file under var/bench/ (never the DATABASE_URL one); see README, "Benchmarks".
BENCH := env -u DATABASE_URL DATA_DIR=var/bench DEBUG=1 $(BIN)/python manage.py
bench: $(STAMP)
	@mkdir -p var/bench
	@$(BENCH) migrate --noinput -v0
	@$(BENCH) seed_demo --scale 5
	$(BENCH) bench

# Production-style serving: gunicorn + whitenoise against DATABASE_URL (SECRET_KEY required),
# with one background-job worker beside it (README, "Production", for systemd units instead).
serve: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	PYTHON=$(BIN)/python bin/with-worker $(BIN)/gunicorn -c python:outreach.gunicorn outreach.wsgi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles
