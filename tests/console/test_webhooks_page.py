"""Webhooks page: desired against installed with health; Check now and Reinstall enqueue setup."""

import dataclasses
import json

import pytest
from rq import Queue, SimpleWorker

from console.webhook_table import MISSING
from jobs import defaults
from jobs.context import configure
from scripts.simulator.server import running_simulator
from scripts.simulator.simulator import Simulator
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


@pytest.mark.parametrize("label, mode", [("Check now", "check"), ("Reinstall", "reinstall")])
def test_button_enqueues_the_setup_job_and_is_audited(console, redis, label, mode):
    seeded = seed_console()
    app = open_page("webhooks")
    app.selectbox(key="webhooks_account").select(seeded.main).run()
    next(b for b in app.button if b.label == label).click().run()
    assert_no_exception(app)
    jobs = Queue(defaults.DEFAULT_QUEUE, connection=redis).get_jobs()
    assert [(j.func_name, j.args, j.kwargs) for j in jobs] == [
        (defaults.SETUP_WEBHOOKS_FUNC, (seeded.main,), {"mode": mode})
    ]
    entry = recent_actions(target=f"webhooks:{seeded.main}")[0]
    assert (entry["action"], entry["result"]) == (
        f"webhooks {mode}",
        f"ok: job {jobs[0].id} queued",
    )
    assert any(jobs[0].id in i.value and "queued" in i.value for i in app.info)


def test_report_of_a_finished_job_is_shown(console, redis, settings, monkeypatch):
    seeded = seed_console()
    sim = Simulator()
    with running_simulator(sim) as api_url:
        sim.add_account(seeded.main, "token-main")  # the token seed_console stored for it
        monkeypatch.setenv("MOYSKLAD_API_URL", api_url)
        configure(dataclasses.replace(settings, moysklad_api_url=api_url), redis)
        app = open_page("webhooks")
        app.selectbox(key="webhooks_account").select(seeded.main).run()
        next(b for b in app.button if b.label == "Reinstall").click().run()
        SimpleWorker([defaults.DEFAULT_QUEUE], connection=redis).work(burst=True)
        app.run()
    sim.close()
    assert_no_exception(app)
    assert [s.value for s in app.success][-1] == "Reinstall finished"
    report = json.loads(app.json[0].value)
    assert (report["mode"], report["status"], report["counts"]["created"]) == (
        "reinstall",
        "done",
        15,
    )
    assert len(sim.webhooks(seeded.main)) == 15
