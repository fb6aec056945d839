-- Issue 14: every verify of a child (the nightly one, the command's), so the Sync page shows the
-- drift found — by kind, what was queued to repair it, the alert — after the run is over.
CREATE TABLE IF NOT EXISTS verify_runs (
    id               bigserial PRIMARY KEY,
    child_account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    main_account_id  uuid NOT NULL,
    repair           boolean NOT NULL,
    checked          integer NOT NULL,   -- mapped pairs looked at
    unchanged        integer NOT NULL,   -- hashed as when they last agreed: not compared
    different        integer NOT NULL,   -- pairs that differ (broken ones included)
    by_kind          jsonb NOT NULL,     -- {base, prices, attributes, references, child_gone, main_gone}
    differences      jsonb NOT NULL,     -- the first ones found (type, ids, fields → kind)
    tasks_written    integer NOT NULL,
    tasks_merged     integer NOT NULL,
    mappings_dropped integer NOT NULL,
    alert            text,               -- opened | refreshed | resolved
    finished_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS verify_runs_child ON verify_runs (child_account_id, finished_at DESC);
