"""Sign-in gate, roles and the audit of sign-ins."""

from store.audit import recent_actions
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
