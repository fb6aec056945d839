"""Every request carries our headers; reads are batched and paged; webhook calls work."""

from tests.jobs.moysklad.conftest import ACCOUNT, PREFIX, TOKEN


def test_every_request_carries_auth_gzip_loop_guard_and_json_headers(make_client, sim):
    client = make_client()
    product = client.post("/entity/product", {"name": "Чай"})
    client.put(f"/entity/product/{product['id']}", {"name": "Кофе"})
    client.get_entities("product", [product["id"]], expand="productFolder")
    hook = client.create_webhook(PREFIX + "receive/x", "product", "UPDATE", "FIELDS")
    client.update_webhook(hook["id"], enabled=False)
    client.list_webhooks()
    client.price_types()
    client.delete_webhook(hook["id"])
    client.delete(f"/entity/product/{product['id']}")
    recorded = sim.requests
    assert len(recorded) == 9
    for request in recorded:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert "gzip" in request.headers["accept-encoding"]
        assert request.headers["x-lognex-webhook-disablebyprefix"] == PREFIX
        assert request.status == 200
        if request.json is not None:
            assert request.headers["content-type"] == "application/json"


def test_250_ids_are_read_in_3_batched_gets(make_client, sim):
    ids = [sim.add_entity(ACCOUNT, "product", {"name": f"P{n}"})["id"] for n in range(250)]
    rows = make_client().get_entities("product", ids + ids[:10], expand="productFolder")
    assert sorted(row["id"] for row in rows) == sorted(ids)
    gets = [r for r in sim.requests if r.method == "GET"]
    assert len(gets) == 3
    assert [r.query["filter"].count("id=") for r in gets] == [100, 100, 50]
    assert {r.query["limit"] for r in gets} == {"100"}
    assert {r.query["expand"] for r in gets} == {"productFolder"}


def test_iter_rows_follows_next_href(make_client, sim):
    for n in range(5):
        sim.add_entity(ACCOUNT, "service", {"name": f"S{n}"})
    rows = list(make_client().iter_rows("/entity/service", {"limit": 2}))
    assert len(rows) == 5
    assert [r.query.get("offset") for r in sim.requests] == [None, "2", "4"]


def test_webhook_calls_create_list_update_delete(make_client, sim):
    client = make_client()
    sim.add_webhook(ACCOUNT, "https://other.example/hook", "product", "CREATE")
    hook = client.create_webhook(PREFIX + "receive/x", "product", "UPDATE", diff_type="FIELDS")
    assert hook["diffType"] == "FIELDS"
    assert {h["id"] for h in client.list_webhooks()} >= {hook["id"]}
    assert len(client.list_webhooks()) == 2
    changed = client.update_webhook(hook["id"], enabled=False, diff_type="NONE")
    assert (changed["enabled"], changed["diffType"]) == (False, "NONE")
    client.delete_webhook(hook["id"])
    assert [h["url"] for h in client.list_webhooks()] == ["https://other.example/hook"]


def test_price_types_have_names(make_client):
    assert [p["name"] for p in make_client().price_types()] == ["Цена продажи", "Оптовая цена"]
