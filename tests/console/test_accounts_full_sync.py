"""Accounts page, a child: its order targets saved, its full sync queued (confirmed, audited)."""

from rq import Queue

from jobs import defaults
from jobs.sync.full_sync_job import FULL_SYNC_FUNC
from store.account_edits import get_sync_settings
from store.audit import recent_actions
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console

STORE_ID = "5b1e7c2a-0000-4000-8000-000000000014"


def pick(app, account_id: str):
    return app.selectbox(key="accounts_account").select(account_id).run()


def test_order_targets_and_drift_settings_are_saved(console):
    child = seed_console().children[0]
    app = pick(open_page("accounts"), child)
    store = next(t for t in app.text_input if t.label.startswith("Orders → main's store"))
    store.input(STORE_ID)
    app.number_input[0].set_value(25)
    next(b for b in app.get("form_submit_button")).click().run()
    assert_no_exception(app)
    saved = get_sync_settings(child)
    assert str(saved["order_store_id"]) == STORE_ID and saved["drift_alert_threshold"] == 25


def test_a_full_sync_is_queued_as_a_dry_run_and_audited(console, redis):
    child = seed_console().children[0]
    app = pick(open_page("accounts"), child)
    next(b for b in app.button if b.label == "Queue full sync").click().run()
    assert_no_exception(app)
    [job] = Queue(defaults.DEFAULT_QUEUE, connection=redis).get_jobs()
    assert (job.func_name, job.args) == (FULL_SYNC_FUNC, (child, True))
    entry = recent_actions(target=f"account:{child}")[0]
    assert entry["action"] == "full sync" and entry["details"] == {"dry_run": True}
