"""A main and a child account in our database and in a running МойСклад simulator."""

import contextlib
import dataclasses
from dataclasses import dataclass

import pytest

from jobs.context import configure
from scripts.simulator import Simulator, running_simulator
from store.accounts import add_account, link_child

MAIN = "9171a53c-b719-11eb-c0a8-800d00000001"
CHILD = "9171a53c-b719-11eb-c0a8-800d00000002"
TOKENS = {MAIN: "token-main", CHILD: "token-child"}
FOREIGN_URL = "https://crm.example.com/hooks/moysklad"
SIMULATOR_PORTS = range(8420, 8450)  # this helper's port range (8400–8499)


@dataclass
class Franchise:
    sim: Simulator
    api_url: str
    settings: object

    def hooks(self, account_id: str) -> list[dict]:
        return self.sim.webhooks(account_id)

    def ours(self, account_id: str) -> list[dict]:
        prefix = self.settings.receive_prefix
        return [w for w in self.hooks(account_id) if w["url"].startswith(prefix)]

    def writes(self) -> list:
        """Requests that changed webhooks in МойСклад (everything but reads)."""
        return [r for r in self.sim.requests if r.method != "GET" and "/entity/webhook" in r.path]


@pytest.fixture
def franchise(settings, db, redis):
    sim = Simulator()
    for account_id, token in TOKENS.items():
        sim.add_account(account_id, token)
    with contextlib.ExitStack() as stack:
        api_url = _serve(stack, sim)
        configured = dataclasses.replace(settings, moysklad_api_url=api_url)
        configure(configured, redis)
        # The simulator's tokens are app tokens (weight 1): stored as `user` (weight 4, the
        # default), our client would hold itself to 11 requests per window and wait seconds
        # per setup. Token kinds are tested in tests/jobs/moysklad/test_token_kinds.py.
        for account_id, name, kind in ((MAIN, "Франчайзер", "main"), (CHILD, "Франчайзи", "child")):
            add_account(
                account_id, name, TOKENS[account_id], kind, settings.app_secret, token_kind="app"
            )
        link_child(MAIN, CHILD)
        yield Franchise(sim, api_url, configured)
    sim.close()


def _serve(stack: contextlib.ExitStack, sim: Simulator) -> str:
    """The first free port of our range (a previous test's socket may linger)."""
    for port in SIMULATOR_PORTS:
        try:
            return stack.enter_context(running_simulator(sim, port=port))
        except OSError:
            continue
    raise OSError(f"no free port in {SIMULATOR_PORTS}")
