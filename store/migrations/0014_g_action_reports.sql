-- Operator actions' reports (issue 15): what setup / reinstall / check / retry-all did, kept in
-- the database (not in a browser session), shown as tables next to their audit entry.
CREATE TABLE IF NOT EXISTS action_reports (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('setup', 'reinstall', 'check', 'retry-all')),
    account_id    uuid,                 -- the account it concerns; NULL: all / not one account
    status        text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'done', 'failed')),
    requested_by  text NOT NULL,        -- console user, or cli:<login>
    audit_id      bigint,               -- its audit_log entry (kept apart: retention differs)
    job_id        text,                 -- the RQ job that runs it (console), NULL: ran in place
    summary       jsonb NOT NULL DEFAULT '{}',   -- counts and the one-line outcome
    rows          jsonb NOT NULL DEFAULT '[]',   -- the table: one row per webhook / log
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX IF NOT EXISTS action_reports_account ON action_reports (account_id, created_at DESC);
CREATE INDEX IF NOT EXISTS action_reports_kind ON action_reports (kind, created_at DESC);

-- Giving up a delivery: an operator stops its retries; retry-all leaves it alone from then on.
ALTER TABLE webhook_logs
    ADD COLUMN IF NOT EXISTS given_up_by text,
    ADD COLUMN IF NOT EXISTS given_up_at timestamptz;

-- One entry per finished try (try, started_at, finished_at, outcome, error or note): the Logs
-- page's per-attempt timeline. The newest try's error also stays in `error` as before.
ALTER TABLE webhook_logs ADD COLUMN IF NOT EXISTS tries jsonb NOT NULL DEFAULT '[]';

-- Why an operator resolved an alert (shown in the Alerts page's recent list).
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS resolution_note text;
