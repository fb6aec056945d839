"""The webhook resources (md/dictionaries/_webhook.md): list, create (object or array), read,
change, delete, bulk delete. Thin: the rules live in webhook_registry."""

import falcon

from scripts.simulator import catalog, webhook_registry
from scripts.simulator.api_resources import Base, id_of, params
from scripts.simulator.simulator import Simulator


class Webhooks(Base):
    def on_get(self, req, resp):
        with self.sim.lock:
            rows = [webhook_registry.public(w) for w in self.account(req).webhooks.values()]
            resp.media = self.sim.render(
                catalog.paginate(rows, params(req), "/entity/webhook", "webhook")
            )

    def on_post(self, req, resp):
        account = self.account(req)

        def write(item):
            if "meta" in item:
                return webhook_registry.update(account, id_of(item), item), None
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
            webhook_registry.delete(account, id_of(item))
            return {"info": "Сущность удалена"}, None

        resp.media = self.write_all(req, write)


def add_routes(app: falcon.App, sim: Simulator, prefix: str) -> None:
    app.add_route(f"{prefix}/entity/webhook", Webhooks(sim))
    app.add_route(f"{prefix}/entity/webhook/delete", WebhookDelete(sim))
    app.add_route(f"{prefix}/entity/webhook/{{webhook_id}}", Webhook(sim))
