#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite: lint, migrations,
# deploy checks, then pytest on SQLite and again on PostgreSQL.
# With CI=true PostgreSQL is required; otherwise it is used when reachable.
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

# Debian's Chromium and a CJK font for the browser journeys; gettext to check
# that every marked string is in the English catalog; PostgreSQL's client tools
# for the backup and restore test.
if ! command -v chromium >/dev/null || ! command -v xgettext >/dev/null \
   || ! command -v pg_dump >/dev/null || ! command -v psql >/dev/null \
   || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium fonts-wqy-microhei gettext fontconfig \
    postgresql-client >/dev/null
fi

export PATH="$PWD/.venv/bin:$PATH"
export DEBUG=0 DEMO_MODE=1 HTTPS_ONLY=0
export HALL_VAR_DIR="$PWD/var/test"
mkdir -p "$HALL_VAR_DIR"
SQLITE_URL="sqlite:///$HALL_VAR_DIR/hall.sqlite3"

echo "== ruff"
ruff check .
ruff format --check .

echo "== migrations are complete"
DATABASE_URL=$SQLITE_URL python manage.py makemigrations --check --dry-run

echo "== deploy checks with production settings"
DATABASE_URL=$SQLITE_URL DEBUG=0 DEMO_MODE=0 HTTPS_ONLY=1 ALLOWED_HOSTS=hall.example.gov.cn \
  SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  python manage.py check --deploy --fail-level WARNING

echo "== translations and static files"
DATABASE_URL=$SQLITE_URL python manage.py compiletranslations
DATABASE_URL=$SQLITE_URL python manage.py collectstatic --noinput -v 0

PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/hall}
pg_reachable() {
  python - "$PG_URL" <<'PY'
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}")
    sys.exit(1)
PY
}

# One suite per database, each with its own media, log and outbox folders so the
# two can run side by side (one core each) without seeing each other's files.
suite() {
  local name=$1 url=$2; shift 2
  local dir="$HALL_VAR_DIR/run-$name"
  rm -rf "$dir" && mkdir -p "$dir"
  DATABASE_URL=$url MEDIA_ROOT="$dir/media" LOG_DIR="$dir/log" \
    NOTIFY_FILE_PATH="$dir/notifications.jsonl" pytest -q "$@"
}

if pg_reachable; then
  echo "== pytest on SQLite and on PostgreSQL, side by side"
  suite sqlite "$SQLITE_URL" "$@" > "$HALL_VAR_DIR/pytest-sqlite.log" 2>&1 &
  sqlite_pid=$!
  suite pg "$PG_URL" "$@" > "$HALL_VAR_DIR/pytest-pg.log" 2>&1 &
  pg_pid=$!
  sqlite_rc=0; pg_rc=0
  wait "$sqlite_pid" || sqlite_rc=$?
  wait "$pg_pid" || pg_rc=$?
  echo "== pytest on SQLite (exit $sqlite_rc)"; cat "$HALL_VAR_DIR/pytest-sqlite.log"
  echo "== pytest on PostgreSQL (exit $pg_rc)"; cat "$HALL_VAR_DIR/pytest-pg.log"
  [[ $sqlite_rc -eq 0 && $pg_rc -eq 0 ]] || exit 1
elif [[ ${CI:-} == "true" ]]; then
  echo "CI=true: PostgreSQL is required" >&2
  exit 1
else
  echo "== pytest on SQLite (PostgreSQL not reachable: skipped, required when CI=true)"
  suite sqlite "$SQLITE_URL" "$@"
fi
