"""apply_sync_tasks against the simulator: creates in bulk, updates, links, modes."""

from tests.jobs.sync.executor_fixtures import franchise_fixture, mapping_of, task_row  # noqa: F401


def test_creates_reach_the_child_in_one_bulk_write_with_mappings(franchise):
    products = [franchise.product(f"Кофе №{n}", code=f"C-{n}") for n in range(5)]
    tasks = [franchise.task("product", p["id"]) for p in products]
    summary = franchise.apply()
    assert summary["claimed"] == 5 and summary["completed"] == 5, summary
    copies = {c["name"]: c for c in franchise.copies()}
    assert set(copies) == {p["name"] for p in products}
    posts = franchise.writes()
    assert len(posts) == 1 and isinstance(posts[0].json, list) and len(posts[0].json) == 5
    for task_id, product in zip(tasks, products, strict=True):
        row = task_row(task_id)
        assert row.status == "completed" and row.applied_mode == "live"
        assert mapping_of(franchise.child, "product", product["id"]) == copies[product["name"]]["id"]
