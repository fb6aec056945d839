"""A main and child accounts (live) in the simulator and the database, tasks written as
processing writes them, and the executor run in-process."""

import dataclasses
import uuid
from dataclasses import dataclass, field

import pytest

from jobs import defaults as job_defaults
from jobs.context import configure
from jobs.sync.executor import apply_sync_tasks
from scripts.simulator import Simulator, running_simulator
from store.accounts import add_account, link_child
from store.db import database
from store.mappings import add_mapping
from store.models import SyncSettings, SyncTask
from store.tasks import NewTask, TaskKey, insert_tasks

PRIORITY = {"folder_create": job_defaults.PRIORITY_FOLDER, "update": job_defaults.PRIORITY_UPDATE}


@dataclass
class Franchise:
    sim: Simulator
    settings: object
    redis: object
    main: str
    children: list[str] = field(default_factory=list)

    @property
    def child(self) -> str:
        return self.children[0]

    def product(self, name: str, **data) -> dict:
        """A product of the main account (seeded, no webhook)."""
        return self.sim.add_entity(self.main, "product", {"name": name, **data})

    def task(self, entity_type: str, entity_id: str, operation: str = "create", child=None,
             payload: dict | None = None, **extra) -> int:  # fmt: skip
        target = child or self.child
        new = NewTask(
            TaskKey(target, entity_type, entity_id),
            operation,
            source_account_id=self.main,
            priority=PRIORITY.get(operation, job_defaults.PRIORITY_CREATE),
            payload=payload or {},
            **extra,
        )
        return insert_tasks([new])[new.key]

    def apply(self, child=None, **kwargs) -> dict:
        configure(self.settings, self.redis)
        return apply_sync_tasks(child or self.child, **kwargs)

    def set_mode(self, mode: str, child=None) -> None:
        database.execute_sql(
            "UPDATE accounts SET sync_mode = %s WHERE id = %s", (mode, child or self.child)
        )

    def set_settings(self, child=None, **values) -> None:
        SyncSettings.update(**values).where(
            SyncSettings.child_account == (child or self.child)
        ).execute()

    def copies(self, entity_type: str = "product", child=None) -> list[dict]:
        return self.sim.entities(child or self.child, entity_type)

    def map(self, entity_type: str, main_id: str, child_id: str, child=None) -> None:
        add_mapping(child or self.child, entity_type, main_id, child_id)

    def writes(self, child=None) -> list:
        token = f"token-{child or self.child}"
        return [r for r in self.sim.requests if r.token == token and r.method != "GET"]


def task_row(task_id: int) -> SyncTask:
    return SyncTask.get_by_id(task_id)


def mapping_of(child: str, entity_type: str, main_id: str) -> str | None:
    row = database.execute_sql(
        "SELECT child_entity_id::text FROM entity_mappings WHERE child_account_id = %s"
        " AND entity_type = %s AND main_entity_id = %s",
        (child, entity_type, main_id),
    ).fetchone()
    return row[0] if row else None


def make_franchise(sim, settings, redis, api_url, children: int = 1) -> Franchise:
    configured = dataclasses.replace(settings, moysklad_api_url=api_url)
    configure(configured, redis)
    main = str(uuid.uuid4())
    sim.add_account(main, f"token-{main}")
    add_account(main, "Главный", f"token-{main}", "main", settings.app_secret, token_kind="app")
    franchise = Franchise(sim, configured, redis, main)
    for number in range(children):
        child = str(uuid.uuid4())
        sim.add_account(child, f"token-{child}")
        name = f"Дочерний {number + 1}"
        add_account(child, name, f"token-{child}", "child", settings.app_secret, token_kind="app")
        link_child(main, child)
        franchise.children.append(child)
        franchise.set_mode("live", child)
    return franchise


@pytest.fixture(name="franchise")
def franchise_fixture(db, redis, settings):
    sim = Simulator()
    with running_simulator(sim) as api_url:
        yield make_franchise(sim, settings, redis, api_url)
    sim.close()


@pytest.fixture(name="franchise3")
def franchise3_fixture(db, redis, settings):
    sim = Simulator()
    with running_simulator(sim) as api_url:
        yield make_franchise(sim, settings, redis, api_url, children=3)
    sim.close()
