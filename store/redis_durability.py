"""Is the Redis holding the spool durable? Its problems, by name, for /readyz and the alerts.

The spool is the one place where a delivery already answered 200 lives only in Redis: a Redis
without an append-only file loses it on a restart, and an evicting `maxmemory-policy` drops it
when memory runs short.
"""

from redis import Redis
from redis.exceptions import ResponseError

SAFE_FSYNC = ("everysec", "always")

PROBLEMS = {
    "redis_not_persistent": "Redis keeps no append-only file (appendonly no): a restart loses"
    " every spooled delivery",
    "redis_fsync_off": "Redis never fsyncs its append-only file (appendfsync no): a crash loses"
    " the spooled deliveries the OS had not written",
    "redis_evicting": "Redis may evict keys when memory runs short (maxmemory-policy {policy}):"
    " spooled deliveries can be dropped",
}


def durability_problems(redis: Redis) -> dict[str, str]:
    """{problem name: what it risks}; empty when the spool survives restarts and memory pressure."""
    persistence = redis.info("persistence")
    policy = redis.info("memory").get("maxmemory_policy", "noeviction")
    problems = {}
    if not int(persistence.get("aof_enabled", 0)):
        problems["redis_not_persistent"] = PROBLEMS["redis_not_persistent"]
    elif _appendfsync(redis) not in (*SAFE_FSYNC, None):
        problems["redis_fsync_off"] = PROBLEMS["redis_fsync_off"]
    if policy != "noeviction":
        problems["redis_evicting"] = PROBLEMS["redis_evicting"].format(policy=policy)
    return problems


def _appendfsync(redis: Redis) -> str | None:
    try:
        value = redis.config_get("appendfsync").get("appendfsync")
    except ResponseError:  # managed Redis often disables CONFIG: not known, not reported
        return None
    return value.decode() if isinstance(value, bytes) else value
