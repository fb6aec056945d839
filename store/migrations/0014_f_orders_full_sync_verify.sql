-- Issue 14: children's orders copied into the main account, a child's full sync, verify/repair.

-- Where a child's orders land in the main account (ids of the main account's objects). Empty
-- organization: the main account's only organization. order_agent_id is the franchisee as a
-- counterparty of the main account: found by INN or created once (with a syncId), then kept here.
ALTER TABLE sync_settings
    ADD COLUMN IF NOT EXISTS order_organization_id uuid,
    ADD COLUMN IF NOT EXISTS order_store_id        uuid,
    ADD COLUMN IF NOT EXISTS order_state_id        uuid,
    ADD COLUMN IF NOT EXISTS order_project_id      uuid,
    ADD COLUMN IF NOT EXISTS order_agent_id        uuid,
    -- verify: more differences than this in one run opens a `sync_drift` alert for the child
    ADD COLUMN IF NOT EXISTS drift_alert_threshold integer NOT NULL DEFAULT 10
        CHECK (drift_alert_threshold >= 0),
    -- the nightly verify also queues the repairs (else it only reports)
    ADD COLUMN IF NOT EXISTS verify_repair         boolean NOT NULL DEFAULT false;

-- An operator's decision to send a child order without a position that has no mapping.
CREATE TABLE IF NOT EXISTS order_position_waivers (
    child_account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    order_type       text NOT NULL,
    order_id         uuid NOT NULL,
    assortment_type  text NOT NULL,
    assortment_id    uuid NOT NULL,
    actor            text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (child_account_id, order_type, order_id, assortment_type, assortment_id)
);

-- verify: the hashes of a mapped pair's synced fields when they last agreed, so an entity whose
-- both sides hash the same again needs no field-by-field comparison.
CREATE TABLE IF NOT EXISTS entity_hashes (
    child_account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    entity_type      text NOT NULL,
    main_entity_id   uuid NOT NULL,
    main_hash        text NOT NULL,
    child_hash       text NOT NULL,
    checked_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (child_account_id, entity_type, main_entity_id)
);
