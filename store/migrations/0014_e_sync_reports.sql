-- The Sync page and `scripts.sync status` (issue 13): claimed tasks counted and judged stale
-- through an index, like every other open status ('running' is the executor's claim,
-- 'processing' the name the schema allowed before it).
CREATE INDEX IF NOT EXISTS sync_queue_claimed ON sync_queue (target_account_id, claimed_at)
    WHERE status IN ('running', 'processing');
