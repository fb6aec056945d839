"""sync_queue writes: the partial unique index keeps one pending task per key."""

from store.tasks import (
    NewTask,
    TaskKey,
    find_pending_task,
    insert_task,
    task_exists_for_log,
    update_pending_task,
)

KEY = TaskKey("9171a53c-b719-11eb-c0a8-800d00000001", "product", "p-1", "update")
SOURCE = "9171a53c-b719-11eb-c0a8-800d00000002"


def test_second_pending_task_for_a_key_is_refused_by_the_index(db):
    first = insert_task(NewTask(KEY, SOURCE, 10, {"log_ids": [1]}, log_id=1))
    assert first is not None
    assert insert_task(NewTask(KEY, SOURCE, 7, {"log_ids": [2]}, log_id=2)) is None
    pending = find_pending_task(KEY)
    assert (pending.id, pending.priority, pending.payload) == (first, 10, {"log_ids": [1]})


def test_a_task_no_longer_pending_frees_the_key_and_is_not_rewritten(db):
    first = insert_task(NewTask(KEY, SOURCE, 10, {"log_ids": [1]}, log_id=1))
    db.execute_sql("UPDATE sync_queue SET status = 'processing'")
    assert update_pending_task(first, 10, {"log_ids": [1, 2]}) is False
    assert find_pending_task(KEY) is None
    assert insert_task(NewTask(KEY, SOURCE, 10, {"log_ids": [2]}, log_id=2)) not in (None, first)


def test_task_for_log_is_found_by_origin_or_by_merged_log_ids(db):
    insert_task(NewTask(KEY, SOURCE, 10, {"log_ids": [1, 5]}, log_id=1))
    assert task_exists_for_log(KEY, 1) and task_exists_for_log(KEY, 5)
    assert not task_exists_for_log(KEY, 6)
