-- The sync executor's data (issue 13): each child's sync mode, and what applying a task did.

-- off: tasks wait, nothing is applied; shadow: everything but the write (the request it would
-- send is recorded on the task); live: written to the child. A child is reviewed in shadow first.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS sync_mode text NOT NULL DEFAULT 'shadow';
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'accounts_sync_mode_check') THEN
        ALTER TABLE accounts ADD CONSTRAINT accounts_sync_mode_check
            CHECK (sync_mode IN ('off', 'shadow', 'live'));
    END IF;
END $$;

ALTER TABLE sync_queue
    ADD COLUMN IF NOT EXISTS changed_at   timestamptz,  -- when main changed (the delivery's receipt)
    ADD COLUMN IF NOT EXISTS claimed_at   timestamptz,  -- when the executor took it
    ADD COLUMN IF NOT EXISTS finished_at  timestamptz,  -- completed / failed / cancelled
    ADD COLUMN IF NOT EXISTS applied_mode text,         -- live | shadow: how it was applied
    ADD COLUMN IF NOT EXISTS request      jsonb,        -- the request sent (or, in shadow, not sent)
    ADD COLUMN IF NOT EXISTS result       jsonb;        -- МойСклад's answer for this item, or the error

-- Claiming: a target's due pending tasks in priority order.
CREATE INDEX IF NOT EXISTS sync_queue_due ON sync_queue (target_account_id, priority DESC, scheduled_at)
    WHERE status = 'pending';
-- Throughput, latency and retention read finished tasks by time.
CREATE INDEX IF NOT EXISTS sync_queue_finished_at ON sync_queue (finished_at)
    WHERE finished_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS sync_queue_failed ON sync_queue (target_account_id, finished_at DESC)
    WHERE status = 'failed';
