#!/usr/bin/env bash
# Sets up the hall on a fresh machine (Python 3.11) and serves it at
# http://127.0.0.1:8000 with gunicorn, on SQLite with demo data, with one
# notification worker (run_notifications) beside it.
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .

mkdir -p var
[[ -s var/secret_key ]] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
chmod 600 var/secret_key

# Demo mode over plain http on loopback; production sets its own environment.
export DEBUG=${DEBUG:-0}
export DEMO_MODE=${DEMO_MODE:-1}
export HTTPS_ONLY=${HTTPS_ONLY:-0}
export SECRET_KEY=${SECRET_KEY:-$(cat var/secret_key)}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
# The reverse proxies whose X-Forwarded-Proto/-For are believed (comma list of
# addresses or networks); none by default. gunicorn gets the same list: left to
# itself it would trust 127.0.0.1 and let any local request claim https.
export TRUSTED_PROXIES=${TRUSTED_PROXIES:-}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

M=".venv/bin/python manage.py"
$M migrate --noinput
$M rebuild_case_stats --if-missing
$M createcachetable
$M compiletranslations
$M collectstatic --noinput -v 0
$M load_demo --if-empty

cat <<MSG

  网上办事大厅 http://$HOST:$PORT/      内网 http://$HOST:$PORT/staff/
  演示账号（密码均为 Quzhou@2026，仅演示模式可用）:
    city_admin      市中心管理员          kc_admin       柯城区中心管理员
    city_supervisor 市监察人员            kc_supervisor  柯城区监察人员
    scjg_admin      市市场监管局部门管理员  kc_scjg_admin  柯城区市场监管局部门管理员
    scjg_clerk      市市场监管局窗口人员    kc_scjg_clerk  柯城区市场监管局窗口人员
    zrzy_clerk      市自然资源和规划局窗口人员  sysadmin   系统管理员（超级用户）

MSG
# One notification worker beside the server (SMS and e-mail from the outbox);
# it stops when the server stops, and the server's stop stops it.
$M run_notifications &
worker=$!
.venv/bin/gunicorn hall.wsgi:application --bind "$HOST:$PORT" \
  --workers "${WEB_CONCURRENCY:-3}" --access-logfile - --timeout 60 \
  --forwarded-allow-ips "$TRUSTED_PROXIES" &
server=$!
stop() {
  trap - EXIT INT TERM
  kill -TERM "$server" "$worker" 2>/dev/null || true
  wait "$server" "$worker" 2>/dev/null || true
}
trap stop EXIT INT TERM
wait "$server"
