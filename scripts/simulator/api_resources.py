"""The МойСклад entity resources (thin: parse, validate, call, render).

md/_general.md — Создание и обновление нескольких объектов: a POST array (≤ 1000 items, else 413)
mixes creates and updates (an update carries `meta`); each item stands alone and a failed one
answers its own `errors` in its place. `/entity/<type>/delete` deletes in bulk; `syncid/<id>`
addresses an entity by its syncId (Назначение поля syncId).
"""

import falcon

from scripts.simulator import catalog, errors, validation
from scripts.simulator.errors import ApiError, bad_request
from scripts.simulator.hrefs import split_href
from scripts.simulator.simulator import Simulator

MAX_ITEMS = 1000


def params(req: falcon.Request) -> dict:
    return {k: v if isinstance(v, str) else v[-1] for k, v in req.params.items()}


def items(req: falcon.Request) -> tuple[list[dict], bool]:
    body = req.context.json
    if isinstance(body, list):
        if len(body) > MAX_ITEMS:
            raise ApiError(413, errors.TOO_MANY_ITEMS, f"В массиве больше {MAX_ITEMS} элементов")
        if all(isinstance(item, dict) for item in body):
            return body, True
    if isinstance(body, dict):
        return [body], False
    raise bad_request(2016, "Ожидался JSON-объект или массив объектов")


def id_of(item: dict) -> str:
    try:
        return split_href(item["meta"]["href"])[1]
    except (KeyError, TypeError, IndexError):
        raise bad_request(3000, "Поле 'meta' не может быть пустым") from None


class Base:
    def __init__(self, sim: Simulator):
        self.sim = sim

    def account(self, req: falcon.Request):
        return self.sim.account(req.context.account_id)

    def write_all(self, req, write) -> object:
        """Apply `write(item)` to each item; one webhook body per webhook for the whole call."""
        body, bulk = items(req)
        results, changes = [], []
        with self.sim.lock:
            for item in body:
                try:
                    stored, change = write(item)
                except ApiError as error:
                    if not bulk:
                        raise
                    results.append({"errors": [error.as_item()]})
                    continue
                results.append(self.sim.render(stored))
                changes.append(change)
        self.sim.fire(req.context.account_id, changes, req.context.prefixes)
        return results if bulk else results[0]


def create(account, entity_type: str, item: dict):
    # The same request again with the same syncId answers the entity made before, whatever
    # else (a code it itself now holds) would refuse a new one (md/_general.md — syncId).
    made = catalog.by_sync_id(account, entity_type, item["syncId"]) if item.get("syncId") else None
    if made is not None:
        return made, None
    validation.check_create(account, entity_type, item)
    return catalog.create(account, entity_type, item)


def update(account, entity_type: str, entity: dict, item: dict):
    validation.check_update(account, entity_type, entity, item)
    return catalog.update(account, entity_type, entity["id"], item)


class Entities(Base):
    def on_get(self, req, resp, entity_type):
        catalog.check_type(entity_type)
        with self.sim.lock:
            page = catalog.list_page(
                self.account(req), entity_type, params(req), f"/entity/{entity_type}"
            )
            resp.media = self.sim.render(page)

    def on_post(self, req, resp, entity_type):
        catalog.check_type(entity_type)
        account = self.account(req)

        def write(item):
            if "meta" in item:
                entity = catalog.get(account, entity_type, id_of(item))
                return update(account, entity_type, entity, item)
            return create(account, entity_type, item)

        resp.media = self.write_all(req, write)


class Entity(Base):
    def find(self, account, entity_type: str, key: str) -> dict:
        return catalog.get(account, entity_type, key)

    def on_get(self, req, resp, entity_type, entity_id):
        with self.sim.lock:
            account = self.account(req)
            entity = self.find(account, entity_type, entity_id)
            resp.media = self.sim.render(catalog.expand(account, entity, req.get_param("expand")))

    def on_put(self, req, resp, entity_type, entity_id):
        account = self.account(req)
        if isinstance(req.context.json, list):
            raise bad_request(2009, "Обновление одной сущности не принимает массив")
        resp.media = self.write_all(
            req,
            lambda item: update(
                account, entity_type, self.find(account, entity_type, entity_id), item
            ),
        )

    def on_delete(self, req, resp, entity_type, entity_id):
        with self.sim.lock:
            account = self.account(req)
            entity = self.find(account, entity_type, entity_id)
            change = catalog.delete(account, entity_type, entity["id"])
        self.sim.fire(req.context.account_id, [change], req.context.prefixes)


class EntityBySyncId(Entity):
    """`/entity/<type>/syncid/<syncId>`: the same as by id, found by the client's syncId."""

    def find(self, account, entity_type: str, key: str) -> dict:
        return catalog.get_by_sync_id(account, entity_type, key)


class EntityDelete(Base):
    def on_post(self, req, resp, entity_type):
        account = self.account(req)
        catalog.check_type(entity_type)

        def write(item):
            change = catalog.delete(account, entity_type, id_of(item))
            return {"info": "Сущность удалена"}, change

        resp.media = self.write_all(req, write)


def add_routes(app: falcon.App, sim: Simulator, prefix: str) -> None:
    app.add_route(f"{prefix}/entity/{{entity_type}}", Entities(sim))
    app.add_route(f"{prefix}/entity/{{entity_type}}/delete", EntityDelete(sim))
    app.add_route(f"{prefix}/entity/{{entity_type}}/{{entity_id}}", Entity(sim))
    app.add_route(f"{prefix}/entity/{{entity_type}}/syncid/{{entity_id}}", EntityBySyncId(sim))
