"""Sync page: numbers from seeded sync_queue rows; retry one and all matching (confirmed,
audited, jobs queued); the mode switch; viewers see and cannot act."""

from rq import Queue, Worker

from jobs import defaults
from jobs.queues import sync_job_id
from store.audit import recent_actions
from store.models import Account, SyncTask
from store.verify_runs import record_verify_run
from tests.console.conftest import assert_no_exception, open_page
from tests.store.sync_rows import KAZAN, MAIN, MOSCOW, add_franchise, add_task

REASON = "child Москва has no price type 'Оптовая'"


def seed() -> dict:
    add_franchise()
    ids = {
        "pending": add_task(MOSCOW, scheduled_ago=45),
        "failed_moscow": add_task(MOSCOW, "failed", finished_ago=20, error=REASON, attempts=3),
        "failed_kazan": add_task(
            KAZAN,
            "failed",
            finished_ago=10,
            entity_type="service",
            error="HTTP 400, code 3000: name is required",
        ),
    }
    for latency in (0.5, 1.0, 1.5, 2.0):
        add_task(MOSCOW, "completed", finished_ago=30, latency=latency, applied_mode="live")
    return ids


def button(app, label: str):
    return next(b for b in app.button if b.label == label)


def test_numbers_come_from_the_tasks(console):
    seed()
    app = open_page("sync")
    assert_no_exception(app)
    tiles = {m.label: m.value for m in app.metric}
    assert tiles["Due tasks"] == "1" and tiles["Failed tasks"] == "2"
    assert tiles["Completed in the range"] == "4"
    assert tiles["Lag"].endswith(" s") and 44 <= float(tiles["Lag"].split()[0]) < 120
    assert tiles["Change → write p95"] == "1.9 s"
    table = app.dataframe[0].value.set_index("target")
    assert table.loc["Москва", ["mode", "pending", "completed", "failed"]].tolist() == [
        "live", 1, 4, 1
    ]  # fmt: skip
    assert table.loc["Казань", "failed"] == 1 and table.loc["Казань", "mode"] == "shadow"
    charts = app.get("plotly_chart")
    assert len(charts) == 2
    failed = app.dataframe[1].value
    assert failed["reason"].tolist() == ["HTTP 400, code 3000: name is required", REASON]
    (banner,) = [w.value for w in app.warning]
    assert banner.startswith("Executor DOWN: down — no RQ worker is listening on queue sync")
    assert "degraded — 2 sync task(s) failed in the last 60 min" in banner


def test_a_healthy_executor_says_so(console, redis):
    add_franchise()
    add_task(MOSCOW, "completed", finished_ago=30, latency=1.0)
    Worker([Queue(defaults.SYNC_QUEUE, connection=redis)], connection=redis).register_birth()
    app = open_page("sync")
    assert next(s.value for s in app.success).startswith("Executor healthy")


def test_retry_all_matching_is_confirmed_then_requeues_and_queues_the_job(console, redis):
    ids = seed()
    app = open_page("sync")
    app.text_input(key="sync_search").input("оптовая").run()
    assert app.dataframe[1].value["id"].tolist() == [ids["failed_moscow"]]
    assert button(app, "Retry all matching").disabled
    confirm = app.checkbox(key="confirm_sync_retry_all")
    assert confirm.label.startswith("Yes, re-queue 1 failed task(s) now")
    confirm.check().run()
    button(app, "Retry all matching").click().run()
    assert_no_exception(app)
    assert SyncTask.get_by_id(ids["failed_moscow"]).status == "pending"
    assert SyncTask.get_by_id(ids["failed_kazan"]).status == "failed"
    assert Queue(defaults.SYNC_QUEUE, connection=redis).job_ids == [sync_job_id(MOSCOW)]
    (entry,) = recent_actions(target="sync:tasks")
    assert (entry["actor"], entry["result"]) == ("olga", "ok: 1 task(s) re-queued")
    assert entry["details"] == {"search": "оптовая"}


