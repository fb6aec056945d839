"""Sync page comparisons against a МойСклад simulator: a shadow child's recorded requests as a
field-by-field diff with its entity now, and one entity across main and the children."""

import uuid

import pytest

from scripts.simulator import Simulator, running_simulator
from store.accounts import add_account, link_child
from store.mappings import add_mapping
from tests.console.conftest import assert_no_exception, open_page
from tests.store.sync_rows import KAZAN, MAIN, MOSCOW, SECRET, TOKENS, add_franchise, add_task

BASE = "https://api.moysklad.ru/api/remap/1.2"
TVER = "9171a53c-b719-11eb-c0a8-800d00000104"


@pytest.fixture
def sim(console, monkeypatch):
    simulator = Simulator()
    for account_id, token in TOKENS.items():
        simulator.add_account(account_id, token)
    with running_simulator(simulator) as url:
        monkeypatch.setenv("MOYSKLAD_API_URL", url)
        yield simulator
    simulator.close()


def sent(kind: str, item: dict) -> dict:
    """A task's request as the executor records it."""
    return {"method": "POST", "path": "/entity/product", "kind": kind, "item": item}


def warnings(app) -> list[str]:
    """The page's warnings but the executor's health banner (no sync worker runs here)."""
    return [w.value for w in app.warning if not w.value.startswith("Executor ")]


def frame_with(app, column: str):
    return next(d.value for d in app.dataframe if column in d.value.columns)


def test_shadow_review_shows_what_each_request_would_change(sim):
    add_franchise()
    main_id = sim.add_entity(MAIN, "product", {"name": "Кеды", "code": "K-1"})["id"]
    kazan = sim.add_entity(KAZAN, "product", {"name": "Кеды", "code": "K-1"})
    add_mapping(KAZAN, "product", main_id, kazan["id"])
    meta = {"href": f"{BASE}/entity/product/{kazan['id']}", "type": "product"}
    renamed = sent("update", {"meta": meta, "name": "Кеды Pro", "code": "K-1"})
    update = add_task(KAZAN, "completed", entity_id=main_id, finished_ago=20, applied_mode="shadow",
                      request=renamed)  # fmt: skip
    same = add_task(KAZAN, "completed", entity_id=main_id, finished_ago=30, applied_mode="shadow",
                    request={"meta": meta, "code": "K-1"})  # a bare item is read too  # fmt: skip
    new = sent("create", {"syncId": str(uuid.uuid4()), "name": "Новинка"})
    create = add_task(KAZAN, "completed", entity_id=str(uuid.uuid4()), finished_ago=10,
                      applied_mode="shadow", request=new)  # fmt: skip
    add_task(KAZAN, "completed", finished_ago=5, applied_mode="live", request={"name": "x"})
    app = open_page("sync")
    app.selectbox(key="review_child").select(KAZAN).run()
    assert_no_exception(app)
    assert warnings(app) == []
    summary = frame_with(app, "would").set_index("task")["would"].to_dict()
    assert summary == {create: "create it", update: "change name", same: "change nothing"}
    kinds = frame_with(app, "kind").set_index("task")["kind"].to_dict()
    assert kinds == {create: "create", update: "update", same: ""}
    app.selectbox(key="review_task").select(update).run()
    diff = frame_with(app, "would send").set_index("field")
    assert diff.loc["name", ["child now", "would send", "changes"]].tolist() == [
        "Кеды", "Кеды Pro", True
    ]  # fmt: skip
    assert not diff.loc["code", "changes"]
    assert sim.entity(KAZAN, "product", kazan["id"])["name"] == "Кеды"  # the page wrote nothing
    assert all(r.method == "GET" for r in sim.requests)


def test_entity_view_puts_main_and_each_child_side_by_side(sim):
    add_franchise()
    main_id = sim.add_entity(MAIN, "product", {"name": "Кеды", "code": "K-1"})["id"]
    for child, name in ((MOSCOW, "Кеды"), (KAZAN, "Кеды старые")):
        copy = sim.add_entity(child, "product", {"name": name, "code": "K-1"})
        add_mapping(child, "product", main_id, copy["id"])
    add_task(MOSCOW, "completed", entity_id=main_id, finished_ago=5)
    app = open_page("sync")
    app.selectbox(key="entity_recent").select(("product", main_id)).run()
    assert_no_exception(app)
    rows = frame_with(app, "differs in").set_index("field")
    assert rows.loc["name", ["main", "Москва", "Казань", "differs in"]].tolist() == [
        "Кеды", "Кеды", "Кеды старые", "Казань"
    ]  # fmt: skip
    assert rows.loc["code", "differs in"] == ""


def test_a_child_without_a_copy_is_named_and_an_unreadable_account_warns(sim):
    add_franchise()
    main_id = sim.add_entity(MAIN, "product", {"name": "Кеды", "code": "K-1"})["id"]
    add_account(TVER, "Тверь", "a-token-simulator-does-not-know", "child", SECRET)
    link_child(MAIN, TVER)
    add_mapping(TVER, "product", main_id, str(uuid.uuid4()))
    app = open_page("sync")
    app.text_input(key="entity_id").input(main_id).run()
    assert_no_exception(app)
    captions = [c.value for c in app.caption]
    assert "No copy recorded (entity_mappings) in: Казань, Москва" in captions
    (warning,) = warnings(app)
    assert warning.startswith("Тверь: МойСклад could not be read: HTTP 401")
    rows = frame_with(app, "differs in").set_index("field")
    assert rows.loc["name", ["main", "Тверь", "differs in"]].tolist() == [
        "Кеды", "—", "Казань, Москва, Тверь"
    ]  # fmt: skip
