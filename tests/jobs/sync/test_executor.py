"""apply_sync_tasks against the simulator: creates in bulk, updates, links, modes."""

from jobs.context import configure
from jobs.moysklad import client_for_account
from jobs.sync.main_reads import read_main_entities
from jobs.sync.payloads import expand_for
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
        assert (
            mapping_of(franchise.child, "product", product["id"]) == copies[product["name"]]["id"]
        )


def test_shadow_records_the_request_and_writes_nothing(franchise):
    franchise.set_mode("shadow")
    product = franchise.product("Чай", code="T-1")
    task_id = franchise.task("product", product["id"])
    summary = franchise.apply()
    assert summary["completed"] == 1
    assert franchise.copies() == [] and franchise.writes() == []
    row = task_row(task_id)
    assert row.status == "completed" and row.applied_mode == "shadow"
    assert row.request["method"] == "POST" and row.request["path"] == "/entity/product"
    assert row.request["item"]["name"] == "Чай" and row.request["item"]["syncId"]
    assert mapping_of(franchise.child, "product", product["id"]) is None


def test_off_leaves_tasks_pending_untouched(franchise):
    franchise.set_mode("off")
    product = franchise.product("Чай")
    task_id = franchise.task("product", product["id"])
    summary = franchise.apply()
    assert summary["claimed"] == 0 and summary["stopped"] == "mode"
    row = task_row(task_id)
    assert row.status == "pending" and row.attempts == 0 and row.claimed_at is None
    assert franchise.sim.requests == []


def test_a_create_links_the_childs_entity_found_by_its_match_field(franchise):
    franchise.set_settings(match_field="article")
    product = franchise.product("Капучино", article="CAP-1")
    own = franchise.sim.add_entity(
        franchise.child, "product", {"name": "Капучино (свой)", "article": "CAP-1"}
    )
    task_id = franchise.task("product", product["id"])
    franchise.apply()
    copies = franchise.copies()
    assert [c["id"] for c in copies] == [own["id"]]  # linked, not duplicated
    assert copies[0]["name"] == "Капучино"  # what main syncs wins
    assert mapping_of(franchise.child, "product", product["id"]) == own["id"]
    assert task_row(task_id).request["kind"] == "link"
    lookups = [
        r
        for r in franchise.sim.requests
        if r.method == "GET" and r.token == f"token-{franchise.child}"
    ]
    # A small catalogue is listed once (archived ones too), not looked up per batch.
    assert any(r.query.get("filter") == "archived=true;archived=false" for r in lookups)


def test_a_large_child_catalogue_is_looked_up_by_a_filtered_get_per_batch(franchise, monkeypatch):
    from jobs.sync import defaults as sync_defaults

    monkeypatch.setattr(sync_defaults, "CATALOGUE_LIST_LIMIT", 1)
    franchise.set_settings(match_field="code")
    for n in range(2):
        franchise.sim.add_entity(
            franchise.child, "product", {"name": f"Свой {n}", "code": f"OWN-{n}"}
        )
    products = [franchise.product(f"Сироп {n}", code=f"OWN-{n}") for n in range(2)]
    for product in products:
        franchise.task("product", product["id"])
    franchise.apply()
    assert len(franchise.copies()) == 2  # both linked
    child_token = f"token-{franchise.child}"
    filters = [
        r.query.get("filter", "")
        for r in franchise.sim.requests
        if r.method == "GET" and r.token == child_token and r.path == "/entity/product"
    ]
    assert "code=OWN-0;code=OWN-1;archived=true;archived=false" in filters


def test_a_crash_between_the_write_and_the_mapping_makes_no_duplicate(franchise, db):
    franchise.set_settings(match_field="name")
    products = [franchise.product(f"Латте {n}") for n in range(3)]
    tasks = [franchise.task("product", p["id"]) for p in products]
    franchise.apply()
    # The write happened but its transaction never committed: no mapping, tasks claimed.
    db.execute_sql("DELETE FROM entity_mappings")
    db.execute_sql(
        "UPDATE sync_queue SET status = 'running', finished_at = NULL WHERE id = ANY(%s)", (tasks,)
    )
    franchise.set_settings(match_field="code")  # the syncId alone must prevent the duplicate
    summary = franchise.apply()
    assert summary["completed"] == 3, summary
    assert len(franchise.copies()) == 3
    assert all(mapping_of(franchise.child, "product", p["id"]) for p in products)


