"""Documents written through the API as the orders copy relies on them."""

from tests.simulator.conftest import ACCOUNT


def _order(sim, **extra) -> dict:
    organization = sim.add_entity(ACCOUNT, "organization", {"name": "ООО Франшиза"})
    agent = sim.add_entity(ACCOUNT, "counterparty", {"name": "Франчайзи", "inn": "7701234567"})
    product = sim.add_entity(ACCOUNT, "product", {"name": "Кофе"})
    service = sim.add_entity(ACCOUNT, "service", {"name": "Доставка"})
    positions = [
        {"assortment": {"meta": product["meta"]}, "quantity": 3, "price": 1000, "discount": 10},
        {"assortment": {"meta": service["meta"]}, "quantity": 1, "price": 500, "vat": 20},
    ]
    return {
        "organization": {"meta": organization["meta"]},
        "agent": {"meta": agent["meta"]},
        "positions": positions,
    } | extra


def test_an_order_sent_again_with_its_sync_id_is_the_one_made_before(sim, api):
    """md/_general.md — Назначение поля syncId; filterable (md/documents/_customerOrder.md)."""
    body = _order(sim, syncId="0b7e61a4-52a9-4c1e-8f0a-94d2b7c51e14")
    first = api.post(api.url("/entity/customerorder"), json=[body]).json()[0]
    again = api.post(api.url("/entity/customerorder"), json=[body]).json()[0]
    assert again["id"] == first["id"] and len(sim.entities(ACCOUNT, "customerorder")) == 1
    found = api.get(
        api.url("/entity/customerorder"), params={"filter": f"syncId={body['syncId']}"}
    ).json()
    assert [row["id"] for row in found["rows"]] == [first["id"]]


def test_positions_sent_on_update_replace_them_all_and_the_sum_follows(sim, api):
    """md/documents/_customerOrder.md — Позиции Заказа покупателя (the collection sent is "all
    the positions": missing ones are removed); sum with the discount, in kopecks."""
    made = api.post(api.url("/entity/customerorder"), json=_order(sim)).json()
    assert made["sum"] == 3 * 1000 * 0.9 + 500
    kept = [{"assortment": made["positions"][1]["assortment"], "quantity": 2, "price": 500}]
    update = {"meta": made["meta"], "positions": kept, "applicable": False}
    changed = api.post(api.url("/entity/customerorder"), json=[update]).json()[0]
    assert len(changed["positions"]) == 1 and changed["sum"] == 1000
    assert changed["applicable"] is False


def test_a_counterparty_is_found_by_its_inn(sim, api):
    """md/dictionaries/_counterparty.md — Атрибуты сущности (inn is filterable)."""
    _order(sim)
    rows = api.get(api.url("/entity/counterparty"), params={"filter": "inn=7701234567"}).json()
    assert [row["name"] for row in rows["rows"]] == ["Франчайзи"]


def test_a_retail_demand_needs_agent_store_and_retail_shift_not_organization(sim, api):
    """md/documents/_retaildemand.md — Атрибуты сущности: agent, retailShift and store are
    `Необходимо при создании`; organization is `Только для чтения` (the shift's)."""
    agent = sim.add_entity(ACCOUNT, "counterparty", {"name": "Покупатель"})
    answer = api.post(api.url("/entity/retaildemand"), json={"agent": {"meta": agent["meta"]}})
    assert answer.status_code == 412
    assert answer.json()["errors"][0]["code"] == 3000
    assert "'store'" in answer.json()["errors"][0]["error"]
