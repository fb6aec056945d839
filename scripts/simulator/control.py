"""Control endpoints under /_sim: the Python API for another process (demo, benchmarks)."""

import dataclasses

import falcon

from scripts.simulator.simulator import FOREIGN_APP, OUR_APP, Simulator


def _body(req: falcon.Request) -> dict:
    return req.get_media(default_when_empty={}) or {}


class Control:
    def __init__(self, sim: Simulator):
        self.sim = sim


class Health(Control):
    def on_get(self, req, resp):
        resp.media = {"status": "ok", "accounts": len(self.sim.accounts)}


class Reset(Control):
    def on_post(self, req, resp):
        self.sim.reset()
        resp.media = {"reset": True}


class Accounts(Control):
    def on_post(self, req, resp):
        """{"account_id"?, "token"?, "token_kind"?: "app" | "draft" | "user", "app"?}."""
        body = _body(req)
        app_id = FOREIGN_APP if body.get("app") == "foreign" else OUR_APP
        kind = body.get("token_kind", "app")
        try:
            account_id = self.sim.add_account(
                body.get("account_id"), body.get("token"), app_id, kind
            )
        except ValueError as error:
            raise falcon.HTTPBadRequest(description=str(error)) from None
        resp.media = {"account_id": account_id, "token_kind": kind}


class Diff(Control):
    def on_get(self, req, resp):
        """?left=&right=&type=&match=name[&fields=a,b]: two accounts' catalogues compared."""
        fields = req.get_param_as_list("fields")
        resp.media = self.sim.catalog_diff(
            req.get_param("left", required=True),
            req.get_param("right", required=True),
            req.get_param("type", required=True),
            req.get_param("match", default="name"),
            fields,
        )


class Entities(Control):
    def on_get(self, req, resp, account_id, entity_type):
        resp.media = self.sim.entities(account_id, entity_type)

    def on_post(self, req, resp, account_id, entity_type):
        """Seed one entity or a list of them, firing no webhooks."""
        body = _body(req)
        items = body if isinstance(body, list) else [body]
        stored = [self.sim.add_entity(account_id, entity_type, item) for item in items]
        resp.media = stored if isinstance(body, list) else stored[0]


class Changes(Control):
    def on_post(self, req, resp, account_id):
        """A user's edit in the UI; a list in "data" (CREATE) or "items" (UPDATE) is one bulk edit.

        Body: {"action", "entityType", "id"?, "data"?, "items"?: {id: changes}, "disablePrefix"?}.
        """
        body = _body(req)
        action, entity_type, data = body.get("action"), body.get("entityType"), body.get("data")
        prefixes = [body["disablePrefix"]] if body.get("disablePrefix") else []
        if action == "CREATE" and isinstance(data, list):
            resp.media = self.sim.create_entities(account_id, entity_type, data, prefixes)
        elif action == "CREATE":
            resp.media = self.sim.create_entity(account_id, entity_type, data or {}, prefixes)
        elif action == "UPDATE" and "items" in body:
            resp.media = self.sim.update_entities(account_id, entity_type, body["items"], prefixes)
        elif action == "UPDATE":
            resp.media = self.sim.update_entity(
                account_id, entity_type, body["id"], data or {}, disable_prefixes=prefixes
            )
        elif action == "DELETE":
            self.sim.delete_entity(account_id, entity_type, body["id"], prefixes)
            resp.media = {"deleted": body["id"]}
        else:
            raise falcon.HTTPBadRequest(description="action must be CREATE, UPDATE or DELETE")


class AccountWebhooks(Control):
    def on_get(self, req, resp, account_id):
        resp.media = self.sim.webhooks(account_id)

    def on_post(self, req, resp, account_id):
        """Install a webhook directly: another application's unless "app" is "ours"."""
        body = _body(req)
        app_id = OUR_APP if body.get("app") == "ours" else FOREIGN_APP
        resp.media = self.sim.add_webhook(
            account_id,
            body["url"],
            body["entityType"],
            body["action"],
            body.get("diffType"),
            app_id,
            body.get("enabled", True),
        )


class WebhookState(Control):
    def on_patch(self, req, resp, webhook_id):
        self.sim.set_webhook_enabled(webhook_id, bool(_body(req).get("enabled")))
        resp.media = {"id": webhook_id}

    def on_delete(self, req, resp, webhook_id):
        self.sim.remove_webhook(webhook_id)
        resp.media = {"id": webhook_id}


class Requests(Control):
    def on_get(self, req, resp):
        since = req.get_param_as_int("since", default=0)
        resp.media = [dataclasses.asdict(r) for r in self.sim.requests[since:]]

    def on_delete(self, req, resp):
        self.sim.clear_requests()
        resp.media = {"cleared": True}


class Deliveries(Control):
    def on_get(self, req, resp):
        since = req.get_param_as_int("since", default=0)
        resp.media = [dataclasses.asdict(d) for d in self.sim.deliveries[since:]]

    def on_delete(self, req, resp):
        self.sim.clear_deliveries()
        resp.media = {"cleared": True}

    def on_post(self, req, resp):
        """Raw delivery: {"account_id", "events" | "body", "url"?, "request_id"?}."""
        body = _body(req)
        resp.media = {
            "request_ids": self.sim.deliver(
                body.get("account_id"),
                body.get("events"),
                url=body.get("url"),
                body=body.get("body"),
                request_id=body.get("request_id"),
            )
        }


class Flush(Control):
    def on_post(self, req, resp):
        resp.media = {"done": self.sim.flush_deliveries(float(_body(req).get("timeout", 10)))}


class Config(Control):
    def on_post(self, req, resp):
        """{"latency": seconds, "rate_limit": {"limit", "window", "parallel"}}."""
        body = _body(req)
        if "latency" in body:
            self.sim.set_latency(float(body["latency"]))
        if "rate_limit" in body:
            self.sim.set_rate_limit(**body["rate_limit"])
        resp.media = {"latency": self.sim.latency, "rate_limit": self.sim.limits.limit}


class Faults(Control):
    def on_post(self, req, resp):
        """{"count": n, "status": 500 | 503 | 429, "drop": false, "after": false} for the next n
        requests (drop + after: applied, then the connection closes unanswered), or
        {"entity_id": id, "status": 500} for every read of that entity from now on."""
        body = _body(req)
        if "entity_id" in body:
            self.sim.faults.break_entity(str(body["entity_id"]), int(body.get("status", 500)))
            resp.media = {"broken": body["entity_id"]}
            return
        self.sim.fail_next(
            int(body.get("count", 1)),
            int(body.get("status", 500)),
            bool(body.get("drop")),
            bool(body.get("after")),
        )
        resp.media = {"queued": int(body.get("count", 1))}


def add_routes(app: falcon.App, sim: Simulator) -> None:
    app.add_route("/_sim/health", Health(sim))
    app.add_route("/_sim/reset", Reset(sim))
    app.add_route("/_sim/accounts", Accounts(sim))
    app.add_route("/_sim/accounts/{account_id}/entities/{entity_type}", Entities(sim))
    app.add_route("/_sim/diff", Diff(sim))
    app.add_route("/_sim/accounts/{account_id}/changes", Changes(sim))
    app.add_route("/_sim/accounts/{account_id}/webhooks", AccountWebhooks(sim))
    app.add_route("/_sim/webhooks/{webhook_id}", WebhookState(sim))
    app.add_route("/_sim/requests", Requests(sim))
    app.add_route("/_sim/deliveries", Deliveries(sim))
    app.add_route("/_sim/flush", Flush(sim))
    app.add_route("/_sim/config", Config(sim))
    app.add_route("/_sim/faults", Faults(sim))
