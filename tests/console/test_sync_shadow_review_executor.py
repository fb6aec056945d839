"""Shadow review of what the executor itself recorded: a child in
shadow mode, a main rename applied in shadow, the page shows the one field it would change."""

import dataclasses

import pytest

from jobs.context import configure
from jobs.sync import executor
from scripts.simulator import Simulator, running_simulator
from store.mappings import add_mapping
from store.models import SyncTask
from store.tasks import NewTask, TaskKey, insert_task
from tests.console.conftest import assert_no_exception, open_page
from tests.store.sync_rows import KAZAN, MAIN, TOKENS, add_franchise


@pytest.fixture
def sim(console, settings, redis, monkeypatch):
    simulator = Simulator()
    for account_id, token in TOKENS.items():
        simulator.add_account(account_id, token)
    with running_simulator(simulator) as url:
        monkeypatch.setenv("MOYSKLAD_API_URL", url)
        configure(dataclasses.replace(settings, moysklad_api_url=url), redis)
        yield simulator
    simulator.close()


def frame_with(app, column: str):
    return next(d.value for d in app.dataframe if column in d.value.columns)


def test_the_executors_shadow_update_shows_as_the_field_it_would_change(sim):
    add_franchise(modes=("live", "shadow"))
    product = sim.add_entity(MAIN, "product", {"name": "Кеды", "code": "K-1"})
    same = {"name": "Кеды", "code": "K-1", "externalCode": product["externalCode"]}
    copy = sim.add_entity(KAZAN, "product", same)
    add_mapping(KAZAN, "product", product["id"], copy["id"])
    sim.update_entity(MAIN, "product", product["id"], {"name": "Кеды Pro"})
    payload = {"updated_fields": ["name"], "strategy": "base_only"}
    task_id = insert_task(NewTask(TaskKey(KAZAN, "product", product["id"]), "update", MAIN, 10,
                                  payload))  # fmt: skip
    assert executor.apply_sync_tasks(KAZAN)["completed"] == 1
    assert SyncTask.get_by_id(task_id).applied_mode == "shadow"
    app = open_page("sync")
    app.selectbox(key="review_child").select(KAZAN).run()
    assert_no_exception(app)
    summary = frame_with(app, "would").set_index("task")
    assert summary.loc[task_id, "would"] == "change name", summary
    app.selectbox(key="review_task").select(task_id).run()
    diff = frame_with(app, "would send").set_index("field")
    assert diff.loc["name", ["child now", "would send"]].tolist() == ["Кеды", "Кеды Pro"]
    assert sim.entity(KAZAN, "product", copy["id"])["name"] == "Кеды"
