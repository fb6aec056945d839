"""A main and a child account in the simulator and the database, and their References."""

import dataclasses
import uuid
from dataclasses import dataclass

import pytest

from jobs.context import configure
from jobs.moysklad import MoySkladClient
from jobs.sync.references import References, open_references
from scripts.simulator import Simulator, running_simulator
from store.accounts import add_account, link_child
from store.mappings import add_mapping
from store.models import SyncSettings

CHILD_NAME = "Москва"


@dataclass
class Pair:
    sim: Simulator
    settings: object
    redis: object
    main: str
    child: str
    main_client: MoySkladClient
    child_client: MoySkladClient

    def references(self, create_missing: bool = True) -> References:
        context = configure(self.settings, self.redis)
        return open_references(
            context,
            self.main_client,
            self.child_client,
            self.main,
            self.child,
            create_missing=create_missing,
        )

    def set_settings(self, **values) -> None:
        SyncSettings.update(**values).where(SyncSettings.child_account == self.child).execute()

    def copy(self, entity_type: str, main_entity: dict, **child_data) -> dict:
        """The child's copy of a main entity, with its mapping (as the executor leaves it)."""
        data = {"name": main_entity["name"]} | child_data
        copied = self.sim.add_entity(self.child, entity_type, data)
        add_mapping(self.child, entity_type, main_entity["id"], copied["id"])
        return copied

    def requests_of(self, account_id: str) -> list:
        return [r for r in self.sim.requests if r.token == f"token-{account_id}"]


@pytest.fixture(name="pair")
def pair_fixture(db, redis, settings):
    sim = Simulator()
    main, child = str(uuid.uuid4()), str(uuid.uuid4())
    sim.add_account(main, f"token-{main}")
    sim.add_account(child, f"token-{child}")
    with running_simulator(sim) as api_url:
        configured = dataclasses.replace(settings, moysklad_api_url=api_url)
        add_account(main, "Главный", f"token-{main}", "main", settings.app_secret)
        add_account(child, CHILD_NAME, f"token-{child}", "child", settings.app_secret)
        link_child(main, child)

        def client(account_id):
            return MoySkladClient(
                f"token-{account_id}",
                api_url=api_url,
                loop_guard_prefix=configured.loop_guard_prefix,
                redis=redis,
            )

        yield Pair(sim, configured, redis, main, child, client(main), client(child))
    sim.close()
