-- Processing correctness (issue 11): one pending write per (child, entity), held tasks of a
-- loop-paused entity, the cancelling log of a cancelled task, and the indexes retention needs.

-- changed_at / finished_at are 0013_a's (which runs after this one on a fresh database).
ALTER TABLE sync_queue
    ADD COLUMN IF NOT EXISTS changed_at          timestamptz,
    ADD COLUMN IF NOT EXISTS finished_at         timestamptz,
    ADD COLUMN IF NOT EXISTS cancelled_by_log_id bigint,  -- the delivery whose event voided it
    ADD COLUMN IF NOT EXISTS hold_subject        text;    -- loop alert subject while `held`

-- `held`: written while the loop detector pauses the entity; released or discarded by an operator.
ALTER TABLE sync_queue DROP CONSTRAINT IF EXISTS sync_queue_status_check;
ALTER TABLE sync_queue ADD CONSTRAINT sync_queue_status_check
    CHECK (status IN ('pending', 'held', 'processing', 'completed', 'failed', 'cancelled'));

-- The per-entity key replaces the per-operation one: drop it first so batches can be unrolled.
DROP INDEX IF EXISTS sync_queue_one_pending;

-- 1. Every pending batch_update becomes one pending `update` per entity it names.
WITH batches AS (
    UPDATE sync_queue SET status = 'cancelled', updated_at = now(), finished_at = now(),
           error = 'batch_update replaced by one update per entity (migration 0011_a)'
     WHERE operation = 'batch_update' AND status = 'pending'
    RETURNING *
)
INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id, operation,
                        priority, status, payload, scheduled_at, log_id, changed_at, created_at,
                        hold_subject)
SELECT b.target_account_id, b.source_account_id, b.entity_type, ids.entity_id, 'update',
       b.priority, 'pending',
       jsonb_build_object(
           'updated_fields', COALESCE(b.payload->'fields_by_entity'->ids.entity_id,
                                      b.payload->'updated_fields', '[]'::jsonb),
           'strategy', COALESCE(b.payload->>'strategy', 'full_sync'),
           'log_ids', COALESCE(b.payload->'log_ids', '[]'::jsonb)),
       b.scheduled_at, b.log_id, COALESCE(b.changed_at, b.created_at), b.created_at, NULL
  FROM batches b
  CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(b.payload->'entity_ids', '[]'::jsonb))
       AS ids(entity_id);

-- 2. Several pending (or held) tasks of one entity merge into one: the widest operation keeps
-- (archive > recreate > create/order > update, folder_archive > folder_create > folder_update),
-- fields and log ids united, the widest strategy, the highest priority, the earliest change.
DROP TABLE IF EXISTS _0011_ranked;
CREATE TEMP TABLE _0011_ranked ON COMMIT DROP AS
SELECT id, status, target_account_id, entity_type, entity_id, operation, priority, payload,
       COALESCE(changed_at, created_at) AS changed,
       first_value(id) OVER w AS keeper,
       count(*) OVER (PARTITION BY status, target_account_id, entity_type, entity_id) AS n
  FROM sync_queue
 WHERE status IN ('pending', 'held')
WINDOW w AS (PARTITION BY status, target_account_id, entity_type, entity_id
             ORDER BY CASE operation WHEN 'archive' THEN 4 WHEN 'folder_archive' THEN 4
                                     WHEN 'recreate' THEN 3 WHEN 'create' THEN 2
                                     WHEN 'folder_create' THEN 2 WHEN 'order' THEN 2 ELSE 1 END
                      DESC, id);

