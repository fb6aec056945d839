#!/usr/bin/env bash
# The whole test suite, from a fresh machine: set-up, lint, format check, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/moysklad_webhooks_test}
export TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
DATABASE_URL=$TEST_DATABASE_URL REDIS_URL=$TEST_REDIS_URL bash scripts/setup.sh --browser
# Chromium was installed above, so the browser test must run, not skip.
export REQUIRE_BROWSER=${REQUIRE_BROWSER:-1}
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/pytest "$@"
