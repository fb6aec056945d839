"""Tasks that depend on each other in one run: folders parents first, a variant after its
product, a retry of what must wait for another task."""

from store.db import database
from tests.jobs.sync.executor_fixtures import franchise_fixture, mapping_of, task_row  # noqa: F401


def test_nested_folders_are_created_parents_first_in_one_run(franchise):
    sim, main = franchise.sim, franchise.main
    top = sim.add_entity(main, "productfolder", {"name": "Напитки"})
    middle = sim.add_entity(main, "productfolder", {"name": "Кофе", "productFolder": top["id"]})
    leaf = sim.add_entity(main, "productfolder", {"name": "Зерно", "productFolder": middle["id"]})
    for folder in (leaf, middle, top):  # the deepest first: the executor orders them
        franchise.task("productfolder", folder["id"], "folder_create")
    summary = franchise.apply()
    assert summary["completed"] == 3, [t.error for t in map(task_row, range(1, 4))]
    copies = {f["name"]: f for f in franchise.copies("productfolder")}
    assert copies["Зерно"]["pathName"] == "Напитки/Кофе"
    assert all(mapping_of(franchise.child, "productfolder", f["id"]) for f in (top, middle, leaf))


def test_a_variant_waits_for_its_product_then_follows_it(franchise):
    product = franchise.product("Футболка", code="TS-1")
    variant = franchise.sim.add_entity(
        franchise.main,
        "variant",
        {"product": product["id"], "characteristics": {"Размер": "L"}},
    )
    variant_task = franchise.task("variant", variant["id"])
    franchise.apply()
    row = task_row(variant_task)
    assert row.status == "pending" and "Футболка" in row.error  # the product is not there yet
    franchise.task("product", product["id"])
    franchise.redis  # noqa: B018

    database.execute_sql(
        "UPDATE sync_queue SET scheduled_at = now() WHERE id = %s", (variant_task,)
    )
    franchise.apply()
    assert task_row(variant_task).status == "completed"
    [copy] = franchise.copies("variant")
    assert copy["product"]["meta"]["href"].endswith(
        mapping_of(franchise.child, "product", product["id"])
    )
