"""Logs page: filters narrow the rows; retry one and retry-all enqueue jobs and are audited."""

from datetime import UTC, datetime

from rq import Queue
from rq.registry import ScheduledJobRegistry

from jobs import defaults
from jobs.queues import webhook_job_id
from store.action_reports import recent_reports
from store.audit import recent_actions
from store.logs import get_log
from store.models import WebhookLog
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console
from tests.jobs.log_rows import add_logs


def click(app, label: str):
    return next(b for b in app.button if b.label == label).click().run()


def table_ids(app) -> list[int]:
    frame = app.dataframe[0].value
    return sorted(frame["id"].tolist())


def test_filters_change_the_rows(console):
    seeded = seed_console()
    app = open_page("logs")
    assert len(table_ids(app)) == 6
    app.multiselect[0].select("failed").run()
    assert table_ids(app) == sorted(seeded.failed_log_ids)
    app.multiselect[0].unselect("failed").run()
    app.selectbox[1].select("service").run()  # entity type
    assert table_ids(app) == [seeded.failed_log_ids[1]]
    app.selectbox[1].select(None).run()
    app.text_input[0].input(seeded.entity_ids[0]).run()
    assert table_ids(app) == [seeded.completed_log_id]
    app.text_input[0].input("req-3").run()
    assert table_ids(app) == [seeded.failed_log_ids[1]]
    app.text_input[0].input("no-such-id").run()
    assert [i.value for i in app.info] == ["No logs match these filters."]


def frame_with(app, column: str):
    return next(d.value for d in app.dataframe if column in d.value.columns)


def test_detail_shows_payload_error_timeline_and_tasks(console):
    seeded = seed_console()
    app = open_page("logs")
    app.selectbox(key="log_detail_id").select(seeded.completed_log_id).run()
    assert_no_exception(app)
    assert app.json, "payload shown"
    assert list(frame_with(app, "operation")["operation"]) == ["update"]
    assert list(frame_with(app, "outcome")["outcome"]) == ["received"]  # the timeline
    app.selectbox(key="log_detail_id").select(seeded.failed_log_ids[0]).run()
    assert "МойСклад answered 500" in [e.value for e in app.error]


def test_the_error_is_a_column_and_a_note_is_neutral(console):
    seeded = seed_console()
    WebhookLog.update(reason="merged into 2 pending task(s)").where(
        WebhookLog.id == seeded.completed_log_id
    ).execute()
    app = open_page("logs")
    table = app.dataframe[0].value.set_index("id")
    columns = list(table.columns)
    assert columns.index("error") < columns.index("attempts")  # on screen, not past the numbers
    assert table.loc[seeded.failed_log_ids[0], "error"] == "МойСклад answered 500"
    assert table.loc[seeded.completed_log_id, "note"] == "merged into 2 pending task(s)"
    assert table.loc[seeded.completed_log_id, "error"] == "—"
    app.selectbox(key="log_detail_id").select(seeded.completed_log_id).run()
    assert not app.error
    assert [i.value for i in app.info] == ["Note: merged into 2 pending task(s)"]


def test_a_log_waiting_for_its_retry_says_which_try_and_when(console, redis):
    seeded = seed_console()
    log_id = seeded.failed_log_ids[0]
    WebhookLog.update(status="received", attempts=2, error="try 2 failed: timeout").where(
        WebhookLog.id == log_id
    ).execute()
    at = datetime(2026, 12, 3, 9, 15, 30, tzinfo=UTC)
    key = ScheduledJobRegistry(defaults.WEBHOOKS_QUEUE, connection=redis).key
    redis.zadd(key, {webhook_job_id(log_id): at.timestamp()})
    app = open_page("logs")
    table = app.dataframe[0].value.set_index("id")
    assert table.loc[log_id, "state"] == "retrying — try 3 of 4, next at 09:15:30"
    app.radio(key="time_zone").set_value("Moscow (UTC+3)").run()
    table = app.dataframe[0].value.set_index("id")
    assert table.loc[log_id, "state"] == "retrying — try 3 of 4, next at 12:15:30"


def test_give_up_asks_then_stops_the_retries_and_retry_all_leaves_it(console, redis):
    seeded = seed_console()
    log_id = seeded.failed_log_ids[0]
    app = open_page("logs")
    app.selectbox(key="log_detail_id").select(log_id).run()
    click(app, f"Give up log #{log_id}")
    assert get_log(log_id).given_up_by is None  # asked only
    click(app, f"Confirm: Give up log #{log_id}")
    assert_no_exception(app)
    log = get_log(log_id)
    assert (log.status, log.given_up_by) == ("failed", "olga")
    assert log.error == "МойСклад answered 500 — given up by olga"
    entry = recent_actions(target=f"log:{log_id}")[0]
    assert (entry["action"], entry["result"]) == ("give up log", "ok: given up (was failed)")
    assert app.dataframe[0].value.set_index("id").loc[log_id, "state"] == (
        "failed — given up by olga"
    )
    assert "Retry all failed logs matching this filter (1)" in [e.label for e in app.expander]


def test_retry_one_failed_log_enqueues_its_job_and_is_audited(console, redis):
    seeded = seed_console()
    log_id = seeded.failed_log_ids[0]
    app = open_page("logs")
    app.selectbox(key="log_detail_id").select(log_id).run()
    next(b for b in app.button if b.label == f"Retry log #{log_id}").click().run()
    assert_no_exception(app)
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    assert queue.job_ids == [webhook_job_id(log_id)]
    assert get_log(log_id).status == "received"
    entry = recent_actions(target=f"log:{log_id}")[0]
    assert (entry["actor"], entry["action"], entry["result"]) == (
        "olga",
        "retry log",
        "ok: 1 job queued",
    )
    assert any("retry log" in s.value for s in app.success)


def test_retry_all_asks_with_the_count_and_requeues_exactly_those(console, redis):
    seeded = seed_console()
    app = open_page("logs")
    click(app, "Retry all failed")
    question = next(w.value for w in app.warning if "Retry all failed" in w.value)
    assert "Re-queues 2 failed log(s)" in question
    # Fails after the question: not part of what was asked.
    add_logs(1, seeded.main, "failed", request_id="late")
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    assert queue.count == 0
    click(app, "Confirm: Retry all failed")
    assert_no_exception(app)
    assert sorted(queue.job_ids) == sorted(webhook_job_id(i) for i in seeded.failed_log_ids)
    entry = recent_actions(target="logs")[0]
    assert entry["result"] == "ok: 2 of 2 confirmed logs re-queued"
    (report,) = recent_reports(kinds=("retry-all",))
    assert report["audit_id"] == entry["id"] and len(report["rows"]) == 2
    assert frame_with(app, "audit_entry").iloc[0]["result"] == "2 re-queued"


def test_retry_all_cancelled_queues_nothing(console, redis):
    seed_console()
    app = open_page("logs")
    click(click(app, "Retry all failed"), "Cancel")
    assert Queue(defaults.WEBHOOKS_QUEUE, connection=redis).count == 0
    assert recent_actions(target="logs") == []