def test_a_connection_lost_after_the_bulk_write_was_applied_is_retried_without_duplicates(
    franchise, monkeypatch
):
    from jobs.moysklad import defaults as client_defaults

    monkeypatch.setattr(client_defaults, "BACKOFF_BASE", 0.01)
    franchise.set_settings(match_field="article")  # none has one: no look-up before the write
    warm_up = franchise.product("Разогрев")
    franchise.task("product", warm_up["id"])
    franchise.apply()  # the dictionaries are cached now
    products = [franchise.product(f"Раф {n}", code=f"R-{n}") for n in range(4)]
    tasks = [franchise.task("product", p["id"]) for p in products]
    context = configure(franchise.settings, franchise.redis)
    main_client = client_for_account(context, franchise.main)
    wanted = [(t.entity_id, t.changed_at) for t in (task_row(i) for i in tasks)]
    expand = expand_for("product", "full_sync")
    read_main_entities(main_client, franchise.redis, franchise.main, "product", wanted, expand)
    franchise.sim.fail_next(1, drop=True, after=True)  # the POST is applied, its answer lost
    summary = franchise.apply()
    assert summary["completed"] == 4, [task_row(i).error for i in tasks]
    names = sorted(c["name"] for c in franchise.copies() if c["name"].startswith("Раф"))
    assert names == sorted(p["name"] for p in products)
    posts = franchise.writes()[1:]
    assert len(posts) == 2  # the lost one and its retry, both with the same syncIds
    assert [i["syncId"] for i in posts[0].json] == [i["syncId"] for i in posts[1].json]


def test_updates_carry_the_mapped_copys_meta_and_only_the_strategys_fields(franchise):
    product = franchise.product("Эспрессо", code="E-1", description="крепкий")
    copy = franchise.sim.add_entity(franchise.child, "product", {"name": "Эспрессо", "code": "E-1"})
    franchise.map("product", product["id"], copy["id"])
    franchise.sim.update_entity(franchise.main, "product", product["id"], {"description": "мягкий"})
    payload = {"strategy": "base_only", "updated_fields": ["description"]}
    task_id = franchise.task("product", product["id"], "update", payload=payload)
    franchise.apply()
    assert franchise.sim.entity(franchise.child, "product", copy["id"])["description"] == "мягкий"
    item = task_row(task_id).request["item"]
    assert item["meta"]["href"].endswith(copy["id"]) and "syncId" not in item
    assert "salePrices" not in item


def test_archive_sets_archived_on_the_copy_and_an_unmapped_one_is_cancelled(franchise):
    product = franchise.product("Старый", code="OLD")
    copy = franchise.sim.add_entity(franchise.child, "product", {"name": "Старый"})
    franchise.map("product", product["id"], copy["id"])
    archived = franchise.task("product", product["id"], "archive")
    nothing = franchise.task("product", "00000000-0000-4000-8000-000000000001", "archive")
    franchise.apply()
    assert franchise.sim.entity(franchise.child, "product", copy["id"])["archived"] is True
    assert task_row(archived).status == "completed"
    row = task_row(nothing)
    assert row.status == "cancelled" and "no copy" in row.error


def test_recreate_makes_a_new_copy_of_one_the_child_deleted(franchise):
    product = franchise.product("Мокко", code="M-1")
    franchise.task("product", product["id"])
    franchise.apply()
    first = mapping_of(franchise.child, "product", product["id"])
    franchise.sim.delete_entity(franchise.child, "product", first)
    task_id = franchise.task(
        "product", product["id"], "recreate", payload={"deleted_child_entity_id": first}
    )
    franchise.apply()
    second = mapping_of(franchise.child, "product", product["id"])
    assert second and second != first
    assert [c["id"] for c in franchise.copies()] == [second]
    assert task_row(task_id).status == "completed"


