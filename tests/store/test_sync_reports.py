"""Sync reports from seeded sync_queue rows: by status and child, lag, throughput, latency."""

from datetime import UTC, datetime, timedelta

from store.sync_reports import (
    TaskFilter,
    count_failed,
    failed_tasks,
    lag_by_target,
    overall_lag,
    stale_claimed,
    tasks_by_status,
)
from tests.store.sync_rows import KAZAN, MOSCOW, add_franchise, add_task

# Half past a minute, a minute ago: "10 s ago" and "now" share a minute bucket.
NOW = datetime.now(UTC).replace(second=30, microsecond=0) - timedelta(minutes=1)


def test_tasks_by_status_and_child(db):
    add_franchise()
    for status, count in (("pending", 2), ("processing", 1), ("completed", 3), ("failed", 1)):
        for _ in range(count):
            add_task(MOSCOW, status, finished_ago=5 if status in ("completed", "failed") else None)
    add_task(KAZAN, "held")
    add_task(KAZAN, "cancelled", finished_ago=5)
    rows = {(r["name"], r["status"]): (r["tasks"], r["sync_mode"]) for r in tasks_by_status()}
    assert rows == {
        ("Москва", "pending"): (2, "live"),
        ("Москва", "running"): (1, "live"),
        ("Москва", "completed"): (3, "live"),
        ("Москва", "failed"): (1, "live"),
        ("Казань", "held"): (1, "shadow"),
        ("Казань", "cancelled"): (1, "shadow"),
    }
    assert {r["name"] for r in tasks_by_status(KAZAN)} == {"Казань"}


def test_lag_is_the_age_of_the_oldest_due_task_and_ignores_children_switched_off(db):
    add_franchise(modes=("live", "off"))
    add_task(MOSCOW, now=NOW, scheduled_ago=90)
    add_task(MOSCOW, now=NOW, scheduled_ago=30)
    add_task(MOSCOW, now=NOW, scheduled_ago=-60)  # a retry later: not due yet
    add_task(MOSCOW, "failed", now=NOW, scheduled_ago=900)  # not pending
    add_task(KAZAN, now=NOW, scheduled_ago=500)  # waits on purpose: Казань is off
    rows = {
        r["name"]: (r["due"], round(r["lag_seconds"]), r["sync_mode"]) for r in lag_by_target(NOW)
    }
    assert rows == {"Москва": (2, 90, "live"), "Казань": (1, 500, "off")}
    assert round(overall_lag(NOW)) == 90


def test_failed_tasks_with_their_reasons_newest_first_and_filtered(db):
    add_franchise()
    first = add_task(
        MOSCOW, "failed", now=NOW, finished_ago=50, error="child Москва has no price type 'Оптовая'"
    )
    second = add_task(KAZAN, "failed", now=NOW, finished_ago=5, entity_type="service",
                      error="HTTP 400, code 3000: name is required")  # fmt: skip
    add_task(MOSCOW, "completed", now=NOW, finished_ago=5)
    rows = failed_tasks()
    assert [(r["id"], r["target_name"]) for r in rows] == [(second, "Казань"), (first, "Москва")]
    assert rows[1]["error"] == "child Москва has no price type 'Оптовая'"
    assert [r["id"] for r in failed_tasks(TaskFilter(search="оптовая"))] == [first]
    assert [r["id"] for r in failed_tasks(TaskFilter(entity_type="service"))] == [second]
    assert [r["id"] for r in failed_tasks(TaskFilter(target_account_id=MOSCOW))] == [first]
    assert [r["id"] for r in failed_tasks(TaskFilter(search=rows[0]["entity_id"]))] == [second]
    assert count_failed() == 2
    assert count_failed(since=NOW - timedelta(seconds=20)) == 1


def test_stale_claims_are_counted_by_their_claim_time(db):
    add_franchise()
    add_task(MOSCOW, "processing", claimed_at=NOW - timedelta(minutes=30))
    add_task(MOSCOW, "processing", claimed_at=NOW - timedelta(seconds=5))
    assert stale_claimed(NOW - timedelta(minutes=10)) == 1


def test_finished_tasks_are_counted_within_a_window_open_ones_always(db):
    add_franchise()
    add_task(MOSCOW, "completed", now=NOW, finished_ago=30)
    add_task(MOSCOW, "completed", now=NOW, finished_ago=3 * 3600)
    add_task(MOSCOW, "cancelled", now=NOW, finished_ago=3 * 3600)
    add_task(MOSCOW, "failed", now=NOW, finished_ago=3 * 3600)
    add_task(MOSCOW, "pending", now=NOW, scheduled_ago=3 * 3600)
    rows = tasks_by_status(MOSCOW, finished_since=NOW - timedelta(hours=1))
    assert {r["status"]: r["tasks"] for r in rows} == {"completed": 1, "failed": 1, "pending": 1}
