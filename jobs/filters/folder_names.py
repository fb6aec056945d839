"""Names of a main account's product folders, so a filter's folder ids can be shown by name:
read from МойСклад by a job (the console never calls МойСклад itself), kept in Redis."""

from redis import Redis

from jobs.context import current
from jobs.filters.values import href_id
from jobs.moysklad import client_for_account

FOLDER_NAMES_TTL = 24 * 3600  # seconds; "Look up folder names" refreshes them


def folder_names_key(account_id: str) -> str:
    return f"folder_names:{account_id}"


def refresh_folder_names(account_id: str) -> int:
    """RQ job: every folder of the account, id → its path and name; how many were read."""
    context = current()
    client = client_for_account(context, account_id)
    names = {}
    for row in client.iter_rows("/entity/productfolder"):
        folder_id = href_id(row)
        if folder_id:
            path = row.get("pathName")
            names[folder_id] = f"{path}/{row.get('name', '')}" if path else row.get("name", "")
    pipeline = context.redis.pipeline()
    pipeline.delete(folder_names_key(account_id))
    if names:
        pipeline.hset(folder_names_key(account_id), mapping=names)
        pipeline.expire(folder_names_key(account_id), FOLDER_NAMES_TTL)
    pipeline.execute()
    return len(names)


def folder_names(redis: Redis, account_id: str) -> dict[str, str]:
    """What the last refresh read (empty when never looked up or expired)."""
    return {k.decode(): v.decode() for k, v in redis.hgetall(folder_names_key(account_id)).items()}


def folders_in_filter(product_filter: dict | None) -> list[str]:
    """Every folder id a filter names, nested groups included, in order, once each."""
    found: list[str] = []

    def walk(conditions) -> None:
        for condition in conditions or []:
            if not isinstance(condition, dict):
                continue
            if "group" in condition and isinstance(condition["group"], dict):
                walk(condition["group"].get("conditions"))
            elif condition.get("field") == "folder":
                values = condition.get("values") or []
                found.extend(v for v in values if isinstance(v, str) and v not in found)

    if isinstance(product_filter, dict):
        walk(product_filter.get("conditions"))
    return found
