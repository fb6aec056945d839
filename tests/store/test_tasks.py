"""sync_queue writes: the partial unique indexes keep one pending (and one held) task per entity."""

from store.tasks import (
    NewTask,
    TaskKey,
    cancel_tasks,
    find_task,
    insert_task,
    list_tasks,
    task_exists_for_log,
    update_task,
)

KEY = TaskKey("9171a53c-b719-11eb-c0a8-800d00000001", "product", "p-1")
SOURCE = "9171a53c-b719-11eb-c0a8-800d00000002"


def test_second_pending_write_for_an_entity_is_refused_whatever_the_operation(db):
    first = insert_task(NewTask(KEY, "update", SOURCE, 10, {"log_ids": [1]}, log_id=1))
    assert first is not None
    assert insert_task(NewTask(KEY, "update", SOURCE, 7, {"log_ids": [2]}, log_id=2)) is None
    assert insert_task(NewTask(KEY, "create", SOURCE, 7, {"log_ids": [3]}, log_id=3)) is None
    pending = find_task(KEY)
    assert (pending.id, pending.operation, pending.priority) == (first, "update", 10)
    assert pending.payload == {"log_ids": [1]}


def test_a_held_task_and_a_pending_one_of_an_entity_coexist(db):
    assert insert_task(NewTask(KEY, "update", SOURCE, 10, {"log_ids": [1]}, log_id=1))
    held = NewTask(KEY, "update", SOURCE, 10, {"log_ids": [2]}, log_id=2, hold_subject="s")
    assert insert_task(held) is not None and insert_task(held) is None
    assert find_task(KEY, "held").payload == {"log_ids": [2]}


def test_a_task_no_longer_pending_frees_the_key_and_is_not_rewritten(db):
    first = insert_task(NewTask(KEY, "update", SOURCE, 10, {"log_ids": [1]}, log_id=1))
    db.execute_sql("UPDATE sync_queue SET status = 'processing'")
    assert update_task(first, "update", 10, {"log_ids": [1, 2]}) is False
    assert find_task(KEY) is None
    second = insert_task(NewTask(KEY, "update", SOURCE, 10, {"log_ids": [2]}, log_id=2))
    assert second not in (None, first)


def test_changed_at_is_the_delivery_receipt_and_only_moves_earlier(db):
    from datetime import UTC, datetime, timedelta

    received = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    task_id = insert_task(NewTask(KEY, "update", SOURCE, 10, {}, changed_at=received))
    assert update_task(task_id, "update", 10, {}, changed_at=received + timedelta(minutes=5))
    assert find_task(KEY).changed_at == received
    assert update_task(task_id, "update", 10, {}, changed_at=received - timedelta(minutes=5))
    assert find_task(KEY).changed_at == received - timedelta(minutes=5)


def test_cancel_records_the_reason_and_the_cancelling_log(db):
    insert_task(NewTask(KEY, "update", SOURCE, 10, {"log_ids": [1]}, log_id=1))
    assert cancel_tasks(KEY, "entity deleted", 7, except_operations=("archive",)) == 1
    (task,) = list_tasks(status="cancelled")
    assert (task.error, task.cancelled_by_log_id) == ("entity deleted", 7)
    assert task.finished_at is not None


def test_task_for_log_is_found_by_origin_or_by_merged_log_ids(db):
    insert_task(NewTask(KEY, "update", SOURCE, 10, {"log_ids": [1, 5]}, log_id=1))
    assert task_exists_for_log(KEY, 1) and task_exists_for_log(KEY, 5)
    assert not task_exists_for_log(KEY, 6)


def test_the_rerun_check_can_use_the_entity_index(db):
    db.execute_sql("SET enable_seqscan = off")
    plan = db.execute_sql(
        "EXPLAIN SELECT 1 FROM sync_queue WHERE target_account_id = %s AND entity_type = %s"
        " AND entity_id = %s AND (log_id = 1 OR payload->'log_ids' @> to_jsonb(1::bigint))",
        (KEY.target_account_id, KEY.entity_type, KEY.entity_id),
    ).fetchall()
    db.execute_sql("RESET enable_seqscan")
    assert "sync_queue_entity" in " ".join(row[0] for row in plan)
