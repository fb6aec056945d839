"""Logs page: filters narrow the rows; retry one and retry-all enqueue jobs and are audited."""

from rq import Queue

from jobs import defaults
from jobs.queues import webhook_job_id
from store.audit import recent_actions
from store.logs import get_log
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console


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


def test_detail_shows_payload_error_and_tasks(console):
    seeded = seed_console()
    app = open_page("logs")
    app.selectbox(key="log_detail_id").select(seeded.completed_log_id).run()
    assert_no_exception(app)
    assert app.json, "payload shown"
    tasks = app.dataframe[1].value
    assert list(tasks["operation"]) == ["update"]
    app.selectbox(key="log_detail_id").select(seeded.failed_log_ids[0]).run()
    assert "МойСклад answered 500" in [e.value for e in app.error]


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


def test_retry_all_failed_needs_a_confirm_and_requeues_every_match(console, redis):
    seeded = seed_console()
    app = open_page("logs")
    button = next(b for b in app.button if b.label == "Retry all failed")
    assert button.disabled
    confirm = app.checkbox(key="confirm_retry")
    assert confirm.label == "Yes, re-run 2 failed logs"
    confirm.check().run()
    next(b for b in app.button if b.label == "Retry all failed").click().run()
    queue = Queue(defaults.WEBHOOKS_QUEUE, connection=redis)
    assert sorted(queue.job_ids) == sorted(webhook_job_id(i) for i in seeded.failed_log_ids)
    assert recent_actions(target="logs")[0]["result"] == "ok: 2 logs re-queued"
