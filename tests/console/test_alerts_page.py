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