def test_retry_one_from_its_detail(console, redis):
    ids = seed()
    task_id = ids["failed_kazan"]
    app = open_page("sync")
    app.selectbox(key="sync_failed_task").select(task_id).run()
    assert "HTTP 400, code 3000: name is required" in [e.value for e in app.error]
    assert button(app, f"Retry task #{task_id}").disabled
    app.checkbox(key=f"confirm_retry_{task_id}").check().run()
    button(app, f"Retry task #{task_id}").click().run()
    assert SyncTask.get_by_id(task_id).status == "pending"
    assert Queue(defaults.SYNC_QUEUE, connection=redis).job_ids == [sync_job_id(KAZAN)]
    (entry,) = recent_actions(target=f"sync:task:{task_id}")
    assert entry["action"] == "retry sync task" and entry["result"] == "ok: 1 task(s) re-queued"


def test_switching_a_childs_mode_names_what_will_happen_and_is_audited(console):
    seed()
    app = open_page("sync")
    app.selectbox(key="review_child").select(KAZAN).run()
    app.radio(key=f"new_mode_{KAZAN}").set_value("live").run()
    confirm = app.checkbox(key=f"confirm_mode_{KAZAN}_live")
    assert confirm.label == (
        "Yes, switch Казань from shadow to live: tasks are written to the child's МойСклад account"
    )
    assert app.button(key=f"switch_mode_{KAZAN}").disabled
    confirm.check().run()
    app.button(key=f"switch_mode_{KAZAN}").click().run()
    assert_no_exception(app)
    assert Account.get_by_id(KAZAN).sync_mode == "live"
    (entry,) = recent_actions(target=f"sync:mode:{KAZAN}")
    assert (entry["actor"], entry["action"]) == ("olga", "set sync mode")
    assert entry["details"] == {"from": "shadow", "to": "live"}
    assert entry["result"] == "ok: Казань: sync mode shadow → live"


def test_a_viewer_sees_the_failures_but_no_action(console):
    seed()
    app = open_page("sync", user="victor")
    assert_no_exception(app)
    assert len(app.dataframe[1].value) == 2
    assert not any(b.label.startswith(("Retry", "Switch")) for b in app.button)
    assert not app.checkbox


def table_with(app, column: str):
    return next(d.value for d in app.dataframe if column in d.value.columns)


def test_orders_copied_and_drift_found_are_shown(console):
    add_franchise()
    order = {"entity_type": "customerorder", "operation": "order", "source_account_id": MOSCOW}
    for _ in range(3):
        add_task(MAIN, "completed", finished_ago=60, applied_mode="live", **order)
    add_task(MAIN, "completed", finished_ago=60, applied_mode="shadow", **order | {
        "source_account_id": KAZAN})  # fmt: skip
    waiting = add_task(
        MAIN, error="1 position(s) have no main entity (no mapping): product 1",
        result={"unmapped": [{"type": "product", "id": "1"}]}, **order,
    )  # fmt: skip
    record_verify_run(
        {"child_id": KAZAN, "main_id": MAIN, "repair": True, "checked": 20, "unchanged": 15,
         "different": 2, "by_kind": {"base": 1, "prices": 1}, "tasks_written": 2,
         "tasks_merged": 0, "mappings_dropped": 0, "alert": None,
         "differences": [{"entity_type": "product", "main_id": "m1", "child_id": "c1",
                          "fields": {"name": "base"}}]}
    )  # fmt: skip
    add_task(KAZAN, "completed", finished_ago=30, payload={"origin": "verify"})

    app = open_page("sync")

    assert_no_exception(app)
    orders = table_with(app, "copied to main").set_index("child")
    assert orders.loc["Москва", ["copied to main", "waiting for a mapping"]].tolist() == [3, 1]
    assert orders.loc["Казань", "recorded (shadow)"] == 1
    shown = table_with(app, "next look")
    assert shown["task"].tolist() == [waiting] and "no mapping" in shown["reason"][0]
    drift = table_with(app, "different").set_index("child")
    assert drift.loc["Казань", ["different", "base", "prices", "tasks queued"]].tolist() == [
        2, 1, 1, 2
    ]  # fmt: skip
    assert drift.loc["Казань", "repairs applied in the range"] == 1
    assert table_with(app, "fields")["fields"].tolist() == ["name: base"]
