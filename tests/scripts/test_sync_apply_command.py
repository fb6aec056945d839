"""python -m scripts.sync apply against the simulator: the child's due tasks applied in this
process."""

import dataclasses

import pytest

from scripts.simulator import Simulator, running_simulator
from store.models import Account, SyncTask
from store.tasks import NewTask, TaskKey, insert_task
from tests.scripts.test_sync_command import run
from tests.store.sync_rows import KAZAN, MAIN, MOSCOW, TOKENS, add_franchise


@pytest.fixture
def sim(settings, db, redis):
    simulator = Simulator()
    for account_id, token in TOKENS.items():
        simulator.add_account(account_id, token)
    with running_simulator(simulator) as url:
        yield simulator, dataclasses.replace(settings, moysklad_api_url=url)
    simulator.close()


def create_task(child: str, main_id: str) -> int:
    return insert_task(NewTask(TaskKey(child, "product", main_id), "create", MAIN, 7))


def test_apply_in_shadow_records_the_requests_and_writes_nothing(sim):
    simulator, settings = sim
    add_franchise(modes=("live", "shadow"))
    Account.update(token_kind="app").execute()
    products = [simulator.add_entity(MAIN, "product", {"name": f"Чай №{n}", "code": f"T-{n}"})
                for n in range(3)]  # fmt: skip
    tasks = [create_task(KAZAN, product["id"]) for product in products]
    result = run(settings, "apply", "--child", "Казань")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split("\n")[2].split()[:3] == ["3", "3", "0"]  # claimed, completed, failed
    rows = [SyncTask.get_by_id(task_id) for task_id in tasks]
    assert {(row.status, row.applied_mode) for row in rows} == {("completed", "shadow")}
    assert simulator.entities(KAZAN, "product") == []
    assert "%" not in result.stderr  # no progress bar without a terminal


def test_apply_live_writes_and_exits_1_when_a_task_failed(sim):
    simulator, settings = sim
    add_franchise(modes=("live", "shadow"))
    good = simulator.add_entity(MAIN, "product", {"name": "Кофе", "code": "C-1"})
    create_task(MOSCOW, good["id"])
    create_task(MOSCOW, "9171a53c-b719-11eb-c0a8-8000000000ff")  # gone from main
    result = run(settings, "apply", "--child", MOSCOW)
    copies = [entity["name"] for entity in simulator.entities(MOSCOW, "product")]
    assert copies == ["Кофе"], result.stdout + result.stderr
    statuses = {row.status for row in SyncTask.select().where(SyncTask.target_account_id == MOSCOW)}
    assert "pending" not in statuses and "running" not in statuses
    assert result.returncode == (1 if "failed" in statuses else 0)
