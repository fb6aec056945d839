"""peewee models mirroring the tables of store/migrations (the SQL is the source of truth)."""

from peewee import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
    UUIDField,
)
from playhouse.postgres_ext import ArrayField, BinaryJSONField, DateTimeTZField

from store.db import database


class BaseModel(Model):
    class Meta:
        database = database


class Account(BaseModel):
    id = UUIDField(primary_key=True)
    name = TextField()
    api_token_encrypted = TextField()
    account_type = CharField(null=True)
    status = CharField(default="active")
    webhooks_enabled = BooleanField(default=True)
    app_id = TextField(null=True)
    token_kind = CharField(default="user")  # app | draft | user: the token's rate-limit weight
    sync_mode = CharField(default="shadow")  # off | shadow | live: what the executor does
    created_at = DateTimeTZField()
    updated_at = DateTimeTZField()

    class Meta:
        table_name = "accounts"


class ChildAccount(BaseModel):
    id = AutoField()
    parent = ForeignKeyField(Account, column_name="parent_id", backref="children")
    child = ForeignKeyField(Account, column_name="child_id", backref="parent_links")
    status = CharField(default="active")
    inactive_reason = TextField(null=True)
    inactive_since = DateTimeTZField(null=True)
    created_at = DateTimeTZField()

    class Meta:
        table_name = "child_accounts"


class SyncSettings(BaseModel):
    child_account = ForeignKeyField(Account, column_name="child_account_id", primary_key=True)
    sync_products = BooleanField(default=True)
    sync_services = BooleanField(default=True)
    sync_variants = BooleanField(default=True)
    sync_bundles = BooleanField(default=True)
    sync_folders = BooleanField(default=True)
    sync_prices = BooleanField(default=True)
    product_filter = BinaryJSONField(null=True)
    match_field = CharField(default="code")
    price_mappings = BinaryJSONField(default=list)
    attribute_mappings = BinaryJSONField(default=list)
    sync_customer_orders = BooleanField(default=True)
    sync_retail_demands = BooleanField(default=True)
    sync_purchase_orders = BooleanField(default=True)
    self_heal = BooleanField(default=True)
    # issue 14: where a child's orders land in main (main's ids), verify's drift settings
    order_organization_id = UUIDField(null=True)
    order_store_id = UUIDField(null=True)
    order_state_id = UUIDField(null=True)
    order_project_id = UUIDField(null=True)
    order_agent_id = UUIDField(null=True)
    drift_alert_threshold = IntegerField(default=10)
    verify_repair = BooleanField(default=False)
    # 0014_d: what the child sets itself; the sync executor never sends these
    owned_price_types = BinaryJSONField(default=list)
    owned_attributes = BinaryJSONField(default=list)
    owned_fields = BinaryJSONField(default=list)
    updated_at = DateTimeTZField()

    class Meta:
        table_name = "sync_settings"


class Webhook(BaseModel):
    id = AutoField()
    account = ForeignKeyField(Account, column_name="account_id", backref="webhooks")
    moysklad_webhook_id = UUIDField(null=True)
    entity_type = CharField()
    action = CharField()
    diff_type = CharField(null=True)
    url = TextField()
    enabled = BooleanField(default=True)
    last_triggered_at = DateTimeTZField(null=True)
    received_count = BigIntegerField(default=0)
    failed_count = BigIntegerField(default=0)
    last_check_at = DateTimeTZField(null=True)
    last_check_result = TextField(null=True)
    created_at = DateTimeTZField()
    updated_at = DateTimeTZField()

    class Meta:
        table_name = "webhooks"


class WebhookLog(BaseModel):
    id = BigAutoField()
    request_id = TextField(unique=True)
    account_id = UUIDField(null=True)
    entity_type = TextField(null=True)
    action = TextField(null=True)
    entity_ids = ArrayField(TextField, default=list)
    events_count = IntegerField(default=0)
    payload = BinaryJSONField(null=True)
    raw_body = TextField(null=True)
    status = CharField(default="received")
    reason = TextField(null=True)
    http_status = SmallIntegerField(default=200)
    attempts = IntegerField(default=0)
    error = TextField(null=True)
    tasks_created = IntegerField(default=0)
    received_at = DateTimeTZField()
    started_at = DateTimeTZField(null=True)
    finished_at = DateTimeTZField(null=True)
    receive_ms = FloatField(null=True)
    processing_ms = FloatField(null=True)
    given_up_by = TextField(null=True)  # an operator stopped its retries
    given_up_at = DateTimeTZField(null=True)
    tries = BinaryJSONField(default=list)  # one entry per finished try: the attempt timeline

    class Meta:
        table_name = "webhook_logs"