def test_an_update_of_a_copy_the_child_deleted_drops_the_mapping_and_creates_it_again(franchise):
    product = franchise.product("Глясе", code="G-1")
    franchise.task("product", product["id"])
    franchise.apply()
    first = mapping_of(franchise.child, "product", product["id"])
    franchise.sim.delete_entity(franchise.child, "product", first)
    task_id = franchise.task(
        "product",
        product["id"],
        "update",
        payload={"strategy": "base_only", "updated_fields": ["name"]},
    )
    franchise.apply()
    second = mapping_of(franchise.child, "product", product["id"])
    assert second and second != first and [c["id"] for c in franchise.copies()] == [second]
    row = task_row(task_id)
    assert row.status == "completed" and "1021" in row.result["note"]


def test_an_item_error_fails_only_its_own_task(franchise):
    franchise.set_settings(match_field="name")
    franchise.sim.add_entity(franchise.child, "product", {"name": "Чужой", "code": "DUP"})
    good = franchise.product("Хороший", code="OK-1")
    bad = franchise.product("Плохой", code="DUP")  # the child's code uniqueness refuses it
    good_task, bad_task = (
        franchise.task("product", good["id"]),
        franchise.task("product", bad["id"]),
    )
    summary = franchise.apply()
    assert summary["completed"] == 1 and summary["failed"] == 1, summary
    assert task_row(good_task).status == "completed"
    row = task_row(bad_task)
    assert row.status == "failed" and "3006" in row.error and row.result["errors"]


def test_a_missing_price_type_fails_the_task_with_an_operator_reason(franchise):
    franchise.sim.account(franchise.main).price_type("Оптовая")
    product = franchise.product("Опт", salePrices=[{"value": 100, "priceType": "Оптовая"}])
    task_id = franchise.task("product", product["id"])
    franchise.apply()
    row = task_row(task_id)
    assert row.status == "failed" and "Оптовая" in row.error and "Дочерний 1" in row.error
    assert franchise.writes() == []


def test_429s_wait_by_their_header_and_the_write_goes_through(franchise):
    product = franchise.product("Флэт уайт", code="F-1")
    task_id = franchise.task("product", product["id"])
    franchise.sim.fail_next(2, status=429)
    franchise.apply()
    assert task_row(task_id).status == "completed"
    assert [r.status for r in franchise.sim.requests].count(429) == 2


def test_5xx_through_every_try_reschedules_with_backoff(franchise, monkeypatch):
    from jobs.moysklad import defaults as client_defaults

    monkeypatch.setattr(client_defaults, "BACKOFF_BASE", 0.01)
    product = franchise.product("Американо", code="A-1")
    task_id = franchise.task("product", product["id"])
    franchise.sim.fail_next(20, status=503)
    summary = franchise.apply()
    assert summary["retry"] == 1 and summary["remaining"] is False
    row = task_row(task_id)
    assert row.status == "pending" and row.attempts == 1 and "503" in row.error
    assert row.scheduled_at > row.updated_at  # later, by the backoff
    assert franchise.copies() == []


def test_a_retry_past_the_attempts_limit_fails(franchise, monkeypatch, db):
    import dataclasses

    from jobs.moysklad import defaults as client_defaults

    monkeypatch.setattr(client_defaults, "BACKOFF_BASE", 0.01)
    franchise.settings = dataclasses.replace(franchise.settings, sync_max_attempts=2)
    product = franchise.product("Ристретто", code="RI-1")
    task_id = franchise.task("product", product["id"])
    for _ in range(2):
        franchise.sim.fail_next(20, status=500)
        franchise.apply()
        db.execute_sql("UPDATE sync_queue SET scheduled_at = now() WHERE id = %s", (task_id,))
    row = task_row(task_id)
    assert row.status == "failed" and row.error.startswith("gave up after 2 attempts")
