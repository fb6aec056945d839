"""A child's full sync: what it already has is linked by its match field, the rest is queued,
ambiguous and conflicting keys are reported and left alone."""

import pytest

from jobs.context import current
from jobs.sync.full_sync import FullSyncError, plan_full_sync
from store.catalog_links import mappings_of
from store.mappings import add_mapping
from store.models import SyncSettings
from store.tasks import list_tasks
from tests.jobs.processing_helpers import simulated_franchise


@pytest.fixture
def joining(settings, db, redis):
    """Main: 2 folders, 10 products, 3 services, 2 variants; the child holds some of them
    under its own ids with main's codes, two products with one code, and one of its own."""
    with simulated_franchise(settings, redis, children=1) as franchise:
        sim, main, child = franchise.sim, franchise.main, franchise.children[0]
        for account in (main, child):
            sim.account(account).fill_unique_code = False
        coffee = sim.add_entity(main, "productfolder", {"name": "Кофе"})["id"]
        sim.add_entity(main, "productfolder", {"name": "Зерно", "productFolder": coffee})
        products = [
            sim.add_entity(
                main,
                "product",
                {"name": f"p{n}", "code": f"M-{n}", "productFolder": coffee if n < 5 else None},
            )["id"]
            for n in range(10)
        ]
        # Two main products share a code the child has: a conflict, nothing is decided.
        sim.update_entity(main, "product", products[9], {"code": "M-8"}, as_user=False)
        services = [
            sim.add_entity(main, "service", {"name": f"s{n}", "code": f"S-{n}"})["id"]
            for n in range(3)
        ]
        variants = [
            sim.add_entity(
                main,
                "variant",
                {"product": products[n], "characteristics": {"Размер": "L"}, "code": f"V-{n}"},
            )["id"]
            for n in (0, 7)
        ]
        sim.add_entity(child, "productfolder", {"name": "Кофе"})
        own = {
            code: sim.add_entity(child, "product", {"name": f"own {code}", "code": code})["id"]
            for code in ("M-0", "M-1", "M-2", "M-8", "X-1")
        }
        # Two child products with one code: ambiguous.
        doubles = [
            sim.add_entity(child, "product", {"name": f"dup {n}", "code": "M-3"})["id"]
            for n in range(2)
        ]
        own["S-0"] = sim.add_entity(child, "service", {"name": "own s", "code": "S-0"})["id"]
        yield (
            franchise,
            {
                "products": products,
                "services": services,
                "variants": variants,
                "own": own,
                "doubles": doubles,
                "coffee": coffee,
            },
        )


def tasks_by(operation: str, entity_type: str) -> set[str]:
    return {t.entity_id for t in list_tasks(operation=operation, entity_type=entity_type)}


def test_what_the_child_has_is_linked_and_the_rest_queued(joining):
    franchise, ids = joining
    child = franchise.children[0]
    products, own = ids["products"], ids["own"]

    report = plan_full_sync(current(), child)

    by_type = {t.entity_type: t for t in report.types}
    assert mappings_of(child, "product") == {
        products[0]: own["M-0"],
        products[1]: own["M-1"],
        products[2]: own["M-2"],
    }
    assert mappings_of(child, "service") == {ids["services"][0]: own["S-0"]}
    assert len(mappings_of(child, "productfolder")) == 1
    product = by_type["product"]
    assert (product.main_total, product.linked, product.to_create) == (10, 3, 4)
    assert product.ambiguous == [
        {"key": "M-3", "main_id": products[3], "child_ids": ids["doubles"]}
    ]
    assert product.conflicts == [
        {"key": "M-8", "main_ids": [products[8], products[9]], "child_ids": [own["M-8"]]}
    ]
    assert tasks_by("create", "product") == {products[n] for n in (4, 5, 6, 7)}
    assert tasks_by("update", "product") == set(products[:3])
    assert tasks_by("create", "service") == set(ids["services"][1:])
    assert tasks_by("update", "service") == {ids["services"][0]}
    assert tasks_by("create", "variant") == set(ids["variants"])
    assert len(tasks_by("folder_create", "productfolder")) == 1  # Кофе/Зерно
    assert tasks_by("folder_update", "productfolder") == {ids["coffee"]}
    assert report.tasks_written == len(list_tasks()) == 4 + 3 + 2 + 1 + 2 + 1 + 1
    # The child's own product and the undecided ones are left alone.
    assert own["X-1"] not in mappings_of(child, "product").values()


def test_a_dry_run_reports_the_same_and_writes_nothing(joining):
    franchise, _ = joining
    child = franchise.children[0]

    report = plan_full_sync(current(), child, dry_run=True)

    product = next(t for t in report.types if t.entity_type == "product")
    assert (product.linked, product.to_create, len(product.ambiguous)) == (3, 4, 1)
    assert mappings_of(child, "product") == {} and list_tasks() == []


def test_a_second_run_links_nothing_twice_and_duplicates_no_task(joining):
    franchise, _ = joining
    child = franchise.children[0]
    plan_full_sync(current(), child)
    pending = len(list_tasks())

    again = plan_full_sync(current(), child)

    product = next(t for t in again.types if t.entity_type == "product")
    assert (product.already_linked, product.linked, product.to_create) == (3, 0, 4)
    assert len(list_tasks()) == pending and again.tasks_written == 0


def test_the_child_filter_leaves_out_products_and_their_variants(joining):
    franchise, ids = joining
    child = franchise.children[0]
    only_coffee = {"conditions": [{"field": "folder", "op": "in", "values": [ids["coffee"]]}]}
    SyncSettings.update(product_filter=only_coffee, sync_services=False).where(
        SyncSettings.child_account == child
    ).execute()

    report = plan_full_sync(current(), child)

    product = next(t for t in report.types if t.entity_type == "product")
    assert (product.filtered_out, product.to_create) == (5, 1)  # p4 only; p0-2 linked, p3 ambiguous
    assert "service" in report.skipped
    assert tasks_by("create", "variant") == {ids["variants"][0]}  # its product is in Кофе


def test_a_mapping_whose_child_entity_is_gone_is_dropped_and_made_again(joining):
    franchise, ids = joining
    child = franchise.children[0]
    gone = "0d9c1b7e-0000-4000-8000-00000000dead"
    add_mapping(child, "product", ids["products"][5], gone)

    report = plan_full_sync(current(), child)

    product = next(t for t in report.types if t.entity_type == "product")
    assert product.broken == 1
    assert ids["products"][5] not in mappings_of(child, "product")
    assert ids["products"][5] in tasks_by("create", "product")


def test_an_unlinked_account_cannot_be_fully_synced(settings, db, redis):
    with (
        simulated_franchise(settings, redis, children=0) as franchise,
        pytest.raises(FullSyncError, match="not a child"),
    ):
        plan_full_sync(current(), franchise.main)