WITH groups AS (
    SELECT keeper,
           max(priority) AS priority,
           min(changed) AS changed,
           (SELECT COALESCE(jsonb_agg(DISTINCT f ORDER BY f), '[]'::jsonb)
              FROM _0011_ranked r2, jsonb_array_elements_text(
                       CASE jsonb_typeof(r2.payload->'updated_fields') WHEN 'array'
                            THEN r2.payload->'updated_fields' ELSE '[]'::jsonb END) AS f
             WHERE r2.keeper = r.keeper) AS fields,
           (SELECT COALESCE(jsonb_agg(DISTINCT l ORDER BY l), '[]'::jsonb)
              FROM _0011_ranked r2, jsonb_array_elements(
                       CASE jsonb_typeof(r2.payload->'log_ids') WHEN 'array'
                            THEN r2.payload->'log_ids' ELSE '[]'::jsonb END) AS l
             WHERE r2.keeper = r.keeper) AS log_ids,
           array_agg(DISTINCT COALESCE(payload->>'strategy', 'full_sync'))
               FILTER (WHERE operation IN ('update', 'folder_update')
                         AND COALESCE(payload->>'strategy', '') <> 'skip') AS strategies
      FROM _0011_ranked r
     WHERE n > 1
     GROUP BY keeper
)
UPDATE sync_queue q
   SET priority = g.priority,
       changed_at = g.changed,
       updated_at = now(),
       payload = q.payload || jsonb_build_object('log_ids', g.log_ids)
                 || CASE WHEN q.operation IN ('update', 'folder_update') THEN
                        jsonb_build_object('updated_fields', g.fields)
                        || CASE WHEN q.operation = 'update' THEN jsonb_build_object('strategy',
                               CASE WHEN g.strategies IS NULL THEN 'full_sync'
                                    WHEN 'full_sync' = ANY (g.strategies)
                                      OR NOT g.strategies <@ ARRAY['prices_only',
                                             'attributes_only', 'base_only', 'mixed_simple']
                                         THEN 'full_sync'
                                    WHEN cardinality(g.strategies) = 1 THEN g.strategies[1]
                                    ELSE 'mixed_simple' END)
                           ELSE '{}'::jsonb END
                    ELSE '{}'::jsonb END
  FROM groups g
 WHERE q.id = g.keeper;

UPDATE sync_queue q
   SET status = 'cancelled', updated_at = now(), finished_at = now(),
       error = CASE WHEN k.operation IN ('archive', 'folder_archive')
                    THEN 'entity deleted in the source account (migration 0011_a)'
                    ELSE 'merged into task ' || r.keeper || ' (migration 0011_a)' END
  FROM _0011_ranked r JOIN sync_queue k ON k.id = r.keeper
 WHERE q.id = r.id AND r.id <> r.keeper;

-- batch_update is gone: only finished (history) rows may still name it.
ALTER TABLE sync_queue DROP CONSTRAINT IF EXISTS sync_queue_operation_check;
ALTER TABLE sync_queue ADD CONSTRAINT sync_queue_operation_check
    CHECK (operation IN ('create', 'update', 'archive', 'recreate', 'order', 'folder_create',
                         'folder_update', 'folder_archive')
           OR (operation = 'batch_update' AND status NOT IN ('pending', 'held')));

-- The final guarantee of coalescing: one pending write per (target, entity), whatever the
-- operation; and one held task per (target, entity).
CREATE UNIQUE INDEX IF NOT EXISTS sync_queue_one_pending_write
    ON sync_queue (target_account_id, entity_type, entity_id) WHERE status = 'pending';
CREATE UNIQUE INDEX IF NOT EXISTS sync_queue_one_held
    ON sync_queue (target_account_id, entity_type, entity_id) WHERE status = 'held';
CREATE INDEX IF NOT EXISTS sync_queue_held_subject ON sync_queue (hold_subject)
    WHERE status = 'held';
-- The re-run check (does a task of this log exist for this entity) and the history of an entity.
CREATE INDEX IF NOT EXISTS sync_queue_entity ON sync_queue (target_account_id, entity_type, entity_id);
-- Retention reads finished tasks, resolved alerts and old audit entries by time.
CREATE INDEX IF NOT EXISTS sync_queue_retention ON sync_queue ((COALESCE(finished_at, updated_at)))
    WHERE status IN ('completed', 'cancelled');
CREATE INDEX IF NOT EXISTS alerts_resolved_at ON alerts (resolved_at) WHERE status = 'resolved';
