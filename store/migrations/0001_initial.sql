-- The whole schema of the design's "Data" section.

CREATE TABLE accounts (
    id                  uuid PRIMARY KEY,                 -- МойСклад account id
    name                text NOT NULL,
    api_token_encrypted text NOT NULL,                    -- Fernet, keyed by APP_SECRET
    account_type        text CHECK (account_type IN ('main', 'child')),
    status              text NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'suspended', 'uninstalled')),
    webhooks_enabled    boolean NOT NULL DEFAULT true,
    app_id              text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE child_accounts (
    id               serial PRIMARY KEY,
    parent_id        uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id         uuid NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    inactive_reason  text,
    inactive_since   timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id <> child_id)
);
CREATE INDEX child_accounts_parent ON child_accounts (parent_id);

CREATE TABLE sync_settings (
    child_account_id     uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sync_products        boolean NOT NULL DEFAULT true,
    sync_services        boolean NOT NULL DEFAULT true,
    sync_variants        boolean NOT NULL DEFAULT true,
    sync_bundles         boolean NOT NULL DEFAULT true,
    sync_folders         boolean NOT NULL DEFAULT true,
    sync_prices          boolean NOT NULL DEFAULT true,
    product_filter       jsonb,
    match_field          text NOT NULL DEFAULT 'code'
                         CHECK (match_field IN ('code', 'article', 'externalCode', 'name')),
    price_mappings       jsonb NOT NULL DEFAULT '[]',
    attribute_mappings   jsonb NOT NULL DEFAULT '[]',
    sync_customer_orders boolean NOT NULL DEFAULT true,
    sync_retail_demands  boolean NOT NULL DEFAULT true,
    sync_purchase_orders boolean NOT NULL DEFAULT true,
    self_heal            boolean NOT NULL DEFAULT true,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhooks (
    id                  serial PRIMARY KEY,
    account_id          uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    moysklad_webhook_id uuid,
    entity_type         text NOT NULL,
    action              text NOT NULL,
    diff_type           text,
    url                 text NOT NULL,
    enabled             boolean NOT NULL DEFAULT true,
    last_triggered_at   timestamptz,
    received_count      bigint NOT NULL DEFAULT 0,
    failed_count        bigint NOT NULL DEFAULT 0,
    last_check_at       timestamptz,
    last_check_result   text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, entity_type, action)
);

CREATE TABLE webhook_logs (
    id             bigserial PRIMARY KEY,
    request_id     text NOT NULL UNIQUE,           -- МойСклад's requestId, or a key derived from the body
    account_id     uuid,                           -- null when the body named no account we could read
    entity_type    text,                           -- distinct types of the events, comma-joined
    action         text,                           -- distinct actions of the events, comma-joined
    entity_ids     text[] NOT NULL DEFAULT '{}',
    events_count   integer NOT NULL DEFAULT 0,
    payload        jsonb,
    raw_body       text,                           -- rejected deliveries: the body, truncated
    status         text NOT NULL DEFAULT 'received'
                   CHECK (status IN ('received', 'processing', 'completed', 'failed', 'ignored',
                                     'rejected')),
    reason         text,                           -- why ignored or rejected
    http_status    smallint NOT NULL DEFAULT 200,  -- what the receiver answered
    attempts       integer NOT NULL DEFAULT 0,
    error          text,
    tasks_created  integer NOT NULL DEFAULT 0,
    received_at    timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz,
    receive_ms     real,
    processing_ms  real
);
CREATE INDEX webhook_logs_received_at ON webhook_logs (received_at);
CREATE INDEX webhook_logs_account_received ON webhook_logs (account_id, received_at DESC);
CREATE INDEX webhook_logs_status_received ON webhook_logs (status, received_at DESC);
CREATE INDEX webhook_logs_unfinished ON webhook_logs (received_at)
    WHERE status IN ('received', 'processing');
CREATE INDEX webhook_logs_entity_ids ON webhook_logs USING gin (entity_ids);

CREATE TABLE webhook_health_stats (
    id              bigserial PRIMARY KEY,
    hour            timestamptz NOT NULL,
    account_id      uuid NOT NULL,
    entity_type     text NOT NULL,
    action          text NOT NULL,
    received        integer NOT NULL DEFAULT 0,
    completed       integer NOT NULL DEFAULT 0,
    failed          integer NOT NULL DEFAULT 0,
    ignored         integer NOT NULL DEFAULT 0,
    rejected        integer NOT NULL DEFAULT 0,
    events          integer NOT NULL DEFAULT 0,
    tasks           integer NOT NULL DEFAULT 0,
    processing_p50  real,
    processing_p95  real,
    processing_p99  real,
    receive_p50     real,
    receive_p95     real,
    receive_p99     real,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (hour, account_id, entity_type, action)
);
CREATE INDEX webhook_health_stats_account_hour ON webhook_health_stats (account_id, hour);

CREATE TABLE sync_queue (
    id                 bigserial PRIMARY KEY,
    target_account_id  uuid NOT NULL,
    source_account_id  uuid NOT NULL,
    entity_type        text NOT NULL,
    entity_id          text NOT NULL,                -- for batch_update: a key naming the batch
    operation          text NOT NULL
                       CHECK (operation IN ('create', 'update', 'archive', 'recreate',
                                            'batch_update', 'order', 'folder_create',
                                            'folder_update', 'folder_archive')),
    priority           smallint NOT NULL DEFAULT 5,
    status             text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'processing', 'completed', 'failed',
                                         'cancelled')),
    payload            jsonb NOT NULL DEFAULT '{}',
    attempts           integer NOT NULL DEFAULT 0,
    error              text,
    scheduled_at       timestamptz NOT NULL DEFAULT now(),
    log_id             bigint,                       -- originating webhook_logs row (may be cleaned up)
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- The final guarantee of coalescing: one pending task per (target, entity, operation).
CREATE UNIQUE INDEX sync_queue_one_pending
    ON sync_queue (target_account_id, entity_type, entity_id, operation)
    WHERE status = 'pending';
CREATE INDEX sync_queue_pending_order ON sync_queue (priority DESC, scheduled_at)
    WHERE status = 'pending';
CREATE INDEX sync_queue_log ON sync_queue (log_id);

CREATE TABLE entity_mappings (
    id                bigserial PRIMARY KEY,
    child_account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    entity_type       text NOT NULL,
    main_entity_id    uuid NOT NULL,
    child_entity_id   uuid NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (child_account_id, entity_type, main_entity_id)
);
CREATE INDEX entity_mappings_child_entity ON entity_mappings (child_account_id, child_entity_id);

CREATE TABLE alerts (
    id               bigserial PRIMARY KEY,
    rule             text NOT NULL,
    subject          text NOT NULL,
    severity         text NOT NULL CHECK (severity IN ('warning', 'critical')),
    status           text NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'acknowledged', 'resolved')),
    message          text NOT NULL,
    details          jsonb NOT NULL DEFAULT '{}',
    opened_at        timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    resolved_at      timestamptz,
    resolved_by      text
);
-- One open (or acknowledged) alert per (rule, subject).
CREATE UNIQUE INDEX alerts_one_active ON alerts (rule, subject) WHERE status <> 'resolved';
CREATE INDEX alerts_opened_at ON alerts (opened_at DESC);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    actor       text NOT NULL,
    role        text NOT NULL,
    action      text NOT NULL,
    target      text,
    details     jsonb NOT NULL DEFAULT '{}',
    result      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_at ON audit_log (created_at DESC);
CREATE INDEX audit_log_target ON audit_log (target, created_at DESC);
