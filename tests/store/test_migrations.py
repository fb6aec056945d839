import pytest
from peewee import IntegrityError

from store.migrations import available_migrations, migrate


def test_migrate_is_idempotent_and_records_every_version(db):
    assert migrate(db) == []
    versions = {row[0] for row in db.execute_sql("SELECT version FROM schema_migrations")}
    assert versions == {version for version, _ in available_migrations()}


def test_one_pending_task_per_entity_is_enforced_by_the_schema(db):
    insert = (
        "INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id,"
        " operation, status) VALUES (%s, %s, 'product', 'p1', 'update', %s)"
    )
    target, source = "9171a53c-b719-11eb-c0a8-800d00000001", "9171a53c-b719-11eb-c0a8-800d00000002"
    db.execute_sql(insert, (target, source, "completed"))
    db.execute_sql(insert, (target, source, "pending"))
    with pytest.raises(IntegrityError, match="sync_queue_one_pending_write"):
        db.execute_sql(insert, (target, source, "pending"))


OLD_SCHEMA = """
DROP INDEX IF EXISTS sync_queue_one_pending_write;
ALTER TABLE sync_queue DROP CONSTRAINT sync_queue_operation_check;
ALTER TABLE sync_queue ADD CONSTRAINT sync_queue_operation_check CHECK (operation IN ('create',
    'update', 'archive', 'recreate', 'batch_update', 'order', 'folder_create', 'folder_update',
    'folder_archive'));
CREATE UNIQUE INDEX sync_queue_one_pending
    ON sync_queue (target_account_id, entity_type, entity_id, operation) WHERE status = 'pending';
"""
TARGET, SOURCE = "9171a53c-b719-11eb-c0a8-800d00000001", "9171a53c-b719-11eb-c0a8-800d00000002"


def _old_task(db, entity_id: str, operation: str, priority: int, payload: dict) -> None:
    import json

    db.execute_sql(
        "INSERT INTO sync_queue (target_account_id, source_account_id, entity_type, entity_id,"
        " operation, priority, payload) VALUES (%s, %s, 'product', %s, %s, %s, %s)",
        (TARGET, SOURCE, entity_id, operation, priority, json.dumps(payload)),
    )


def test_0011_unrolls_pending_batches_and_merges_an_entitys_pending_writes(db):
    """Pending rows written before 0011_a (batches, an update and a create of one entity, an
    update of an entity being archived) end as one pending write per entity."""
    # Re-running 0011_a resets what later migrations changed (0014_c's 'running' status): the
    # migrations after it are applied again at the end (_reapply_after).
    _unroll_and_merge(db)


def _unroll_and_merge(db) -> None:
    (sql,) = [sql for version, sql in available_migrations() if version.startswith("0011_a")]
    db.execute_sql(OLD_SCHEMA)
    batch = {
        "entity_ids": ["p1", "p2"],
        "updated_fields": ["name", "salePrices"],
        "strategy": "base_only",
        "fields_by_entity": {"p1": ["name"], "p2": ["salePrices"]},
        "log_ids": [1],
    }
    _old_task(db, "batch:1:base_only:0", "batch_update", 10, batch)
    _old_task(
        db,
        "p1",
        "update",
        7,
        {"updated_fields": ["code"], "strategy": "prices_only", "log_ids": [2]},
    )
    _old_task(
        db,
        "p3",
        "update",
        10,
        {"updated_fields": ["code"], "strategy": "base_only", "log_ids": [3]},
    )
    _old_task(db, "p3", "create", 7, {"log_ids": [4]})
    _old_task(db, "p4", "update", 10, {"updated_fields": ["code"], "log_ids": [5]})
    _old_task(db, "p4", "archive", 7, {"log_ids": [6]})
    with db.atomic():
        db.execute_sql(sql)
    pending = {
        row[0]: row[1:]
        for row in db.execute_sql(
            "SELECT entity_id, operation, priority, payload FROM sync_queue"
            " WHERE status = 'pending' ORDER BY entity_id"
        )
    }
    assert pending == {
        "p1": (
            "update",
            10,
            {"updated_fields": ["code", "name"], "strategy": "mixed_simple", "log_ids": [1, 2]},
        ),
        "p2": (
            "update",
            10,
            {"updated_fields": ["salePrices"], "strategy": "base_only", "log_ids": [1]},
        ),
        "p3": ("create", 10, {"log_ids": [3, 4]}),
        "p4": ("archive", 10, {"log_ids": [5, 6]}),
    }
    errors = dict(
        db.execute_sql("SELECT entity_id, error FROM sync_queue WHERE status = 'cancelled'")
    )
    assert "replaced by one update per entity" in errors["batch:1:base_only:0"]
    assert "entity deleted" in errors["p4"] and "merged into task" in errors["p3"]
    with pytest.raises(IntegrityError, match="sync_queue_operation_check"):
        _old_task(db, "batch:9", "batch_update", 10, {})
    _reapply_after(db, "0011_a")


def _reapply_after(db, version: str) -> None:
    """The migrations after `version` again (each is idempotent), so the schema is left as a
    full migrate leaves it for the tests that follow (0014_c widens the status check 0011_a set)."""
    for later, sql in available_migrations():
        if later > version:
            db.execute_sql(sql)
