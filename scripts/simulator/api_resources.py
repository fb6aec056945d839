"""The МойСклад API resources: entities, webhooks, price types (thin: parse, call, render)."""

import falcon

from scripts.simulator import catalog, webhook_registry
from scripts.simulator.errors import ApiError, bad_request
from scripts.simulator.hrefs import split_href
from scripts.simulator.simulator import Simulator


def _params(req: falcon.Request) -> dict:
    return {k: v if isinstance(v, str) else v[-1] for k, v in req.params.items()}


def _items(req: falcon.Request) -> tuple[list[dict], bool]:
    body = req.context.json
    if isinstance(body, list) and all(isinstance(item, dict) for item in body):
        return body, True
    if isinstance(body, dict):
        return [body], False
    raise bad_request(2016, "Ожидался JSON-объект или массив объектов")


def _id_of(item: dict) -> str:
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
        items, bulk = _items(req)
        results, changes = [], []
        with self.sim.lock:
            for item in items:
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


class Entities(Base):
    def on_get(self, req, resp, entity_type):
        catalog.check_type(entity_type)
        with self.sim.lock:
            page = catalog.list_page(
                self.account(req), entity_type, _params(req), f"/entity/{entity_type}"
            )
            resp.media = self.sim.render(page)

    def on_post(self, req, resp, entity_type):
        account = self.account(req)

        def write(item):
            if "meta" in item:
                return catalog.update(account, entity_type, _id_of(item), item)
            return catalog.create(account, entity_type, item)

        resp.media = self.write_all(req, write)


class Entity(Base):
    def on_get(self, req, resp, entity_type, entity_id):
        with self.sim.lock:
            account = self.account(req)
            entity = catalog.get(account, entity_type, entity_id)
            resp.media = self.sim.render(catalog.expand(account, entity, req.get_param("expand")))

    def on_put(self, req, resp, entity_type, entity_id):
        account = self.account(req)
        resp.media = self.write_all(
            req, lambda item: catalog.update(account, entity_type, entity_id, item)
        )

    def on_delete(self, req, resp, entity_type, entity_id):
        with self.sim.lock:
            change = catalog.delete(self.account(req), entity_type, entity_id)
        self.sim.fire(req.context.account_id, [change], req.context.prefixes)


class EntityDelete(Base):
    def on_post(self, req, resp, entity_type):
        account = self.account(req)
        catalog.check_type(entity_type)

        def write(item):
            change = catalog.delete(account, entity_type, _id_of(item))
            return {"info": "Сущность удалена"}, change

        resp.media = self.write_all(req, write)


class Webhooks(Base):
    def on_get(self, req, resp):
        with self.sim.lock:
            rows = [webhook_registry.public(w) for w in self.account(req).webhooks.values()]
            resp.media = self.sim.render(
                catalog.paginate(rows, _params(req), "/entity/webhook", "webhook")
            )

    def on_post(self, req, resp):
        account = self.account(req)

        def write(item):
            if "meta" in item:
                return webhook_registry.update(account, _id_of(item), item), None
            return webhook_registry.create(account, req.context.app_id, item), None

        resp.media = self.write_all(req, write)


class Webhook(Base):
    def on_get(self, req, resp, webhook_id):
        with self.sim.lock:
            resp.media = self.sim.render(webhook_registry.find(self.account(req), webhook_id))

    def on_put(self, req, resp, webhook_id):
        account = self.account(req)
        resp.media = self.write_all(
            req, lambda item: (webhook_registry.update(account, webhook_id, item), None)
        )

    def on_delete(self, req, resp, webhook_id):
        with self.sim.lock:
            webhook_registry.delete(self.account(req), webhook_id)


class WebhookDelete(Base):
    def on_post(self, req, resp):
        account = self.account(req)

        def write(item):
            webhook_registry.delete(account, _id_of(item))
            return {"info": "Сущность удалена"}, None

        resp.media = self.write_all(req, write)


class PriceTypes(Base):
    def on_get(self, req, resp):
        with self.sim.lock:
            resp.media = self.sim.render(self.account(req).price_types)


def add_routes(app: falcon.App, sim: Simulator, prefix: str) -> None:
    app.add_route(f"{prefix}/entity/webhook", Webhooks(sim))
    app.add_route(f"{prefix}/entity/webhook/delete", WebhookDelete(sim))
    app.add_route(f"{prefix}/entity/webhook/{{webhook_id}}", Webhook(sim))
    app.add_route(f"{prefix}/entity/{{entity_type}}", Entities(sim))
    app.add_route(f"{prefix}/entity/{{entity_type}}/delete", EntityDelete(sim))
    app.add_route(f"{prefix}/entity/{{entity_type}}/{{entity_id}}", Entity(sim))
    app.add_route(f"{prefix}/context/companysettings/pricetype", PriceTypes(sim))
