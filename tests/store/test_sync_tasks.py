"""store.sync_tasks: claiming (order, due, SKIP LOCKED), recording outcomes with mappings in
one transaction, retries and their limit, releasing claims of a job that died."""

import threading
import uuid

import pytest
from peewee import IntegrityError

from jobs.sync.outcomes import Mapping, Outcome
from store.accounts import add_account
from store.db import database
from store.sync_tasks import claim_tasks, due_targets, record_outcomes, release_claims
from store.tasks import NewTask, TaskKey, insert_tasks, list_tasks

GOODS = ("productfolder", "product", "service", "variant", "bundle")


def _accounts(secret, mode="live"):
    main, child = str(uuid.uuid4()), str(uuid.uuid4())
    add_account(main, "Main", "t-main", "main", secret)
    add_account(child, "Child", "t-child", "child", secret)
    database.execute_sql("UPDATE accounts SET sync_mode = %s WHERE id = %s", (mode, child))
    return main, child


def _task(main, child, entity_type, priority=7, operation="create", scheduled_at=None):
    new = NewTask(
        TaskKey(child, entity_type, str(uuid.uuid4())),
        operation,
        source_account_id=main,
        priority=priority,
        scheduled_at=scheduled_at,
    )
    return insert_tasks([new])[new.key]


def test_claims_due_tasks_folders_first_then_by_priority(db, settings):
    main, child = _accounts(settings.app_secret)
    product = _task(main, child, "product", priority=7)
    update = _task(main, child, "product", priority=10, operation="update")
    folder = _task(main, child, "productfolder", priority=5, operation="folder_create")
    db.execute_sql("UPDATE sync_queue SET scheduled_at = now() + interval '1 hour' WHERE id = %s",
                   (product,))  # fmt: skip
    later = product
    claimed = claim_tasks(child, GOODS, 100)
    assert [t.id for t in claimed] == [folder, update]
    assert all(t.attempts == 1 for t in claimed)
    statuses = {t.id: t.status for t in list_tasks(status=None)}
    assert statuses == {folder: "running", update: "running", later: "pending"}


def test_order_types_are_not_claimed_unless_asked_for(db, settings):
    main, child = _accounts(settings.app_secret)
    _task(main, child, "customerorder", operation="order")
    assert claim_tasks(child, GOODS, 100) == []


def test_two_executors_claiming_at_once_never_get_the_same_task(db, settings):
    main, child = _accounts(settings.app_secret)
    for _ in range(300):
        _task(main, child, "product")
    got: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def claim(slot):
        database.connect(reuse_if_open=True)
        barrier.wait()
        while batch := claim_tasks(child, GOODS, 7):
            got[slot] += [t.id for t in batch]
        database.close()

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(got[0]) & set(got[1])
    assert len(got[0]) + len(got[1]) == 300


def test_completion_and_its_mapping_are_written_together(db, settings):
    main, child = _accounts(settings.app_secret)
    task_id = _task(main, child, "product")
    [task] = claim_tasks(child, GOODS, 10)
    copy = str(uuid.uuid4())
    mapping = Mapping(child, "product", task.entity_id, copy)
    recorded = record_outcomes(
        [Outcome(task_id, "completed", request={"item": 1}, result={"id": copy}, mapping=mapping)],
        "live",
        10,
    )
    assert recorded.counts["completed"] == 1
    row = list_tasks(status="completed")[0]
    assert row.applied_mode == "live" and row.finished_at and row.result == {"id": copy}
    found = db.execute_sql("SELECT child_entity_id::text FROM entity_mappings").fetchall()
    assert found == [(copy,)]


def test_a_failing_mapping_rolls_the_completion_back(db, settings):
    main, child = _accounts(settings.app_secret)
    task_id = _task(main, child, "product")
    claim_tasks(child, GOODS, 10)
    nobody = str(uuid.uuid4())  # no such account: the foreign key refuses the mapping
    broken = Mapping(nobody, "product", str(uuid.uuid4()), str(uuid.uuid4()))
    with pytest.raises(IntegrityError):
        record_outcomes([Outcome(task_id, "completed", mapping=broken)], "live", 10)
    assert list_tasks(status="running")[0].id == task_id


def test_a_retry_goes_back_to_pending_later_and_past_the_limit_fails(db, settings):
    main, child = _accounts(settings.app_secret)
    task_id = _task(main, child, "product")
    claim_tasks(child, GOODS, 10)
    record_outcomes([Outcome(task_id, "retry", error="HTTP 503", retry_in=60)], "live", 2)
    row = list_tasks(status="pending")[0]
    assert row.error == "HTTP 503" and row.attempts == 1
    assert (row.scheduled_at - row.updated_at).total_seconds() > 50
    db.execute_sql("UPDATE sync_queue SET scheduled_at = now()")
    claim_tasks(child, GOODS, 10)
    record_outcomes([Outcome(task_id, "retry", error="HTTP 503", retry_in=60)], "live", 2)
    row = list_tasks(status="failed")[0]
    assert row.error == "gave up after 2 attempts: HTTP 503"


def test_stale_claims_are_released_and_a_superseded_one_is_left_to_merge(db, settings):
    main, child = _accounts(settings.app_secret)
    first = _task(main, child, "product")
    second = _task(main, child, "product")
    claim_tasks(child, GOODS, 10)
    entity = db.execute_sql("SELECT entity_id FROM sync_queue WHERE id = %s", (second,)).fetchone()[
        0
    ]
    newer = NewTask(
        TaskKey(child, "product", entity), "update", source_account_id=main, priority=10
    )
    insert_tasks([newer])  # an event arrived while it was claimed
    assert release_claims(child, older_than=3600) == []  # not stale yet
    left = release_claims(child)
    assert left == [second]
    assert {t.id for t in list_tasks(status="pending")} >= {first}


def test_due_targets_are_the_live_and_shadow_ones(db, settings):
    main, live = _accounts(settings.app_secret, "live")
    _, off = _accounts(settings.app_secret, "off")
    _task(main, live, "product")
    _task(main, off, "product")
    assert due_targets() == [live]
