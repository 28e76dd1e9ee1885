#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite and again on PostgreSQL when reachable.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
export ORTSWANDEL_DATA_DIR=${ORTSWANDEL_DATA_DIR:-$(cd .. && pwd)/shared/data}
export PYTHONDONTWRITEBYTECODE=1
mkdir -p var
status=0

step() { echo; echo "==> $*"; }

step "ruff"
lint_paths=$(for p in src tests bench scripts; do [ -d "$p" ] && echo "$p"; done)
# shellcheck disable=SC2086
$VENV/bin/ruff check $lint_paths || status=1

step "ruff format --check"
# shellcheck disable=SC2086
$VENV/bin/ruff format --check $lint_paths || status=1

step "lint-imports (layer contracts in .importlinter)"
$VENV/bin/lint-imports --no-cache || status=1

step "mypy"
$VENV/bin/mypy src || status=1

step "makemigrations --check"
DATABASE_URL= $PY manage.py makemigrations --check --dry-run || status=1

step "pytest on SQLite"
DATABASE_URL= $PY -m pytest "$@"
rc=$?
if [ $rc -ne 0 ]; then status=1; fi

PG_URL=${ORTSWANDEL_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/ortswandel}
if $PY - "$PG_URL" <<'PYEOF'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("/ortswandel", "/postgres"), connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not reachable ({exc}); skipping the PostgreSQL run")
    sys.exit(1)
PYEOF
then
  step "pytest on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $PY -m pytest -p no:cacheprovider "$@"
  rc=$?
  if [ $rc -ne 0 ]; then status=1; fi
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL must be reachable in CI"; status=1
fi

echo
if [ $status -eq 0 ]; then echo "ALL CHECKS PASSED"; else echo "SOME CHECKS FAILED"; fi
exit $status
