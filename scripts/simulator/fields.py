"""Which fields each entity type has, which are read-only, required on create, or unique.

From the attribute tables of each type's documentation page (md/dictionaries/_product.md,
_service.md, _variant.md, _bundle.md, _productFolder.md, _counterparty.md, _organization.md,
_store.md; md/documents/_customerOrder.md, _retaildemand.md, _purchaseorder.md).
"""

COMMON = {"meta", "id", "accountId", "updated", "name", "description", "externalCode", "code"}
SHARED = {"owner", "group", "shared", "archived", "attributes", "files"}
GOODS = COMMON | SHARED | {
    "barcodes", "buyPrice", "salePrices", "minPrice", "productFolder", "pathName", "uom", "vat",
    "vatEnabled", "useParentVat", "effectiveVat", "effectiveVatEnabled", "discountProhibited",
    "paymentItemType", "taxSystem", "syncId", "images",
}  # fmt: skip
DOCUMENT = COMMON | SHARED - {"archived"} | {
    "agent", "agentAccount", "applicable", "contract", "created", "deleted", "moment",
    "organization", "organizationAccount", "positions", "printed", "project", "published", "rate",
    "salesChannel", "state", "store", "sum", "syncId", "vatEnabled", "vatIncluded", "vatSum",
    "taxSystem", "payedSum",
}  # fmt: skip

KNOWN = {
    "product": GOODS
    | {
        "article",
        "country",
        "supplier",
        "weight",
        "volume",
        "packs",
        "trackingType",
        "tnved",
        "isSerialTrackable",
        "minimumBalance",
        "minimumStock",
        "alcoholic",
        "things",
        "ppeType",
        "partialDisposal",
        "variantsCount",
    },
    "service": GOODS,
    "bundle": GOODS
    | {
        "article",
        "country",
        "weight",
        "volume",
        "trackingType",
        "tnved",
        "components",
        "overhead",
        "partialDisposal",
    },
    "variant": COMMON
    | {
        "archived",
        "article",
        "barcodes",
        "buyPrice",
        "characteristics",
        "discountProhibited",
        "images",
        "minPrice",
        "minimumStock",
        "packs",
        "product",
        "salePrices",
        "things",
    },
    "productfolder": COMMON
    | {
        "archived",
        "owner",
        "group",
        "shared",
        "pathName",
        "productFolder",
        "vat",
        "vatEnabled",
        "useParentVat",
        "effectiveVat",
        "effectiveVatEnabled",
        "taxSystem",
    },
    "counterparty": COMMON
    | SHARED
    | {
        "accounts",
        "actualAddress",
        "actualAddressFull",
        "bonusPoints",
        "bonusProgram",
        "companyType",
        "contactpersons",
        "created",
        "discountCardNumber",
        "discounts",
        "email",
        "fax",
        "notes",
        "phone",
        "priceType",
        "salesAmount",
        "state",
        "syncId",
        "tags",
        "inn",
        "kpp",
        "ogrn",
        "ogrnip",
        "okpo",
        "legalAddress",
        "legalAddressFull",
        "legalTitle",
    },
    "organization": COMMON
    | SHARED
    | {
        "accounts",
        "actualAddress",
        "actualAddressFull",
        "companyType",
        "created",
        "email",
        "fax",
        "inn",
        "kpp",
        "ogrn",
        "okpo",
        "legalAddress",
        "legalAddressFull",
        "legalTitle",
        "phone",
        "isEgaisEnable",
        "payerVat",
        "utmUrl",
        "director",
        "chiefAccountant",
    },
    "store": COMMON | SHARED | {"address", "addressFull", "parent", "pathName", "zones", "slots"},
    "customerorder": DOCUMENT
    | {
        "deliveryPlannedMoment",
        "invoicedSum",
        "reservedSum",
        "shipmentAddress",
        "shipmentAddressFull",
        "shippedSum",
    },
    "retaildemand": DOCUMENT
    | {"retailShift", "retailStore", "cashSum", "noCashSum", "customerOrder"},
    "purchaseorder": DOCUMENT | {"deliveryPlannedMoment", "invoicedSum", "shippedSum", "supplier"},
}

# Ignored when written (md/_general.md — Создание и обновление объекта: read-only fields are
# ignored on create and update); productfolder.archived is read-only on its page.
READ_ONLY = {"meta", "id", "accountId", "updated", "pathName", "effectiveVat",
             "effectiveVatEnabled", "variantsCount", "created", "salesAmount", "bonusPoints",
             "sum", "vatSum", "payedSum", "shippedSum", "invoicedSum", "reservedSum", "printed",
             "published", "deleted", "things", "zones", "slots"}  # fmt: skip
READ_ONLY_OF = {"productfolder": {"archived"}}

# `Необходимо при создании` on each page.
REQUIRED = {
    "product": ("name",), "service": ("name",), "bundle": ("name", "components"),
    "variant": ("product", "characteristics"), "productfolder": ("name",),
    "counterparty": ("name",), "organization": ("name",), "store": ("name",),
    "customerorder": ("organization", "agent"), "retaildemand": ("agent", "store", "retailShift"),
    "purchaseorder": ("organization", "agent"),
}  # fmt: skip

SYNC_ID_TYPES = {"product", "service", "bundle", "counterparty", "customerorder",
                 "retaildemand", "purchaseorder"}  # fmt: skip
# The assortment's `code` is unique across these when the account checks unique codes.
ASSORTMENT = ("product", "service", "bundle", "variant")
ORDER_NAMES_UNIQUE = ("customerorder", "retaildemand", "purchaseorder")


def read_only(entity_type: str) -> set[str]:
    return READ_ONLY | READ_ONLY_OF.get(entity_type, set())
