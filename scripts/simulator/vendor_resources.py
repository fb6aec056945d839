"""МойСклад's vendor API endpoints the app calls (api-vendor-1.0-doc includes/_6.4 — Получение
статуса / Изменение статуса решения на аккаунте): gzip required, JWT-signed."""

import falcon

from scripts.simulator.errors import ApiError, bad_request

VENDOR_API = "/api/vendor/1.0"


class Status:
    def __init__(self, sim):
        self.sim = sim

    def _gzip(self, req) -> None:
        if "gzip" not in (req.get_header("Accept-Encoding") or ""):
            raise ApiError(415, 1062, "Нужен заголовок Accept-Encoding: gzip")

    def on_get(self, req, resp, app_id, account_id):
        self._gzip(req)
        installation = self.sim.installation(app_id, account_id)
        resp.media = {"status": installation.status, "cause": installation.cause}

    def on_put(self, req, resp, app_id, account_id):
        self._gzip(req)
        body = req.get_media(default_when_empty={}) or {}
        if body.get("status") not in ("Activating", "SettingsRequired", "Activated"):
            raise bad_request(3005, "status: Activating, SettingsRequired или Activated")
        self.sim.report_status(app_id, account_id, req.get_header("Authorization"), body["status"])
        resp.status = falcon.HTTP_200


def add_routes(app: falcon.App, sim) -> None:
    app.add_route(f"{VENDOR_API}/apps/{{app_id}}/{{account_id}}/status", Status(sim))
