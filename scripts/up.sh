#!/usr/bin/env bash
# Set up and start everything: receiver, workers, scheduler, console, rq-dashboard.
#   scripts/up.sh          against МойСклад (MOYSKLAD_API_URL, default the real API)
#   scripts/up.sh --demo   plus a local МойСклад simulator with a main and two child accounts and
#                          generated traffic, so the console shows live data within a minute
set -euo pipefail
cd "$(dirname "$0")/.."
demo=
case "${1:-}" in
  --demo) demo=1 ;;
  "") ;;
  *) echo "usage: scripts/up.sh [--demo]" >&2; exit 2 ;;
esac

export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/moysklad_webhooks}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export RECEIVER_BIND=${RECEIVER_BIND:-127.0.0.1:8000}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://$RECEIVER_BIND}
export CONSOLE_PORT=${CONSOLE_PORT:-8501}
export RQ_DASHBOARD_PORT=${RQ_DASHBOARD_PORT:-9181}
export RQ_DASHBOARD_URL=${RQ_DASHBOARD_URL:-http://127.0.0.1:$RQ_DASHBOARD_PORT}
export SIMULATOR_PORT=${SIMULATOR_PORT:-8081}
mkdir -p var
if [ -z "${APP_SECRET:-}" ]; then
  # Kept across restarts: it signs every installed webhook URL.
  [ -s var/app_secret ] || python3 -c 'import secrets; print(secrets.token_hex(32))' > var/app_secret
  APP_SECRET=$(cat var/app_secret)
  export APP_SECRET
fi

processes="receiver worker scheduler console dashboard"
if [ -n "$demo" ]; then
  export MOYSKLAD_API_URL=http://127.0.0.1:$SIMULATOR_PORT/api/remap/1.2
  processes="$processes simulator demo"
fi

bash scripts/setup.sh
.venv/bin/python -m scripts.migrate --create-database

console_note="console users from CONSOLE_USERS"
if [ -z "${CONSOLE_USERS:-}" ]; then
  # No users configured: one operator, "admin", whose password is kept in var/console_password.
  [ -s var/console_password ] || python3 -c 'import secrets; print(secrets.token_urlsafe(12))' > var/console_password
  CONSOLE_USERS=$(.venv/bin/python -m scripts.console_user admin operator --stdin < var/console_password)
  export CONSOLE_USERS
  console_note="sign in as admin, password $(cat var/console_password) (kept in var/console_password)"
fi
cat <<EOF
  receiver      http://$RECEIVER_BIND  (webhooks at $PUBLIC_BASE_URL/api/webhooks/receive/<token>)
  console       http://127.0.0.1:$CONSOLE_PORT  — $console_note
  rq-dashboard  $RQ_DASHBOARD_URL
EOF
[ -z "$demo" ] || echo "  simulator     http://127.0.0.1:$SIMULATOR_PORT (МойСклад for the demo)"
exec .venv/bin/honcho start -f Procfile -c "worker=${WORKERS:-2}" $processes
