"""Each account's dictionaries as МойСклад serves them: price types
(md/dictionaries/_pricetypes.md, a plain array, replaced whole by POST), currency, uom, country
(lists), product attribute metadata (md/_general.md — Дополнительные поля сущностей), variant
characteristics (md/dictionaries/_characteristic.md, 10002 on a duplicate name), document states
(md/dictionaries/_states.md) and the assortment settings (md/dictionaries/_assortment.md)."""

import falcon

from scripts.simulator import catalog, dictionaries
from scripts.simulator.api_resources import Base, params
from scripts.simulator.errors import bad_request
from scripts.simulator.forms import object_id

LISTS = {"currency": "currencies", "uom": "uoms", "country": "countries"}


class PriceTypes(Base):
    def on_get(self, req, resp):
        with self.sim.lock:
            resp.media = self.sim.render(self.account(req).price_types)

    def on_post(self, req, resp):
        """The whole list: items with `meta` keep their id, others are new (42001 when empty)."""
        body = req.context.json
        if not isinstance(body, list) or not body:
            raise bad_request(42001, "Список типов цен не может быть пустым")
        with self.sim.lock:
            account = self.account(req)
            by_id = {p["id"]: p for p in account.price_types}
            kept = []
            for item in body:
                if not isinstance(item, dict) or not item.get("name"):
                    raise bad_request(3000, "Поле 'name' типа цены не может быть пустым")
                found = by_id.get(object_id(item)) if "meta" in item else None
                price_type = found or dictionaries.price_type(item["name"])
                price_type["name"] = item["name"]
                if item.get("externalCode"):
                    price_type["externalCode"] = item["externalCode"]
                kept.append(price_type)
            account.price_types[:] = kept
            resp.media = self.sim.render(kept)


class Dictionary(Base):
    def __init__(self, sim, kind: str):
        super().__init__(sim)
        self.kind = kind

    def on_get(self, req, resp):
        with self.sim.lock:
            rows = getattr(self.account(req), LISTS[self.kind])
            path = f"/entity/{self.kind}"
            resp.media = self.sim.render(catalog.paginate(rows, params(req), path, self.kind))


class Attributes(Base):
    def on_get(self, req, resp, entity_type):
        with self.sim.lock:
            rows = self.account(req).attributes_of(entity_type)
            path = f"/entity/{entity_type}/metadata/attributes"
            resp.media = self.sim.render(
                catalog.paginate(rows, params(req), path, "attributemetadata")
            )

    def on_post(self, req, resp, entity_type):
        body = req.context.json
        many = isinstance(body, list)
        created = []
        with self.sim.lock:
            account = self.account(req)
            for item in body if many else [body]:
                if not isinstance(item, dict) or not item.get("name") or not item.get("type"):
                    raise bad_request(3000, "Поля 'name' и 'type' доп. поля обязательны")
                created.append(account.attribute(entity_type, item["name"], item["type"]))
            rendered = self.sim.render(created)
        resp.media = rendered if many else rendered[0]


class Characteristics(Base):
    def on_get(self, req, resp):
        with self.sim.lock:
            account = self.account(req)
            rows = list(account.characteristics.values())
            resp.media = self.sim.render({"meta": {"href": "/entity/variant/metadata",
                                                   "mediaType": "application/json"},
                                          "characteristics": rows})  # fmt: skip

    def on_post(self, req, resp):
        body = req.context.json
        if not isinstance(body, dict) or not body.get("name"):
            raise bad_request(10000, "Поле 'name' характеристики не может быть пустым")
        with self.sim.lock:
            account = self.account(req)
            if body["name"] in account.characteristics:
                raise bad_request(10002, f"Характеристика '{body['name']}' уже существует")
            resp.media = self.sim.render(account.characteristic(body["name"]))


class Metadata(Base):
    """`/entity/<type>/metadata`: a document's states and attributes; a variant's also lists
    every characteristic (md/dictionaries/_characteristic.md — Получить метаданные)."""

    def on_get(self, req, resp, entity_type):
        with self.sim.lock:
            account = self.account(req)
            answer = {
                "meta": {"href": f"/entity/{entity_type}/metadata", "type": entity_type},
                "states": account.states.get(entity_type, []),
                "attributes": account.attributes_of(entity_type),
                "createShared": False,
            }
            if entity_type == "variant":
                answer["characteristics"] = list(account.characteristics.values())
            resp.media = self.sim.render(answer)


class AssortmentSettings(Base):
    def on_get(self, req, resp):
        with self.sim.lock:
            resp.media = _settings(self.account(req))

    def on_put(self, req, resp):
        rules = (req.context.json or {}).get("uniqueCodeRules") or {}
        with self.sim.lock:
            account = self.account(req)
            if "checkUniqueCode" in rules:
                account.check_unique_code = bool(rules["checkUniqueCode"])
            if "fillUniqueCode" in rules:
                account.fill_unique_code = bool(rules["fillUniqueCode"])
            resp.media = _settings(account)


def _settings(account) -> dict:
    return {
        "meta": {"href": "/entity/assortment/settings", "type": "assortmentsettings"},
        "uniqueCodeRules": {
            "checkUniqueCode": account.check_unique_code,
            "fillUniqueCode": account.fill_unique_code,
        },
    }


def add_routes(app: falcon.App, sim, prefix: str) -> None:
    app.add_route(f"{prefix}/context/companysettings/pricetype", PriceTypes(sim))
    for kind in LISTS:
        app.add_route(f"{prefix}/entity/{kind}", Dictionary(sim, kind))
    app.add_route(f"{prefix}/entity/{{entity_type}}/metadata/attributes", Attributes(sim))
    app.add_route(f"{prefix}/entity/variant/metadata/characteristics", Characteristics(sim))
    app.add_route(f"{prefix}/entity/{{entity_type}}/metadata", Metadata(sim))
    app.add_route(f"{prefix}/entity/assortment/settings", AssortmentSettings(sim))
