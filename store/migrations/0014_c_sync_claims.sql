-- The sync executor's claims (issue 13): a claimed task is `running` until its outcome is recorded.

ALTER TABLE sync_queue DROP CONSTRAINT IF EXISTS sync_queue_status_check;
ALTER TABLE sync_queue ADD CONSTRAINT sync_queue_status_check
    CHECK (status IN ('pending', 'held', 'running', 'processing', 'completed', 'failed',
                      'cancelled'));

-- Releasing the claims of a job that died: a target's running tasks by claim time.
CREATE INDEX IF NOT EXISTS sync_queue_running ON sync_queue (target_account_id, claimed_at)
    WHERE status = 'running';
