"""Webhooks page: desired against installed with health; Check now and Reinstall enqueue setup."""

import dataclasses

import pytest
from rq import Queue, SimpleWorker

from console.webhook_table import MISSING
from jobs import defaults
from jobs.context import configure
from scripts.simulator.server import running_simulator
from scripts.simulator.simulator import Simulator
from store.action_reports import recent_reports
from store.audit import recent_actions
from tests.console.conftest import assert_no_exception, open_page
from tests.console.seed import seed_console


def test_desired_and_installed_side_by_side_with_health(console):
    seeded = seed_console()
    app = open_page("webhooks")
    app.selectbox(key="webhooks_account").select(seeded.main).run()
    assert_no_exception(app)
    table = app.dataframe[0].value.set_index(["entity_type", "action"])
    assert len(table) == 15  # main: 5 types × 3 actions
    assert table.loc[("product", "UPDATE"), "health"] == "healthy"
    assert table.loc[("service", "DELETE"), "health"] == "critical: in МойСклад: disabled"
    assert table.loc[("bundle", "CREATE"), "health"] == MISSING
    tiles = {m.label: m.value for m in app.metric}
    assert (tiles["Desired"], tiles["Installed"], tiles["Missing"]) == ("15", "2", "13")
    assert tiles["Account health"] == "critical"


def click(app, label: str):
    return next(b for b in app.button if b.label == label).click().run()


@pytest.mark.parametrize(
    "label, mode, confirmed",
    [("Check now", "check", False), ("Set up", "setup", True), ("Reinstall", "reinstall", True)],
)
def test_button_queues_a_reported_job_and_is_audited(console, redis, label, mode, confirmed):
    seeded = seed_console()
    app = open_page("webhooks")
    app.selectbox(key="webhooks_account").select(seeded.main).run()
    click(app, label)
    queue = Queue(defaults.DEFAULT_QUEUE, connection=redis)
    if confirmed:  # changes МойСклад: asked first, nothing queued yet
        assert queue.count == 0
        assert any(w.value.startswith(f"**{label}?**") and "Main shop" in w.value
                   for w in app.warning)  # fmt: skip
        click(app, f"Confirm: {label}")
    assert_no_exception(app)
    (job,) = queue.get_jobs()
    (report,) = recent_reports(seeded.main)
    assert (job.func_name, job.args) == (defaults.SETUP_AND_REPORT_FUNC, (report["id"],))
    assert (report["kind"], report["status"], report["job_id"]) == (mode, "queued", job.id)
    entry = recent_actions(target=f"webhooks:{seeded.main}")[0]
    assert (entry["id"], entry["action"], entry["result"]) == (
        report["audit_id"],
        f"webhooks {mode}",
        f"ok: report #{report['id']} queued",
    )


def test_reinstall_cancelled_queues_nothing(console, redis):
    seeded = seed_console()
    app = open_page("webhooks")
    app.selectbox(key="webhooks_account").select(seeded.main).run()
    click(click(app, "Reinstall"), "Cancel")
    assert_no_exception(app)
    assert Queue(defaults.DEFAULT_QUEUE, connection=redis).count == 0
    assert recent_actions(target=f"webhooks:{seeded.main}") == []


def test_report_of_a_finished_job_is_a_table_with_its_audit_entry(
    console, redis, settings, monkeypatch
):
    seeded = seed_console()
    sim = Simulator()
    with running_simulator(sim) as api_url:
        sim.add_account(seeded.main, "token-main")  # the token seed_console stored for it
        monkeypatch.setenv("MOYSKLAD_API_URL", api_url)
        configure(dataclasses.replace(settings, moysklad_api_url=api_url), redis)
        app = open_page("webhooks")
        app.selectbox(key="webhooks_account").select(seeded.main).run()
        click(click(app, "Reinstall"), "Confirm: Reinstall")
        SimpleWorker([defaults.DEFAULT_QUEUE], connection=redis).work(burst=True)
        app.run()
    sim.close()
    assert_no_exception(app)
    (report,) = recent_reports(seeded.main)
    assert (report["status"], report["summary"]["counts"]["created"]) == ("done", 15)
    summary = next(d.value for d in app.dataframe if "audit_entry" in d.value.columns)
    assert summary.iloc[0]["kind"] == "reinstall" and summary.iloc[0]["status"] == "done"
    assert "15 created" in summary.iloc[0]["result"]
    assert summary.iloc[0]["audit_entry"].startswith(f"#{report['audit_id']} webhooks reinstall")
    rows = next(d.value for d in app.dataframe if "outcome" in d.value.columns
                and "entity_type" in d.value.columns)  # fmt: skip
    assert len(rows) == 15 and set(rows["outcome"]) == {"created"}
    assert len(sim.webhooks(seeded.main)) == 15
