"""Sign-in gate, roles and the audit of sign-ins."""

from datetime import UTC, datetime, timedelta

from console.login_guard import UNKNOWN_CLIENT, seconds_to_wait
from store.audit import recent_actions, record_action
from tests.console.conftest import PAGES, PASSWORD, assert_no_exception, open_page
from tests.console.seed import seed_console

ALWAYS_SHOWN_BUTTONS = {"Sign out"}


def sign_in(app, name: str, password: str):
    app.text_input[0].input(name)
    app.text_input[1].input(password)
    return app.button[0].click().run()


def test_without_login_only_the_login_form_renders(console):
    seed_console()
    app = open_page("overview", user=None)
    assert_no_exception(app)
    assert [t.value for t in app.title] == ["МойСклад webhooks — sign in"]
    assert len(app.text_input) == 2
    assert not app.metric and not app.dataframe and not app.sidebar.button


def test_right_password_signs_in_and_is_audited(console):
    app = open_page("overview", user=None)
    sign_in(app, "olga", PASSWORD)
    assert_no_exception(app)
    assert [t.value for t in app.title] == ["Overview"]
    assert recent_actions(target="console")[0]["result"] == "ok"


def test_wrong_password_is_refused_and_audited(console):
    app = open_page("overview", user=None)
    sign_in(app, "olga", "wrong password")
    assert [e.value for e in app.error] == ["Wrong user or password."]
    assert [t.value for t in app.title] == ["МойСклад webhooks — sign in"]
    entry = recent_actions(target="console")[0]
    assert (entry["actor"], entry["action"], entry["result"]) == ("olga", "login", "failed")


def test_unknown_user_in_session_gets_the_login_form(console):
    app = open_page("overview", user="mallory")
    assert [t.value for t in app.title] == ["МойСклад webhooks — sign in"]


def test_viewer_sees_no_action_buttons_on_any_page(console):
    seed_console()
    for page in PAGES:
        app = open_page(page, user="victor")
        assert_no_exception(app)
        labels = {b.label for b in app.button} - ALWAYS_SHOWN_BUTTONS
        assert not labels, (page, labels)
        assert not app.get("form_submit_button"), page


def test_operator_sees_action_buttons(console):
    seed_console()
    labels = {b.label for page in PAGES for b in open_page(page).button}
    assert {"Retry all failed", "Acknowledge", "Resolve", "Switch webhooks off"} <= labels


def fail_sign_ins(times: int, name: str = "olga", client: str = UNKNOWN_CLIENT) -> None:
    for _ in range(times):
        record_action(name, "anonymous", "login", "console", {"client": client}, "failed")


def test_sign_ins_and_failures_record_the_client(console):
    app = open_page("overview", user=None)
    sign_in(app, "olga", "wrong password")
    sign_in(app, "olga", PASSWORD)
    entries = recent_actions(target="console")
    assert [(e["result"], e["details"]) for e in entries] == [
        ("ok", {"client": UNKNOWN_CLIENT}),
        ("failed", {"client": UNKNOWN_CLIENT}),
    ]


def test_repeated_failures_slow_the_next_try_even_with_the_right_password(console):
    app = open_page("overview", user=None)
    sign_in(app, "olga", "wrong password")
    fail_sign_ins(5)  # six in all: the next try waits 16 s (a loaded machine stays inside it)
    sign_in(app, "olga", PASSWORD)
    assert [t.value for t in app.title] == ["МойСклад webhooks — sign in"]
    assert "try again in" in app.error[0].value
    assert recent_actions(target="console")[0]["result"] == "refused"


def test_many_failures_lock_the_user_from_any_client(console):
    fail_sign_ins(10, client="203.0.113.7")
    app = sign_in(open_page("overview", user=None), "olga", PASSWORD)
    assert "locked for 15 more minute(s)" in app.error[0].value
    victor = sign_in(open_page("overview", user=None), "victor", PASSWORD)
    assert [t.value for t in victor.title] == ["Overview"]  # another user is not locked


def test_many_failures_from_one_client_lock_it_for_every_user(console):
    for number in range(10):
        fail_sign_ins(1, name=f"guess-{number}")
    app = sign_in(open_page("overview", user=None), "victor", PASSWORD)
    assert "Too many failed sign-ins for this address" in app.error[0].value


def test_a_successful_sign_in_forgets_the_earlier_failures(console):
    fail_sign_ins(2)
    record_action("olga", "operator", "login", "console", {"client": UNKNOWN_CLIENT}, "ok")
    fail_sign_ins(2)
    app = sign_in(open_page("overview", user=None), "olga", PASSWORD)
    assert [t.value for t in app.title] == ["Overview"]


def test_the_wait_doubles_and_then_locks():
    now = datetime.now(UTC)
    waits = [seconds_to_wait(n, now, now) for n in (2, 3, 4, 5, 9, 10)]
    assert waits == [0, 2, 4, 8, 60, 15 * 60]
    assert seconds_to_wait(10, now - timedelta(minutes=16), now) == 0


def test_only_operators_get_the_rq_dashboard_link(console):
    assert [b.label for b in open_page("overview").get("link_button")] == [
        "Queues (rq-dashboard) ↗"
    ]
    assert not open_page("overview", user="victor").get("link_button")
