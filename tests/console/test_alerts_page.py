"""Alerts page: acknowledge then resolve an open alert, both audited."""

from store.audit import recent_actions
from store.models import Alert
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console


def test_acknowledge_then_resolve(console):
    seeded = seed_console()
    app = open_page("alerts")
    app.button(key=f"ack_{seeded.alert_id}").click().run()
    assert_no_exception(app)
    alert = Alert.get_by_id(seeded.alert_id)
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", "olga")
    assert not any(b.key == f"ack_{seeded.alert_id}" for b in app.button)
    app.button(key=f"resolve_{seeded.alert_id}").click().run()
    alert = Alert.get_by_id(seeded.alert_id)
    assert (alert.status, alert.resolved_by) == ("resolved", "olga")
    assert [i.value for i in app.success][-1] == "No open alerts."
    actions = [a["action"] for a in recent_actions(target=f"alert:{seeded.alert_id}")]
    assert actions == ["resolve alert", "acknowledge alert"]


def test_a_loop_alert_shows_its_held_work_and_release_resolves_it(console):
    from store.alerts import open_alert
    from store.tasks import NewTask, TaskKey, insert_task, list_tasks

    main, child = "9171a53c-b719-11eb-c0a8-800d00000001", "9171a53c-b719-11eb-c0a8-800d00000002"
    subject = f"{main}:product:p-1"
    alert, _ = open_alert("loop_suspected", subject, "warning", "changed 40 times")
    for log_id in (7, 8):
        key = TaskKey(child, "product", f"p-{log_id}")
        insert_task(NewTask(key, "update", main, 10, {"log_ids": [log_id]}, hold_subject=subject))
    app = open_page("alerts")
    assert_no_exception(app)
    assert any("2 task(s) from 2 delivery(ies)" in m.value for m in app.markdown)
    assert not any(b.key == f"resolve_{alert.id}" for b in app.button)
    app.button(key=f"release_{alert.id}").click().run()
    assert_no_exception(app)
    assert Alert.get_by_id(alert.id).status == "resolved"
    assert len(list_tasks()) == 2 and list_tasks(status="held") == []
    (entry,) = recent_actions(target=f"alert:{alert.id}")
    assert entry["action"] == "release held work" and "2 held task(s) released" in entry["result"]