class WebhookHealthStat(BaseModel):
    id = BigAutoField()
    hour = DateTimeTZField()
    account_id = UUIDField()
    entity_type = TextField()
    action = TextField()
    received = IntegerField(default=0)
    completed = IntegerField(default=0)
    failed = IntegerField(default=0)
    ignored = IntegerField(default=0)
    rejected = IntegerField(default=0)
    events = IntegerField(default=0)
    tasks = IntegerField(default=0)
    processing_p50 = FloatField(null=True)
    processing_p95 = FloatField(null=True)
    processing_p99 = FloatField(null=True)
    receive_p50 = FloatField(null=True)
    receive_p95 = FloatField(null=True)
    receive_p99 = FloatField(null=True)
    updated_at = DateTimeTZField()

    class Meta:
        table_name = "webhook_health_stats"


class SyncTask(BaseModel):
    id = BigAutoField()
    target_account_id = UUIDField()
    source_account_id = UUIDField()
    entity_type = TextField()
    entity_id = TextField()
    operation = CharField()
    priority = SmallIntegerField(default=5)
    status = CharField(default="pending")
    payload = BinaryJSONField(default=dict)
    attempts = IntegerField(default=0)
    error = TextField(null=True)
    scheduled_at = DateTimeTZField()
    log_id = BigIntegerField(null=True)
    created_at = DateTimeTZField()
    updated_at = DateTimeTZField()
    changed_at = DateTimeTZField(null=True)  # when main changed: the delivery's receipt
    claimed_at = DateTimeTZField(null=True)
    finished_at = DateTimeTZField(null=True)
    applied_mode = CharField(null=True)  # live | shadow
    request = BinaryJSONField(null=True)  # the request sent, or in shadow the one not sent
    result = BinaryJSONField(null=True)  # МойСклад's answer for this item, or the error
    # issue 11: the delivery whose event cancelled it; the loop alert subject while `held`
    cancelled_by_log_id = BigIntegerField(null=True)
    hold_subject = TextField(null=True)

    class Meta:
        table_name = "sync_queue"


class EntityMapping(BaseModel):
    id = BigAutoField()
    child_account = ForeignKeyField(Account, column_name="child_account_id")
    entity_type = TextField()
    main_entity_id = UUIDField()
    child_entity_id = UUIDField()
    created_at = DateTimeTZField()

    class Meta:
        table_name = "entity_mappings"


class Alert(BaseModel):
    id = BigAutoField()
    rule = TextField()
    subject = TextField()
    severity = CharField()
    status = CharField(default="open")
    message = TextField()
    details = BinaryJSONField(default=dict)
    opened_at = DateTimeTZField()
    last_seen_at = DateTimeTZField()
    acknowledged_at = DateTimeTZField(null=True)
    acknowledged_by = TextField(null=True)
    resolved_at = DateTimeTZField(null=True)
    resolved_by = TextField(null=True)
    resolution_note = TextField(null=True)

    class Meta:
        table_name = "alerts"


class AuditEntry(BaseModel):
    id = BigAutoField()
    actor = TextField()
    role = TextField()
    action = TextField()
    target = TextField(null=True)
    details = BinaryJSONField(default=dict)
    result = TextField()
    created_at = DateTimeTZField()

    class Meta:
        table_name = "audit_log"


class ActionReport(BaseModel):
    id = BigAutoField()
    kind = CharField()  # setup | reinstall | check | retry-all
    account_id = UUIDField(null=True)
    status = CharField(default="queued")  # queued | running | done | failed
    requested_by = TextField()
    audit_id = BigIntegerField(null=True)
    job_id = TextField(null=True)
    summary = BinaryJSONField(default=dict)
    rows = BinaryJSONField(default=list)
    error = TextField(null=True)
    created_at = DateTimeTZField()
    finished_at = DateTimeTZField(null=True)

    class Meta:
        table_name = "action_reports"
