#!/usr/bin/env bash
# Shared by up.sh and test.sh: a virtual environment with the pinned packages, and PostgreSQL and
# Redis reachable — started, or installed from Debian's packages, when they are not.
#   scripts/setup.sh --browser   also Debian's chromium and chromium-driver (the browser test)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  log "installing $* from Debian's packages"
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
url_host() { python3 -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p.hostname or "127.0.0.1", p.port or int(sys.argv[2]))' "$1" "$2"; }

# --- Python virtual environment -------------------------------------------------------------
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then apt_install python3-venv python3-pip; fi
if [ ! -x .venv/bin/python ]; then log "creating .venv"; python3 -m venv .venv; fi
stamp=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat .venv/.requirements 2>/dev/null)" != "$stamp" ]; then
  log "installing requirements.txt into .venv"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  echo "$stamp" > .venv/.requirements
fi

# --- PostgreSQL -----------------------------------------------------------------------------
read -r pg_host pg_port < <(url_host "${DATABASE_URL:-postgresql://127.0.0.1:5432/x}" 5432)
if ! port_open "$pg_host" "$pg_port"; then
  if [ "$pg_host" != 127.0.0.1 ] && [ "$pg_host" != localhost ]; then
    echo "PostgreSQL at $pg_host:$pg_port is not reachable" >&2; exit 1
  fi
  installed_now=
  if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; installed_now=1; fi
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  if [ -n "$installed_now" ]; then
    # A fresh local server for development: trust local TCP connections, as DATABASE_URL assumes.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 50); do port_open "$pg_host" "$pg_port" && break; sleep 0.2; done
  port_open "$pg_host" "$pg_port" || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

# --- Redis ----------------------------------------------------------------------------------
read -r redis_host redis_port < <(url_host "${REDIS_URL:-redis://127.0.0.1:6379/0}" 6379)
if ! port_open "$redis_host" "$redis_port"; then
  if [ "$redis_host" != 127.0.0.1 ] && [ "$redis_host" != localhost ]; then
    echo "Redis at $redis_host:$redis_port is not reachable" >&2; exit 1
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis on port $redis_port (append-only file under var/redis)"
  mkdir -p var/redis
  # The spool holds deliveries already answered 200 while PostgreSQL is away: an append-only file
  # fsynced every second keeps them across a Redis restart, and noeviction never drops them.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --dir "$PWD/var/redis" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction \
    --logfile "$PWD/var/redis.log" --pidfile "$PWD/var/redis.pid"
  for _ in $(seq 50); do port_open "$redis_host" "$redis_port" && break; sleep 0.2; done
  port_open "$redis_host" "$redis_port" || { echo "Redis did not start" >&2; exit 1; }
fi

# --- Chromium for the real-browser console test -----------------------------------------------
if [ "${1:-}" = --browser ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt_install chromium chromium-driver
  fi
fi
