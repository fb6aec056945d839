"""Hrefs are stored relative ("/entity/product/<id>") and made absolute only when rendered."""

import copy
from datetime import UTC, datetime, timedelta

API_PREFIX = "/api/remap/1.2"
MEDIA_TYPE = "application/json"
MOSCOW = timedelta(hours=3)


def meta(entity_type: str, entity_id: str) -> dict:
    return {
        "href": f"/entity/{entity_type}/{entity_id}",
        "metadataHref": f"/entity/{entity_type}/metadata",
        "type": entity_type,
        "mediaType": MEDIA_TYPE,
    }


def ref(entity_type: str, entity_id: str) -> dict:
    """A nested reference: `{"meta": {...}}`."""
    return {"meta": meta(entity_type, entity_id)}


def relative(href: str) -> str:
    return href.split(API_PREFIX, 1)[1] if API_PREFIX in href else href


def split_href(href: str) -> tuple[str, str]:
    """(type, id) of an entity href."""
    parts = relative(href).split("?")[0].strip("/").split("/")
    return parts[-2], parts[-1]


def _walk(value, change):
    if isinstance(value, dict):
        return {
            k: change(v)
            if (k == "href" or k.endswith("Href")) and isinstance(v, str)
            else _walk(v, change)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_walk(item, change) for item in value]
    return value


def absolutize(value, base_url: str):
    """A deep copy with every relative href prefixed by the API base URL."""
    return _walk(value, lambda h: base_url + h if h.startswith("/") else h)


def relativize(value):
    """A deep copy with every href of ours made relative (incoming bodies)."""
    return _walk(copy.deepcopy(value), relative)


def stamp() -> str:
    """МойСклад's `updated` format, Moscow time: "YYYY-MM-DD HH:MM:SS.mmm"."""
    return (datetime.now(UTC) + MOSCOW).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def moment() -> str:
    return (datetime.now(UTC) + MOSCOW).strftime("%Y-%m-%d %H:%M:%S")
