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


def test_severity_is_text_the_subject_a_name_with_a_link_to_its_logs(console):
    seeded = seed_console()
    app = open_page("alerts")
    card = next(m.value for m in app.markdown if "failure_rate" in m.value)
    assert card.startswith(":red-badge[CRITICAL] **failure_rate** · account Main shop · open")
    assert "UTC" in card and seeded.main not in card
    links = [
        link for link in app.get("page_link") if link.proto.label == "Logs of account Main shop"
    ]
    assert links, [link.proto.label for link in app.get("page_link")]


def test_resolve_keeps_the_operators_note(console):
    seeded = seed_console()
    app = open_page("alerts")
    app.text_input(key=f"note_{seeded.alert_id}").input("webhooks reinstalled").run()
    app.button(key=f"resolve_{seeded.alert_id}").click().run()
    assert_no_exception(app)
    alert = Alert.get_by_id(seeded.alert_id)
    assert (alert.status, alert.resolution_note) == ("resolved", "webhooks reinstalled")
    recent = app.dataframe[0].value
    assert list(recent["resolution_note"]) == ["webhooks reinstalled"]
    assert list(recent["subject"]) == ["account Main shop"]
