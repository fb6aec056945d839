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
    with pytest.raises(IntegrityError, match="sync_queue_one_pending"):
        db.execute_sql(insert, (target, source, "pending"))
