"""An operator sends a waiting order without its unmapped positions: recorded and audited."""

import pytest

from jobs.context import current
from jobs.sync.orders import apply_order_tasks
from jobs.sync.orders_waivers import OrderActionError, send_order_without_unmapped
from jobs.sync.outcomes import COMPLETED, WAIT
from store.account_edits import update_sync_settings
from store.accounts import AccountError
from store.models import AuditEntry, SyncTask
from store.order_waivers import waived_positions
from tests.jobs.processing_helpers import simulated_franchise
from tests.jobs.sync.orders_franchise import (
    child_order,
    claimed_task,
    go_live,
    order_positions,
    seed_goods,
    seed_parties,
)


def test_an_order_sent_without_its_unmapped_position_keeps_the_others(settings, db, redis):
    with simulated_franchise(settings, redis, children=1) as franchise:
        main, child, sim = franchise.main, franchise.children[0], franchise.sim
        go_live(main, child)
        parties = seed_parties(sim, main, child)
        goods = seed_goods(sim, main, child, products=2)
        own = sim.add_entity(child, "service", {"name": "the child's own delivery"})["id"]
        goods.prices[("service", own)] = 50000
        product = goods.child_ids("product")[0]
        order = child_order(
            sim, child, parties, order_positions(goods, [("product", product), ("service", own)])
        )
        task = claimed_task(main, child, "customerorder", order["id"])
        [waiting] = apply_order_tasks(current(), main, [task])
        assert waiting.status == WAIT
        SyncTask.update(status="pending").where(SyncTask.id == task.id).execute()

        left_out = send_order_without_unmapped(current(), task.id, "alice")

        assert left_out == [("service", own)]
        assert waived_positions(child, "customerorder", [order["id"]]) == {
            order["id"]: {("service", own)}
        }
        [entry] = AuditEntry.select()
        assert (entry.actor, entry.result) == ("alice", "1 position(s) left out")
        [outcome] = apply_order_tasks(current(), main, [task])
        assert outcome.status == COMPLETED, outcome.error
        [copy] = sim.entities(main, "customerorder")
        assert len(copy["positions"]) == 1
        with pytest.raises(OrderActionError, match="nothing to leave out"):
            send_order_without_unmapped(current(), task.id, "alice")


def test_an_unknown_or_finished_task_cannot_be_sent_without_positions(settings, db, redis):
    with pytest.raises(OrderActionError, match="no sync task 999"):
        send_order_without_unmapped(current(), 999, "alice")


def test_order_targets_in_the_settings_must_be_ids(settings, db, redis):
    with simulated_franchise(settings, redis, children=1) as franchise:
        child = franchise.children[0]
        with pytest.raises(AccountError, match="order_store_id must be a МойСклад id"):
            update_sync_settings(child, {"order_store_id": "main store"})
        store_id = "7f3a1c2e-0000-4000-8000-000000000001"
        saved = update_sync_settings(child, {"order_store_id": store_id, "order_state_id": ""})
        assert str(saved["order_store_id"]) == store_id and saved["order_state_id"] is None
