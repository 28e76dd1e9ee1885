# Ortswandel — the two commands of the README:
#   make demo   install everything, migrate, load the official register and demo content, serve :8000
#               with the job worker in the background (mail, reminders, deletion deadlines)
#   make test   install everything (incl. Debian's Chromium for browser tests) and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(VENV)/bin/pip
export ORTSWANDEL_DATA_DIR ?= $(abspath ../shared/data)

.PHONY: demo test install install-dev system-deps messages migrate demo-data serve serve-demo worker lint typecheck bench clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(VENV)/bin/activate
	$(PIP) install -q -c requirements/constraints.txt -e .
	$(MAKE) --no-print-directory messages

install-dev: $(VENV)/bin/activate
	$(PIP) install -q -c requirements/constraints.txt -e '.[dev]'
	$(MAKE) --no-print-directory messages

messages:
	$(PY) scripts/compilemessages.py

migrate:
	$(PY) manage.py migrate --noinput -v0

demo-data:
	$(PY) manage.py import_municipalities
	$(PY) manage.py import_datapool
	$(PY) manage.py load_demo_content
	$(PY) manage.py import_content
	$(PY) manage.py createinitialrevisions catalogue --comment "Demo-Inhalt geladen" -v0

serve:
	$(PY) manage.py runserver 127.0.0.1:8000

worker:
	$(PY) manage.py run_worker

# runserver plus the job worker in the background; stopping the server stops the worker.
serve-demo:
	$(PY) scripts/run_demo_server.py 127.0.0.1:8000

demo: install migrate demo-data serve-demo

system-deps:
	bash scripts/install_system_deps.sh

test: install-dev system-deps
	bash scripts/run_tests.sh

lint:
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/lint-imports --no-cache

typecheck:
	$(VENV)/bin/mypy src

bench:
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
