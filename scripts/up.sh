#!/usr/bin/env bash
# Set up and start everything under supervisord: receiver, workers (webhooks, housekeeping,
# sync), scheduler, console, rq-dashboard.
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
new_secret() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }
if [ -z "${ENCRYPTION_SECRET:-}" ]; then
  # Kept across restarts: it encrypts the stored API tokens. A system set up before the two
  # secrets were split encrypted them with APP_SECRET, so it starts from that one.
  [ -s var/encryption_secret ] || { [ -s var/app_secret ] && cp var/app_secret var/encryption_secret; } \
    || new_secret > var/encryption_secret
  ENCRYPTION_SECRET=$(cat var/encryption_secret)
  export ENCRYPTION_SECRET
fi
if [ -z "${APP_SECRET:-}" ]; then
  # Kept across restarts: it signs every installed webhook URL.
  [ -s var/app_secret ] || new_secret > var/app_secret
  APP_SECRET=$(cat var/app_secret)
  export APP_SECRET
fi
if [ -z "${RQ_DASHBOARD_PASSWORD:-}" ]; then
  [ -s var/rq_dashboard_password ] || python3 -c 'import secrets; print(secrets.token_urlsafe(12))' > var/rq_dashboard_password
  RQ_DASHBOARD_PASSWORD=$(cat var/rq_dashboard_password)
fi
export RQ_DASHBOARD_USERNAME=${RQ_DASHBOARD_USERNAME:-admin} RQ_DASHBOARD_PASSWORD

# Under supervisord (scripts/supervise.py): a process that dies is started again, the others go on.
processes="receiver worker=${WORKERS:-2} housekeeping sync-worker=${SYNC_WORKERS:-1} scheduler"
processes="$processes console dashboard"
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
# Every entry point reads this file when present (the environment wins), so an operator command
# typed in a shell next to this system acts on it (store/settings.py).
umask 077
{
  echo "# written by scripts/up.sh at $(date -u +%FT%TZ); the environment wins over it"
  for name in DATABASE_URL REDIS_URL PUBLIC_BASE_URL APP_SECRET APP_SECRET_PREVIOUS ENCRYPTION_SECRET \
      ENCRYPTION_SECRET_PREVIOUS MOYSKLAD_API_URL CONSOLE_USERS RQ_DASHBOARD_URL VENDOR_APP_ID \
      VENDOR_APP_UID VENDOR_SECRET_KEY VENDOR_API_URL; do
    [ -z "${!name:-}" ] || printf "%s='%s'\n" "$name" "${!name}"
  done
} > var/config.env
umask 022
cat <<EOF
  config        var/config.env (read by every process and operator command)
  receiver      http://$RECEIVER_BIND  (webhooks at $PUBLIC_BASE_URL/api/webhooks/receive/<token>)
  console       http://127.0.0.1:$CONSOLE_PORT  — $console_note
  rq-dashboard  $RQ_DASHBOARD_URL  — user $RQ_DASHBOARD_USERNAME, password in var/rq_dashboard_password
EOF
[ -z "$demo" ] || echo "  simulator     http://127.0.0.1:$SIMULATOR_PORT (МойСклад for the demo)"
echo "  processes     .venv/bin/supervisorctl -c var/supervisord.conf status  (logs in var/log/)"
# shellcheck disable=SC2086  # one word per process
exec .venv/bin/python -m scripts.supervise $processes
