"""Verify finds every hand edit in a child by kind, repair queues what fixes them, the next
verify finds nothing; unchanged pairs are not compared again; broken mappings are cleaned up;
drift past the child's threshold opens an alert."""

from rq import Queue, SimpleWorker
from rq.job import Job

from jobs import defaults
from jobs.context import configure
from jobs.sync.verify import DRIFT_RULE, queue_verifies, verify_all, verify_child
from store.alerts import active_alert
from store.catalog_links import mappings_of
from store.tasks import list_tasks
from store.verify_runs import latest_verify_runs
from tests.jobs.sync.executor_fixtures import franchise3_fixture, franchise_fixture  # noqa: F401


def synced(franchise, products: int = 6, services: int = 2) -> list[dict]:
    """Main's goods copied to the child by the executor (mapped)."""
    franchise.sim.account(franchise.main).price_type("Цена продажи")
    made = []
    for n in range(products):
        price = [{"value": 1000 + n, "priceType": "Цена продажи"}]
        made.append(franchise.product(f"Кофе {n}", code=f"K-{n}", salePrices=price))
    for n in range(services):
        service = franchise.sim.add_entity(
            franchise.main, "service", {"name": f"Доставка {n}", "code": f"D-{n}"}
        )
        made.append(service)
    for entity in made:
        franchise.task(entity["meta"]["type"], entity["id"])
    summary = franchise.apply()
    assert summary["completed"] == len(made), summary
    return made


def verify(franchise, repair=False):
    return verify_child(configure(franchise.settings, franchise.redis), franchise.child, repair)


def test_a_synced_child_agrees_and_a_second_run_compares_nothing(franchise):
    made = synced(franchise)

    first = verify(franchise)
    second = verify(franchise)

    assert first.differences == [] and first.agreeing == len(made), first.as_dict()
    assert (second.unchanged, second.agreeing) == (len(made), 0)


def test_hand_edits_are_found_by_kind_repaired_and_gone_on_the_next_run(franchise):
    made = synced(franchise)
    child, sim = franchise.child, franchise.sim
    copies = mappings_of(child, "product")
    edited = [p["id"] for p in made[:3]]
    sim.update_entity(child, "product", copies[edited[0]], {"name": "Мой кофе"})
    sim.update_entity(child, "product", copies[edited[1]], {"description": "своё"})
    price_type = sim.account(child).price_type("Цена продажи")
    sim.update_entity(
        child,
        "product",
        copies[edited[2]],
        {"salePrices": [{"value": 1, "priceType": {"meta": price_type["meta"]}}]},
    )

    found = verify(franchise)

    assert {d.main_id: d.fields for d in found.differences} == {
        edited[0]: {"name": "base"},
        edited[1]: {"description": "base"},
        edited[2]: {"salePrices": "prices"},
    }
    assert found.by_kind()["base"] == 2 and found.by_kind()["prices"] == 1
    assert list_tasks() == []  # without repair nothing is queued

    repaired = verify(franchise, repair=True)
    assert repaired.tasks_written == 3
    assert {t.entity_id for t in list_tasks(operation="update")} == set(edited)
    franchise.apply()

    after = verify(franchise)
    assert after.differences == [], after.as_dict()
    assert sim.entity(child, "product", copies[edited[0]])["name"] == "Кофе 0"


def test_broken_mappings_are_reported_and_cleaned_up_by_repair(franchise):
    made = synced(franchise, products=3, services=0)
    child, sim = franchise.child, franchise.sim
    copies = mappings_of(child, "product")
    sim.delete_entity(child, "product", copies[made[0]["id"]])  # gone in the child
    sim.delete_entity(franchise.main, "product", made[1]["id"])  # gone in main

    found = verify(franchise, repair=True)

    kinds = {d.main_id: d.fields[""] for d in found.differences}
    assert kinds == {made[0]["id"]: "child_gone", made[1]["id"]: "main_gone"}
    assert found.mappings_dropped == 2
    assert set(mappings_of(child, "product")) == {made[2]["id"]}
    assert [t.entity_id for t in list_tasks(operation="create")] == [made[0]["id"]]


def test_drift_over_the_threshold_opens_an_alert_and_a_clean_run_resolves_it(franchise):
    made = synced(franchise, products=3, services=0)
    franchise.set_settings(drift_alert_threshold=1, verify_repair=True)
    copies = mappings_of(franchise.child, "product")
    for product in made[:2]:
        franchise.sim.update_entity(
            franchise.child, "product", copies[product["id"]], {"code": "X"}
        )

    results = verify_all()

    assert results[franchise.child]["different"] == 2 and results[franchise.child]["repair"]
    alert = active_alert(DRIFT_RULE, f"child:{franchise.child}")
    assert alert is not None and "2 entities differ" in alert.message
    franchise.apply()
    assert verify_all()[franchise.child]["alert"] == "resolved"
    assert active_alert(DRIFT_RULE, f"child:{franchise.child}") is None


def test_the_nightly_verify_covers_every_syncing_child_and_records_what_it_found(franchise3):
    """The periodic-verify job verifies each child in live or shadow mode — one
    switched off is left alone — and each run is kept for the Sync page."""
    franchise = franchise3
    moscow, kazan, paused = franchise.children
    franchise.set_mode("shadow", kazan)
    franchise.set_mode("off", paused)
    made = [franchise.product(f"Чай {n}", code=f"T-{n}") for n in range(2)]
    for child in (moscow, kazan):
        for product in made:
            franchise.task("product", product["id"], child=child)
        franchise.set_mode("live", child)
        assert franchise.apply(child)["completed"] == 2
    franchise.set_mode("shadow", kazan)
    copy = mappings_of(kazan, "product")[made[0]["id"]]
    franchise.sim.update_entity(kazan, "product", copy, {"name": "Мой чай"})

    # The periodic job only queues one verify per child (twice: still one each); a worker runs them.
    queued = queue_verifies()
    assert sorted(queued) == sorted(f"verify-{child}" for child in (moscow, kazan))
    assert queue_verifies() == queued
    queue = Queue(defaults.DEFAULT_QUEUE, connection=franchise.redis)
    assert sorted(queue.job_ids) == sorted(queued)
    SimpleWorker([queue], connection=franchise.redis).work(burst=True)
    results = {
        child: Job.fetch(f"verify-{child}", connection=franchise.redis).return_value()
        for child in (moscow, kazan)
    }

    assert (results[moscow]["checked"], results[moscow]["different"]) == (2, 0)
    assert (results[kazan]["checked"], results[kazan]["by_kind"]["base"]) == (2, 1)
    runs = {run["child_account_id"]: run for run in latest_verify_runs()}
    assert set(runs) == {moscow, kazan}
    assert runs[kazan]["different"] == 1 and runs[kazan]["by_kind"]["base"] == 1
    assert runs[kazan]["differences"][0]["fields"] == {"name": "base"}
