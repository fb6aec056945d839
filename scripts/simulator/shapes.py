"""The fields МойСклад always answers with, per type (each page's `Обязательное при ответе`
fields and the defaults its response examples show): md/dictionaries/_product.md, _service.md,
_variant.md, _bundle.md, _productFolder.md, _counterparty.md, _organization.md, _store.md;
md/documents/_customerOrder.md."""

from scripts.simulator.account import Account
from scripts.simulator.hrefs import ref, stamp

OWNER_ID = "e0000000-0000-4000-8000-0000000000e1"  # the account's administrator
GROUP_ID = "e0000000-0000-4000-8000-0000000000e2"  # its main department
GOODS = ("product", "service", "bundle")


def _owned(account: Account) -> dict:
    return {
        "owner": ref("employee", f"{account.id[:8]}{OWNER_ID[8:]}"),
        "group": ref("group", f"{account.id[:8]}{GROUP_ID[8:]}"),
        "shared": False,
    }


def ean13(number: int) -> str:
    """A valid EAN-13 in the in-store range (МойСклад fills one for new goods by default)."""
    digits = f"20{number:010d}"[-12:]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def _collection(entity_type: str, entity_id: str, name: str, kind: str) -> dict:
    href = f"/entity/{entity_type}/{entity_id}/{name}"
    return {"meta": {"href": href, "type": kind, "mediaType": "application/json",
                     "size": 0, "limit": 1000, "offset": 0}}  # fmt: skip


def _vat(entity: dict) -> dict:
    vat_enabled = entity.get("vatEnabled", "vat" in entity)
    shape = {"useParentVat": "vat" not in entity, "vatEnabled": vat_enabled}
    shape["effectiveVatEnabled"] = vat_enabled
    shape["effectiveVat"] = entity.get("vat", 0)
    return shape


def defaults(account: Account, entity_type: str, entity: dict) -> dict:
    """Fields to add under what the writer sent (the writer's values win)."""
    shape = _owned(account)
    if entity_type in GOODS or entity_type == "variant":
        shape |= {"archived": False, "discountProhibited": False, "files": []}
        shape["images"] = _collection(entity_type, entity["id"], "images", "image")
        if entity_type != "service" and account.fill_ean13:
            shape["barcodes"] = [{"ean13": ean13(account.counter)}]
        shape["minPrice"] = {"value": 0.0, "currency": account.currency()}
        shape["buyPrice"] = {"value": 0.0, "currency": account.currency()}
        shape["salePrices"] = []
    if entity_type in GOODS:
        shape |= _vat(entity) | {"uom": account.default_uom(), "paymentItemType": "GOOD"}
        if entity_type == "service":
            shape["paymentItemType"] = "SERVICE"
        else:
            shape |= {"trackingType": "NOT_TRACKED", "weight": 0, "volume": 0}
        if entity_type == "product":
            shape |= {"variantsCount": 0, "isSerialTrackable": False}
    if entity_type == "variant":
        shape.pop("group"), shape.pop("owner"), shape.pop("shared"), shape.pop("files")
    if entity_type == "productfolder":
        shape |= {"archived": False} | _vat(entity)
    if entity_type in ("counterparty", "organization", "store"):
        shape |= {"archived": False, "files": [], "created": stamp()}
    if entity_type in ("counterparty", "organization"):
        shape |= {"companyType": "legal"}
        shape["accounts"] = _collection(entity_type, entity["id"], "accounts", "account")
    if entity_type == "counterparty":
        shape |= {"salesAmount": 0.0, "tags": []}
        shape["contactpersons"] = _collection(entity_type, entity["id"], "contactpersons",
                                              "contactperson")  # fmt: skip
        shape["notes"] = _collection(entity_type, entity["id"], "notes", "note")
    return shape


def document(account: Account, entity_type: str, entity: dict) -> dict:
    """An order's computed fields: sum and vatSum from its positions, the account's currency."""
    positions = entity.get("positions", [])
    total = sum(p.get("price", 0) * p.get("quantity", 0) * (1 - p.get("discount", 0) / 100)
                for p in positions)  # fmt: skip
    sums = {"retaildemand": ("cashSum", "noCashSum", "advancePaymentSum", "prepaymentCashSum",
                             "prepaymentNoCashSum", "prepaymentQrSum"),
            "purchaseorder": ("waitSum",)}.get(entity_type, ())  # fmt: skip
    return (
        _owned(account)
        | dict.fromkeys(sums, 0.0)
        | {
            "created": entity.get("created") or stamp(),
            "printed": False,
            "published": False,
            "files": [],
            "rate": {"currency": account.currency()},
            "vatEnabled": entity.get("vatEnabled", True),
            "vatIncluded": entity.get("vatIncluded", True),
            "sum": round(total, 2),
            "payedSum": 0.0,
            "shippedSum": 0.0,
            "invoicedSum": 0.0,
            "reservedSum": 0.0,
        }
    )
